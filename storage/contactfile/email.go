package contactfile

import (
	"net/mail"
	"strings"
)

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

// validEmail accepts a bare address (no display name, no angle brackets) whose
// domain has a dot, as net/mail parses it.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	domain := s[at+1:]
	if len(domain) < 3 || domain[0] == '.' || domain[0] == '[' || domain[len(domain)-1] == '.' ||
		!strings.Contains(domain, ".") {
		return false
	}
	if simpleEmail(s) {
		return true
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// simpleEmail accepts the everyday address, an ASCII dot-atom at a domain of
// letters, digits and hyphens, without net/mail's allocations. Everything it
// accepts, net/mail accepts too (FuzzSimpleEmail checks it); the rest goes to
// net/mail.
func simpleEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return false
	}
	domain := s[at+1:]
	return dotAtom(s[:at], isAtext) && dotAtom(domain, isDomainChar) && strings.IndexByte(domain, '.') > 0
}

// dotAtom reports whether s is runs of ok characters joined by single dots.
func dotAtom(s string, ok func(byte) bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			if s[i-1] == '.' {
				return false
			}
		} else if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDomainChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// isAtext reports the ASCII characters RFC 5322 allows in an atom.
func isAtext(c byte) bool {
	return isDomainChar(c) || strings.IndexByte("!#$%&'*+/=?^_`{|}~", c) >= 0
}
