package contactfile

import (
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// vCard 2.1, which Outlook still exports, differs from 3.0 in two ways that
// go-vcard does not handle: parameters without a name ("TEL;WORK;VOICE:"),
// which go-vcard reads as eating the value, and quoted-printable values
// ("N;ENCODING=QUOTED-PRINTABLE:=C9lodie"), continued by a final "=".
// legacyCard rewrites both the 3.0 way; 3.0 and 4.0 lines come out unchanged.
func legacyCard(block string) string {
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	var b strings.Builder
	b.Grow(len(block))
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSuffix(lines[i], "\r")
		head, value, ok := cutProperty(line)
		if !ok || !strings.Contains(head, ";") {
			b.WriteString(line)
			b.WriteString("\r\n")
			continue
		}
		head, qp, charset := legacyParams(head)
		if qp {
			for strings.HasSuffix(value, "=") && i+1 < len(lines) {
				i++
				value = value[:len(value)-1] + strings.TrimSuffix(lines[i], "\r")
			}
			value = decodeQuotedPrintable(value, charset)
		}
		b.WriteString(head)
		b.WriteByte(':')
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	return b.String()
}

// cutProperty splits a content line at the colon that ends its name and
// parameters, skipping colons inside quoted parameter values.
func cutProperty(line string) (head, value string, ok bool) {
	inQuotes := false
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"':
			inQuotes = !inQuotes
		case ':':
			if !inQuotes {
				return line[:i], line[i+1:], true
			}
		}
	}
	return "", "", false
}

// legacyParams names the bare parameters TYPE and takes out the
// quoted-printable encoding and its charset, which it returns.
func legacyParams(head string) (params string, qp bool, charset string) {
	parts := strings.Split(head, ";")
	out := parts[:1]
	var rest []string
	for _, p := range parts[1:] {
		name, val, named := strings.Cut(p, "=")
		switch {
		case strings.EqualFold(p, "QUOTED-PRINTABLE"),
			named && strings.EqualFold(name, "ENCODING") && strings.EqualFold(val, "QUOTED-PRINTABLE"):
			qp = true
		case named && strings.EqualFold(name, "CHARSET"):
			charset = val
			rest = append(rest, p)
		case !named && p != "":
			out = append(out, "TYPE="+p)
		default:
			out = append(out, p)
		}
	}
	if !qp {
		out = append(out, rest...) // CHARSET of a plain value: harmless, keep it
	}
	return strings.Join(out, ";"), qp, charset
}

// valueEscaper keeps a decoded value on one line, in vCard 3.0 escapes.
var valueEscaper = strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// decodeQuotedPrintable decodes a value in charset (UTF-8 or, as Outlook
// writes, Windows-1252). A value that does not decode is kept as it is.
func decodeQuotedPrintable(s, charset string) string {
	raw, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		return s
	}
	if !strings.EqualFold(charset, "utf-8") && !utf8.Valid(raw) {
		raw, _ = charmap.Windows1252.NewDecoder().Bytes(raw) // never fails: every byte maps
	}
	return valueEscaper.Replace(strings.ToValidUTF8(string(raw), "\uFFFD"))
}
