package storage

import (
	"strings"
	"unicode/utf8"
)

// EmailProblem is the one rule for e-mail addresses, applied where an address comes in
// (API, import) and where a message goes out (test sends, the mailer): it says in French
// why s is not an address Porte-Voix can send to, or returns "" when it is one. An
// address is ASCII, since the sender does not negotiate SMTPUTF8: a dot-atom, "@", and a
// domain name of letters, digits and hyphens with at least one dot.
func EmailProblem(s string) string {
	switch {
	case len(s) > 254:
		return "adresse e-mail de plus de 254 caractères"
	case hasControl(s) || strings.ContainsAny(s, " <>"):
		return "adresse e-mail attendue seule, sans nom, espace ni chevrons"
	case !isASCII(s):
		return "les adresses internationalisées (caractères accentués) ne sont pas prises en charge"
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "adresse e-mail sans «\u202f@\u202f»"
	}
	local, domain := s[:at], s[at+1:]
	if !isDotAtom(local) {
		return "adresse e-mail invalide avant «\u202f@\u202f»\u00a0: «\u202f" + local + "\u202f»"
	}
	if domain == "" {
		return "adresse e-mail sans nom de domaine après «\u202f@\u202f»"
	}
	if why := domainProblem(domain); why != "" {
		return "nom de domaine invalide\u00a0: «\u202f" + domain + "\u202f» (" + why + ")"
	}
	return ""
}

// ValidEmail reports whether EmailProblem accepts s.
func ValidEmail(s string) bool { return EmailProblem(s) == "" }

// domainProblem checks a host name by the LDH rule (RFC 1123): labels of 1 to 63 letters,
// digits and hyphens, not starting or ending with a hyphen. Its limit of 253 characters
// in all needs no check: the whole address has at most 254.
func domainProblem(d string) string {
	if !strings.Contains(d, ".") {
		return "il faut au moins un point, comme dans example.org"
	}
	for label := range strings.SplitSeq(d, ".") {
		switch {
		case label == "":
			return "élément vide entre deux points"
		case len(label) > 63:
			return "élément de plus de 63 caractères"
		case label[0] == '-' || label[len(label)-1] == '-':
			return "un élément ne peut ni commencer ni finir par un trait d’union"
		}
		if i := strings.IndexFunc(label, func(r rune) bool { return !isLetterDigit(r) && r != '-' }); i >= 0 {
			return "caractère «\u202f" + label[i:i+1] + "\u202f» non permis, seulement lettres, chiffres et traits d’union"
		}
	}
	return ""
}

// isDotAtom reports whether s is runs of RFC 5322 atom characters joined by single dots.
func isDotAtom(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		if !isLetterDigit(r) && !strings.ContainsRune(".!#$%&'*+-/=?^_`{|}~", r) {
			return false
		}
	}
	return true
}

func isLetterDigit(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// email checks a required address field: its length and characters, then, when those
// pass, its form by EmailProblem.
func (p *Problems) email(field string, value *string) {
	before := len(*p)
	p.line(field, value, true, 254)
	if len(*p) == before {
		if why := EmailProblem(*value); why != "" {
			p.Add(field, why)
		}
	}
}
