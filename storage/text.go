package storage

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// NormalizeEmail is the form used for uniqueness and the suppression set: trimmed, lower case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// hasControl reports a control character, which would break headers, CSV and PDF lines.
// ASCII is checked byte by byte, the rest rune by rune: imports check every field of
// every row.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		} else if c >= utf8.RuneSelf {
			return strings.IndexFunc(s[i:], unicode.IsControl) >= 0
		}
	}
	return false
}

// hasControlExceptNewlines allows multi-line text (\n, \r\n, \t) but nothing else.
func hasControlExceptNewlines(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	}) >= 0
}

// line checks a one-line field: required or not, length, no control characters.
func (p *Problems) line(field string, value *string, required bool, max int) {
	*value = strings.TrimSpace(*value)
	if required {
		p.Require(field, *value)
	}
	p.MaxLen(field, *value, max)
	if hasControl(*value) {
		p.Add(field, "retour à la ligne ou caractère de contrôle interdit")
	}
}

// text checks a multi-line field.
func (p *Problems) text(field string, value *string, required bool, max int) {
	*value = strings.TrimSpace(strings.ReplaceAll(*value, "\r\n", "\n"))
	if required {
		p.Require(field, *value)
	}
	p.MaxLen(field, *value, max)
	if hasControlExceptNewlines(*value) {
		p.Add(field, "caractère de contrôle interdit")
	}
}

// words cleans a list of short labels (regions, tags): trimmed, no blanks, no duplicates.
func (p *Problems) words(field string, values *[]string) {
	var buf [8]string // lists are short: no map, and no allocation for up to 8 labels
	seen := buf[:0]
	out := make([]string, 0, len(*values))
	for _, v := range *values {
		v = strings.TrimSpace(v)
		key := strings.ToLower(v)
		if v == "" || slices.Contains(seen, key) {
			continue
		}
		seen = append(seen, key)
		p.MaxLen(field, v, 100)
		if hasControl(v) {
			p.Add(field, "caractère de contrôle interdit")
		}
		out = append(out, v)
	}
	*values = out
}

// oneOf checks that value is one of the allowed words.
func (p *Problems) oneOf(field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	p.Add(field, "valeur inconnue «\u202f"+value+"\u202f», attendu\u00a0: "+strings.Join(allowed, ", "))
}

// date checks a calendar date YYYY-MM-DD (empty allowed unless required).
func (p *Problems) date(field string, value *string, required bool) {
	*value = strings.TrimSpace(*value)
	if *value == "" {
		if required {
			p.Add(field, "champ obligatoire")
		}
		return
	}
	if _, err := time.Parse("2006-01-02", *value); err != nil {
		p.Add(field, "date attendue au format AAAA-MM-JJ")
	}
}

// ids drops zero and duplicate ids, keeping the order.
func uniqueIDs(ids []uint64) []uint64 {
	seen := map[uint64]bool{}
	out := make([]uint64, 0, len(ids))
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }
