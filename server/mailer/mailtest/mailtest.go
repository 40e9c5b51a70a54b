// Package mailtest reads built messages back for the tests of the mailer and its callers.
package mailtest

import (
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
)

// Walk walks the MIME tree of a part with header h, calls leaf (if not nil) with the media
// type, header and raw body of every non-multipart part, and returns the tree's shape as
// "type[child child]".
func Walk(tb testing.TB, h mail.Header, body io.Reader, leaf func(mt string, h mail.Header, body io.Reader)) string {
	tb.Helper()
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		tb.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		if leaf != nil {
			leaf(mt, h, body)
		}
		return mt
	}
	var children []string
	r := multipart.NewReader(body, params["boundary"])
	for {
		child, err := r.NextRawPart()
		if err == io.EOF {
			return mt + "[" + strings.Join(children, " ") + "]"
		}
		if err != nil {
			tb.Fatal(err)
		}
		children = append(children, Walk(tb, mail.Header(child.Header), child, leaf))
	}
}

// Decode reads a leaf's body and undoes its Content-Transfer-Encoding (base64 or
// quoted-printable; anything else is read as is).
func Decode(tb testing.TB, encoding string, body io.Reader) []byte {
	tb.Helper()
	switch strings.ToLower(encoding) {
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		tb.Fatalf("decode %s: %v", encoding, err)
	}
	return b
}
