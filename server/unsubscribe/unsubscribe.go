// Package unsubscribe signs and verifies the per-recipient links of List-Unsubscribe
// (RFC 8058). A token is "<contactID>.<mac>": the contact id in decimal, then a truncated
// HMAC-SHA256 of it, URL-safe base64 without padding. Nothing is stored: the installation's
// secret alone proves that Porte-Voix made the link, so a link never expires.
package unsubscribe

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
)

// version is signed with the id; raising it invalidates every link already mailed.
const version byte = 1

// macSize keeps 128 bits of the HMAC: far beyond guessing, and a shorter link in headers.
const macSize = 16

// maxLen bounds the work done on a token: a 20-digit id, a dot and the encoded MAC.
const maxLen = 20 + 1 + 22

// TestID stands for the recipient of a test message in its link: no contact has it, since
// record ids start at 1. Its token is signed like the others, so the page can tell a test
// message's link from a forged one.
const TestID uint64 = 0

// ErrInvalid is returned for a token that Porte-Voix did not sign: forged, altered,
// truncated or malformed.
var ErrInvalid = errors.New("unsubscribe: invalid token")

// Token returns the unsubscribe token of a contact.
func Token(secret []byte, contactID uint64) string {
	id := strconv.FormatUint(contactID, 10)
	return id + "." + base64.RawURLEncoding.EncodeToString(sum(secret, contactID))
}

// Verify returns the contact id a token was signed for (TestID for a test message's
// link), or ErrInvalid. The token is
// compared in constant time with the one Token would make, so a non-canonical spelling of
// the same id or MAC is refused too.
func Verify(secret []byte, token string) (uint64, error) {
	if len(token) > maxLen {
		return 0, ErrInvalid
	}
	digits, _, ok := strings.Cut(token, ".")
	if !ok {
		return 0, ErrInvalid
	}
	id, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return 0, ErrInvalid
	}
	if subtle.ConstantTimeCompare([]byte(Token(secret, id)), []byte(token)) != 1 {
		return 0, ErrInvalid
	}
	return id, nil
}

// sum is the truncated HMAC of the version byte and the big-endian id, under a label that
// keeps these MACs apart from anything else signed with the same secret.
func sum(secret []byte, contactID uint64) []byte {
	msg := make([]byte, 0, 32)
	msg = append(msg, "portevoix unsubscribe"...)
	msg = append(msg, version)
	msg = binary.BigEndian.AppendUint64(msg, contactID)
	m := hmac.New(sha256.New, secret)
	m.Write(msg)
	return m.Sum(nil)[:macSize]
}
