package contactfile

import "strings"

// firstValue keeps the first of Google's " ::: "-separated values.
func firstValue(s string) string {
	if i := strings.Index(s, " ::: "); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// trimMailto removes the "mailto:" of an address pasted from a web page.
func trimMailto(s string) string {
	if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		return strings.TrimSpace(s[7:])
	}
	return s
}
