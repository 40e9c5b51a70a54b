package typo

import (
	"strings"
	"unicode/utf8"
)

// Excerpt is text on one line, cut at a word boundary to at most limit characters with an
// ellipsis when it is longer.
func Excerpt(text string, limit int) string {
	// Only ASCII white space: Fields would also split at the typography's no-break spaces.
	text = strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\n' || r == '\r' || r == '\t' }), " ")
	if utf8.RuneCountInString(text) <= limit {
		return text
	}
	cut := []rune(text)[:limit]
	if i := strings.LastIndexByte(string(cut), ' '); i > 0 {
		return strings.TrimRight(string(cut)[:i], " ,;:\u00a0\u202f") + "…"
	}
	return string(cut) + "…"
}
