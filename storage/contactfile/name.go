package contactfile

import (
	"strings"
	"unicode"
)

// splitFullName splits "Jean Dupont" (or "Dupont Jean" when reversed). Words in
// capitals are the family name whatever their place, as in "DUPONT Jean"; a
// single word is taken as the family name.
func splitFullName(s string, reversed bool) (first, last string) {
	words := strings.Fields(s)
	switch len(words) {
	case 0:
		return "", ""
	case 1:
		return "", words[0]
	}
	n := len(words)
	lead, trail := 0, 0
	for lead < n && isCapitals(words[lead]) {
		lead++
	}
	for trail < n && isCapitals(words[n-1-trail]) {
		trail++
	}
	switch {
	case lead > 0 && lead < n:
		return strings.Join(words[lead:], " "), strings.Join(words[:lead], " ")
	case trail > 0 && trail < n:
		return strings.Join(words[:n-trail], " "), strings.Join(words[n-trail:], " ")
	case reversed:
		return strings.Join(words[1:], " "), words[0]
	}
	return words[0], strings.Join(words[1:], " ")
}

// isCapitals reports a word of two letters or more, none in lower case.
func isCapitals(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}
