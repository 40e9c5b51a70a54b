package hyphen

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Breaker finds a word's breaks, reusing its scratch space: one per goroutine.
type Breaker struct {
	Patterns *Patterns
	runes    []rune
	at       []int
	values   []uint8
}

// Breaks appends to out the byte offsets in word (text between two spaces, punctuation
// included) before which it may be hyphenated at a line end, in order. A word that looks
// like an e-mail address or a URL has none; nor has a capitalised part (a name, an
// acronym). Each part between non-letters keeps two letters before a break and three
// after. A word is never broken at its own hyphens (« COVID-19 », « savoir-faire »): text
// extraction (pdftotext) joins a line ending with a hyphen to the next, and would drop it.
func (b *Breaker) Breaks(word string, out []int) []int {
	if !hasLetterRun(word, minBefore+minAfter) || isAddress(word) {
		return out
	}
	for i := 0; i < len(word); {
		c, size := utf8.DecodeRuneInString(word[i:])
		if !unicode.IsLetter(c) {
			i += size
			continue
		}
		end := i
		for end < len(word) {
			c, size := utf8.DecodeRuneInString(word[end:])
			if !unicode.IsLetter(c) {
				break
			}
			end += size
		}
		out = b.partBreaks(word, i, end, out)
		i = end
	}
	return out
}

// partBreaks appends the breaks of the letters word[start:end].
func (b *Breaker) partBreaks(word string, start, end int, out []int) []int {
	part := word[start:end]
	first, _ := utf8.DecodeRuneInString(part)
	if unicode.IsUpper(first) {
		return out
	}
	b.runes = b.runes[:0]
	for _, c := range part {
		b.runes = append(b.runes, c)
	}
	b.at, b.values = b.Patterns.Hyphenate(b.runes, b.at[:0], b.values)
	offset, r := start, 0
	for _, i := range b.at {
		for ; r < i; r++ {
			offset += utf8.RuneLen(b.runes[r])
		}
		out = append(out, offset)
	}
	return out
}

// hasLetterRun tells whether s holds at least n letters in a row, the least a break by
// the patterns needs: most words have not, and are done without further work.
func hasLetterRun(s string, n int) bool {
	run := 0
	for _, c := range s {
		if !unicode.IsLetter(c) {
			run = 0
			continue
		}
		if run++; run >= n {
			return true
		}
	}
	return false
}

// isAddress tells words that look like an e-mail address, a URL or a domain name, which
// must be read exactly: an @, a scheme, or a dot between two letters.
func isAddress(word string) bool {
	if strings.Contains(word, "@") || strings.Contains(word, "://") {
		return true
	}
	for i := 1; i+1 < len(word); i++ {
		if word[i] == '.' {
			before, _ := utf8.DecodeLastRuneInString(word[:i])
			after, _ := utf8.DecodeRuneInString(word[i+1:])
			if unicode.IsLetter(before) && unicode.IsLetter(after) {
				return true
			}
		}
	}
	return false
}
