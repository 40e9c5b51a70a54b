package mailer

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"portevoix/storage"
)

// maxLine is where headers are folded (RFC 5322 recommends 78 characters).
const maxLine = 78

// checkHeader rejects what could end a header early or smuggle another one in: CR, LF and
// every other control character, and bytes that are not UTF-8.
func checkHeader(field, value string) error {
	if !utf8.ValidString(value) {
		return storage.Errorf(storage.EINVALID, "L’en-tête « %s » n’est pas un texte UTF-8 valide.", field)
	}
	for _, r := range value {
		if unicode.IsControl(r) {
			return storage.Errorf(storage.EINVALID,
				"L’en-tête « %s » contient un caractère interdit (retour à la ligne ou caractère de contrôle).", field)
		}
	}
	return nil
}

// parseAddress reads "Nom <adresse>" or a bare address, refusing anything a header could
// not carry safely. The address itself must pass storage.EmailProblem, the rule applied
// at input, so that what was accepted then can be sent now.
func parseAddress(field, value string) (*mail.Address, error) {
	if err := checkHeader(field, value); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(value)
	if err != nil {
		return nil, storage.Errorf(storage.EINVALID, "L’adresse « %s » (%s) n’est pas une adresse électronique valide.", value, field)
	}
	if why := storage.EmailProblem(a.Address); why != "" {
		return nil, storage.Errorf(storage.EINVALID, "L’adresse « %s » (%s) n’est pas valide : %s.", value, field, why)
	}
	return a, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// domainOf returns the part of an address after the last '@'.
func domainOf(address string) string {
	return address[strings.LastIndexByte(address, '@')+1:]
}

// wordMax bounds an encoded word so that, after the longest header name we use it in
// ("Reply-To: "), it fits in a 78-character line.
const wordMax = 60

// encodeText encodes unstructured text (a subject, a display name) per RFC 2047 when
// needsEncoding says so: UTF-8 "Q" encoded words, which keep French readable in raw
// sources, split between characters so that writeHeader can fold between words.
// mime.QEncoding is not used because its words may be 75 characters long and cannot then
// fit after a header name.
func encodeText(s string) string {
	if !needsEncoding(s) {
		return s
	}
	var words []string
	var w strings.Builder
	const frame = len("=?UTF-8?q??=")
	for _, r := range s {
		enc := qRune(r)
		if w.Len()+len(enc) > wordMax-frame {
			words = append(words, "=?UTF-8?q?"+w.String()+"?=")
			w.Reset()
		}
		w.WriteString(enc)
	}
	words = append(words, "=?UTF-8?q?"+w.String()+"?=")
	return strings.Join(words, " ")
}

// needsEncoding reports text that must go out as encoded words: non-ASCII text, and text
// containing "=?", which mail readers would otherwise decode as an encoded word of its own
// and show as another name or subject.
func needsEncoding(s string) bool { return !isASCII(s) || strings.Contains(s, "=?") }

// qRune encodes one character with the Q encoding's most restrictive alphabet, the one
// allowed in phrases (RFC 2047 §5).
func qRune(r rune) string {
	switch {
	case r == ' ':
		return "_"
	case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("!*+-/", r)):
		return string(r)
	}
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// phrase encodes a display name: a quoted string when plain ASCII, encoded words otherwise.
func phrase(s string) string {
	if !needsEncoding(s) {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
	}
	return encodeText(s)
}

// address formats a mailbox for a header.
func address(a *mail.Address) string {
	if a.Name == "" {
		return "<" + a.Address + ">"
	}
	return phrase(a.Name) + " <" + a.Address + ">"
}

// addressList formats mailboxes for a header, separated by commas.
func addressList(list []*mail.Address) string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = address(a)
	}
	return strings.Join(out, ", ")
}

// writeHeader writes one header field, folding at spaces so that lines stay within 78
// characters when the value allows it. value must already be encoded (ASCII).
func writeHeader(b *bytes.Buffer, field, value string) {
	b.WriteString(field)
	b.WriteByte(':')
	col := len(field) + 1
	for i, word := range strings.Split(value, " ") {
		if i > 0 && col+1+len(word) > maxLine {
			b.WriteString("\r\n")
			col = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		col += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// MessageID returns the Message-ID of one delivery: "<campaign.delivery.tag@domain>". It is
// deterministic, so a message resent after a crash keeps its identity and recipients'
// servers can drop the duplicate; the tag is an HMAC so ids cannot be guessed from the
// sequence numbers without the secret.
func MessageID(campaignID, deliveryID uint64, domain string, secret []byte) string {
	mac := hmac.New(sha256.New, secret)
	fmt.Fprintf(mac, "%d.%d", campaignID, deliveryID)
	tag := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(mac.Sum(nil)[:10])
	return fmt.Sprintf("<%d.%d.%s@%s>", campaignID, deliveryID, strings.ToLower(tag), domain)
}

// checkMessageID accepts "<left@right>" without spaces, controls or non-ASCII bytes.
func checkMessageID(id string) error {
	ok := len(id) > 4 && id[0] == '<' && id[len(id)-1] == '>' && strings.Count(id, "@") == 1 &&
		isASCII(id) && !strings.ContainsAny(id[1:len(id)-1], " <>")
	if ok {
		ok = checkHeader("Message-ID", id) == nil
	}
	if !ok {
		return storage.Errorf(storage.EINVALID, "Identifiant de message « %s » invalide.", id)
	}
	return nil
}
