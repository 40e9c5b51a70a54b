package typo

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// groupThousands groups the digits of quantities by three with U+202F, following the
// rules in the package documentation.
func groupThousands(s string) string {
	if !mayGroup(s) {
		return s
	}
	return regroup(s)
}

// regroup is groupThousands without its quick test.
func regroup(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs)+8)
	for i := 0; i < len(rs); {
		if !isDigit(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		j := digitsEnd(rs, i)
		if end := groupedEnd(rs, i, j); end > 0 && isolated(rs, i, end) {
			out = appendRegrouped(out, rs[i:end])
			i = end
			continue
		}
		if isolated(rs, i, j) && isQuantity(rs, i, j) {
			out = appendGrouped(out, rs[i:j])
		} else {
			out = append(out, rs[i:j]...)
		}
		i = j
	}
	return string(out)
}

// mayGroup reports whether s holds what groupThousands may change: a run of four digits
// or more, or a digit, a space (isSpace) and a digit. Most strings have neither, and are
// spared their conversion to runes and back.
func mayGroup(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			run = 0
			continue
		}
		if run++; run == 4 {
			return true
		}
		r, size := utf8.DecodeRuneInString(s[i+1:])
		if isSpace(r) && i+1+size < len(s) && s[i+1+size] >= '0' && s[i+1+size] <= '9' {
			return true
		}
	}
	return false
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func digitsEnd(rs []rune, i int) int {
	for i < len(rs) && isDigit(rs[i]) {
		i++
	}
	return i
}

// groupedEnd returns where a number already grouped by spaces, starting with the digits
// rs[i:j], ends; or 0 when the digits are not followed by groups of exactly three.
func groupedEnd(rs []rune, i, j int) int {
	if j-i > 3 || rs[i] == '0' {
		return 0
	}
	end := 0
	for k := j; k+1 < len(rs) && isSpace(rs[k]) && isDigit(rs[k+1]); {
		e := digitsEnd(rs, k+1)
		if e-(k+1) != 3 {
			return 0 // "1 234 56": not a grouped number, maybe a phone or a list
		}
		end, k = e, e
	}
	return end
}

// isolated reports whether rs[i:j] is a number on its own: not part of an identifier, a
// date, a decimal fraction, a time or a longer run of space-separated digits.
func isolated(rs []rune, i, j int) bool {
	if i > 0 {
		p := rs[i-1]
		if glued(p) || strings.ContainsRune(".,:", p) && i > 1 && isDigit(rs[i-2]) {
			return false
		}
		if isSpace(p) && i > 1 && isDigit(rs[i-2]) {
			return false
		}
	}
	if j < len(rs) {
		n := rs[j]
		if glued(n) && n != '+' {
			return false
		}
		if isSpace(n) && j+1 < len(rs) && isDigit(rs[j+1]) {
			return false
		}
	}
	return true
}

// glued reports whether a number touching r is part of a code rather than a quantity.
func glued(r rune) bool {
	return unicode.IsLetter(r) || isDigit(r) || isPlaceholder(r) || strings.ContainsRune("-/_#@°+", r)
}

// isQuantity reports whether the ungrouped integer rs[i:j] should be grouped.
func isQuantity(rs []rune, i, j int) bool {
	switch n := j - i; {
	case rs[i] == '0' || n < 4:
		return false
	case n == 5 && isPostalCode(rs, j):
		return false
	case n >= 5:
		return true
	}
	return !yearBefore[strings.ToLower(wordBefore(rs, i))] && unitAfter(rs, j)
}

func isPostalCode(rs []rune, j int) bool {
	return j+1 < len(rs) && rs[j] == ' ' && unicode.IsUpper(rs[j+1])
}

// unitAfter reports whether a 4-digit number ending at j is followed by a unit or a noun.
func unitAfter(rs []rune, j int) bool {
	if j < len(rs) && strings.ContainsRune(unitSigns, rs[j]) {
		return true
	}
	if j+1 >= len(rs) || !isSpace(rs[j]) {
		return false
	}
	if strings.ContainsRune(unitSigns, rs[j+1]) {
		return true
	}
	w := wordAt(rs, j+1)
	first := []rune(w + " ")[0]
	return len([]rune(w)) >= 3 && unicode.IsLower(first) && !afterYear[w]
}

const unitSigns = "€$£%‰"

// wordBefore returns the letters just before the space before rs[i], or "".
func wordBefore(rs []rune, i int) string {
	if i < 2 || !isSpace(rs[i-1]) {
		return ""
	}
	k := i - 1
	for k > 0 && unicode.IsLetter(rs[k-1]) {
		k--
	}
	return string(rs[k : i-1])
}

func wordAt(rs []rune, i int) string {
	k := i
	for k < len(rs) && unicode.IsLetter(rs[k]) {
		k++
	}
	return string(rs[i:k])
}

// yearBefore lists the words after which a 4-digit number is a year.
var yearBefore = map[string]bool{
	"janvier": true, "février": true, "mars": true, "avril": true, "mai": true, "juin": true,
	"juillet": true, "août": true, "septembre": true, "octobre": true, "novembre": true,
	"décembre": true, "en": true, "depuis": true, "dès": true, "année": true, "années": true,
	"an": true, "ici": true, "avant": true, "après": true, "vers": true, "fin": true,
	"début": true, "mi": true, "été": true, "hiver": true, "printemps": true, "automne": true,
	"horizon": true, "exercice": true, "promotion": true, "édition": true, "rentrée": true,
}

// afterYear lists lowercase words of three letters or more that often follow a year
// ("2020 sera", "2020 pour") and rarely follow a count.
var afterYear = map[string]bool{
	"est": true, "sera": true, "était": true, "fut": true, "sont": true, "ont": true,
	"avait": true, "aura": true, "marque": true, "marquera": true, "restera": true,
	"verra": true, "voit": true, "pour": true, "par": true, "sur": true, "dans": true,
	"avec": true, "les": true, "des": true, "une": true, "aux": true, "lors": true,
	"puis": true, "alors": true, "déjà": true, "encore": true, "contre": true,
}

// appendGrouped appends digits grouped by three from the right with U+202F.
func appendGrouped(out, digits []rune) []rune {
	for k, d := range digits {
		if k > 0 && (len(digits)-k)%3 == 0 {
			out = append(out, NNBSP)
		}
		out = append(out, d)
	}
	return out
}

// appendRegrouped appends an already grouped number with U+202F as its separators.
func appendRegrouped(out, number []rune) []rune {
	for _, r := range number {
		if isSpace(r) {
			r = NNBSP
		}
		out = append(out, r)
	}
	return out
}
