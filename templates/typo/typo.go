// Package typo applies French typography to user text, once, before it is escaped into a
// communiqué's Markdown. Every function is idempotent: applying it twice changes nothing.
//
// Rules applied by Text and Markdown, outside protected spans:
//   - runs of spaces and tabs inside a line collapse to one space;
//   - "..." becomes "…";
//   - the straight apostrophe ' becomes ’ (U+2019);
//   - straight and curly double quotes become « guillemets »: opening after a space, the
//     start of a line or an opening bracket, closing elsewhere; the space inside guillemets is
//     always U+202F NARROW NO-BREAK SPACE (existing spaces are normalised);
//   - U+202F before ; ! ? and U+00A0 NO-BREAK SPACE before : when the sign ends a clause
//     (followed by a space, the end of the text or closing punctuation), so "10:30", "3:2"
//     and "?a=b" stay as they are;
//   - thousands are grouped with U+202F, with care for years, phones and codes (below);
//   - a space typed between a number and % ‰ € becomes U+202F ("11 %"); none is added
//     where none was typed ("17%").
//
// Thousands. A number already grouped with spaces ("1 500", "12 000 000") gets U+202F
// separators. An integer of 5 digits or more is grouped ("12500" → "12 500"), except a
// 5-digit number followed by a capitalised word, which is a postal code ("69007 Lyon").
// A 4-digit integer is grouped only when it is clearly a quantity: followed by a unit
// sign (€ $ £ % ‰) or by a lowercase word of three letters or more that does not
// usually follow a year ("1500 adhérents", "2500 €"), and not preceded by a word that
// introduces a year ("en", "depuis", a month…); so "en 2020", "mai 2020", "2020 a été",
// "depuis 2005 au bénéfice" stay as they are. Never grouped: numbers starting with 0
// (phones, codes), numbers glued to a letter, a digit or one of - / _ # @ ° +
// (COVID-19, A320, 2020-05-12, 12/05/2020, +33612345678), the digits after a decimal
// comma, point or colon (3,14159, 10:30, 03.28.55.90.60), and numbers that continue a
// space-separated run of digits ("06 74 29 84 06").
//
// Protected spans, copied unchanged: URLs (http://, https://, www.), email addresses and,
// in Markdown, code spans, fenced code blocks, autolinks, link destinations and link
// reference definitions.
package typo

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Typographic spaces.
const (
	NBSP  = '\u00A0' // before a colon, inside dates and times
	NNBSP = '\u202F' // inside guillemets, before ; ! ?, between thousands
)

var (
	urlRe   = regexp.MustCompile(`(?i)(?:https?://|\bwww\.)[^\s<>«»"\x{A0}\x{202F}\x{2009}]+`)
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// Markdown constructs whose content is not prose.
	fenceRe    = regexp.MustCompile("(?ms)^ {0,3}```.*?^ {0,3}```[ \t]*$|^ {0,3}~~~.*?^ {0,3}~~~[ \t]*$")
	codeSpanRe = regexp.MustCompile("``[^`](?:[^`]|`[^`])*?``|`[^`]+`")
	autoLinkRe = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9.+\-]{1,31}:[^\s<>]*>|<[^\s<>@]+@[^\s<>]+>`)
	linkDestRe = regexp.MustCompile(`\]\(\s*(?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)`)
	linkDefRe  = regexp.MustCompile(`(?m)^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$`)
)

// Text applies every rule to a plain user string (a title, a quote, a measure, a name)
// and trims it. URLs and email addresses are left alone.
func Text(s string) string {
	return protect(strings.TrimSpace(s), textSpans, prose)
}

// Markdown applies every rule to user Markdown (a communiqué's body), leaving alone
// code, autolinks, link destinations and reference definitions, URLs and email addresses,
// and the indentation at the start of lines.
func Markdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return protect(strings.TrimSpace(s), markdownSpans, prose)
}

// span is a kind of protected text: its pattern, and a cheap test that must pass for the
// pattern to match at all, which spares most strings a regexp scan.
type span struct {
	re       *regexp.Regexp
	possible func(string) bool
}

func containing(needles ...string) func(string) bool {
	return func(s string) bool {
		for _, n := range needles {
			if strings.Contains(s, n) {
				return true
			}
		}
		return false
	}
}

var (
	urlSpan       = span{urlRe, containing("://", "www.", "WWW.", "Www.")}
	emailSpan     = span{emailRe, containing("@")}
	textSpans     = []span{urlSpan, emailSpan}
	markdownSpans = []span{
		{fenceRe, containing("```", "~~~")},
		{linkDefRe, containing("]:")},
		{codeSpanRe, containing("`")},
		{autoLinkRe, containing("<")},
		{linkDestRe, containing("](")},
		urlSpan,
		emailSpan,
	}
)

// prose applies the rules to text free of protected spans; placeholders stand for them.
func prose(s string) string {
	s = collapseSpaces(s)
	s = strings.ReplaceAll(s, "...", "…")
	s = strings.ReplaceAll(s, "'", "’")
	s = guillemets(s)
	s = highPunctuation(s)
	s = groupThousands(s)
	if hasUnitSign(s) {
		s = unitSpaces(s)
	}
	return s
}

// hasQuote and hasUnitSign tell whether the rules for quotes and unit signs may apply.
// strings.ContainsAny decodes s rune by rune when the set is not ASCII; a search for each
// sign's bytes is several times faster on a communiqué's paragraphs.
var (
	hasQuote    = containing("\"", "“", "”", "„", "«", "»")
	hasUnitSign = containing("%", "‰", "€")
)

// unitSpaces turns the space (or U+00A0) typed between a digit and a percent, per mille
// or euro sign into U+202F.
func unitSpaces(s string) string {
	var out []byte // nil until a space is replaced
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			continue
		}
		space := i + 1
		sign := space
		switch {
		case strings.HasPrefix(s[space:], " "):
			sign++
		case strings.HasPrefix(s[space:], "\u00a0"):
			sign += len("\u00a0")
		default:
			continue
		}
		if rest := s[sign:]; strings.HasPrefix(rest, "%") || strings.HasPrefix(rest, "‰") || strings.HasPrefix(rest, "€") {
			out = append(append(out, s[last:space]...), "\u202f"...)
			last, i = sign, sign
		}
	}
	if out == nil {
		return s
	}
	return string(append(out, s[last:]...))
}

// collapseSpaces turns runs of spaces and tabs between two visible characters of a line
// into one space, keeping indentation and trailing spaces (a Markdown hard break).
func collapseSpaces(s string) string {
	if strings.IndexByte(s, '\t') < 0 && !strings.Contains(s, "  ") {
		return s // nothing to collapse: spare the copy
	}
	var b strings.Builder
	b.Grow(len(s))
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		if c != ' ' && c != '\t' {
			b.WriteByte(c)
			lineStart = c == '\n'
			i++
			continue
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if lineStart || j == len(s) || s[j] == '\n' || j-i == 1 && c == ' ' {
			b.WriteString(s[i:j])
		} else {
			b.WriteByte(' ')
		}
		i = j
	}
	return b.String()
}

// isSpace reports whether r is a horizontal space, breaking or not.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == NBSP || r == NNBSP || r == '\u2009'
}

// guillemets turns double quotes into « » and normalises the spaces inside them.
func guillemets(s string) string {
	if !hasQuote(s) {
		return s
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs)+8)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '"' || r == '“' || r == '”' || r == '„' {
			r = '»'
			if opens(out) {
				r = '«'
			}
		}
		switch r {
		case '«':
			out = append(out, '«', NNBSP)
			for i+1 < len(rs) && isSpace(rs[i+1]) {
				i++
			}
		case '»':
			out = trimSpacesRight(out)
			if len(out) > 0 && out[len(out)-1] != '\n' {
				out = append(out, NNBSP)
			}
			out = append(out, '»')
		default:
			out = append(out, r)
		}
	}
	return string(out)
}

// opens reports whether a straight quote written after out opens a quotation.
func opens(out []rune) bool {
	if len(out) == 0 {
		return true
	}
	p := out[len(out)-1]
	return unicode.IsSpace(p) || isSpace(p) || strings.ContainsRune("([{—–-/«", p)
}

func trimSpacesRight(out []rune) []rune {
	for len(out) > 0 && isSpace(out[len(out)-1]) {
		out = out[:len(out)-1]
	}
	return out
}

// highPunctuation puts U+202F before ; ! ? and U+00A0 before : when the sign closes a
// clause, replacing whatever space the user typed there. It works on the bytes: the signs
// are ASCII, and converting to runes and back took most of its time.
func highPunctuation(s string) string {
	if !strings.ContainsAny(s, ";:!?") {
		return s
	}
	out := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == ';' || c == ':' || c == '!' || c == '?') && endsClause(s[i+1:]) {
			out = spaceBefore(out, c)
		}
		out = append(out, c)
	}
	return string(out)
}

// endsClause reports whether a punctuation sign followed by rest ends a clause.
func endsClause(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsSpace(r) || isSpace(r) || strings.ContainsRune("»)]\"”’*_.,…;:!?", r)
}

// spaceBefore replaces the spaces at the end of out with the one sign p needs, unless
// p follows another high sign, an opening bracket or the start of a line.
func spaceBefore(out []byte, p byte) []byte {
	trimmed := out
	for len(trimmed) > 0 {
		r, size := utf8.DecodeLastRune(trimmed)
		if !isSpace(r) {
			break
		}
		trimmed = trimmed[:len(trimmed)-size]
	}
	if len(trimmed) == 0 {
		return out
	}
	prev, _ := utf8.DecodeLastRune(trimmed)
	if prev == '\n' || strings.ContainsRune(";:!?([{«", prev) {
		return out
	}
	sp := NNBSP
	if p == ':' {
		sp = NBSP
	}
	return utf8.AppendRune(trimmed, sp)
}

// protect runs f on the parts of s outside the spans matched by res, in order of
// precedence. Each span is replaced by one private-use rune while f runs, so that f sees
// it as an opaque word, then restored.
func protect(s string, spans []span, f func(string) string) string {
	var saved []string
	hold := func(m string) string {
		if len(saved) >= placeholderCount {
			return m
		}
		saved = append(saved, m)
		return string(rune(placeholderBase + len(saved) - 1))
	}
	// Private-use runes typed by the user are protected too, so that they never collide.
	if mayHoldPlaceholder(s) && strings.ContainsFunc(s, isPlaceholder) {
		s = placeholderRe.ReplaceAllStringFunc(s, hold)
	}
	for _, sp := range spans {
		if !sp.possible(s) {
			continue
		}
		s = sp.re.ReplaceAllStringFunc(s, func(m string) string {
			kept := trimURLTail(sp.re, m)
			return hold(kept) + m[len(kept):]
		})
	}
	s = f(s)
	if len(saved) == 0 {
		return s
	}
	return placeholderRe.ReplaceAllStringFunc(s, func(m string) string {
		r, _ := utf8.DecodeRuneInString(m)
		return saved[r-placeholderBase]
	})
}

const (
	placeholderBase  = 0xE000
	placeholderCount = 0x1900 // up to U+F8FF, the end of the private-use area
)

var placeholderRe = regexp.MustCompile("[\uE000-\uF8FF]")

// URLs returns the start and end of each URL written in plain text in s (from http://,
// https:// or www. up to a space, a guillemet or an angle bracket), without the sentence
// punctuation after it: the URLs the rules leave alone.
func URLs(s string) [][2]int {
	var out [][2]int
	for _, m := range urlRe.FindAllStringIndex(s, -1) {
		kept := trimURLTail(urlRe, s[m[0]:m[1]])
		out = append(out, [2]int{m[0], m[0] + len(kept)})
	}
	return out
}

// trimURLTail keeps sentence punctuation after a URL out of the URL: "voir www.a.fr." ends
// with a full stop that belongs to the sentence.
func trimURLTail(re *regexp.Regexp, m string) string {
	if re != urlRe {
		return m
	}
	return strings.TrimRight(m, ".,;:!?)’'")
}

// mayHoldPlaceholder is a quick test for isPlaceholder's runes, U+E000 to U+F8FF, whose
// UTF-8 encodings start with byte 0xEE or 0xEF.
func mayHoldPlaceholder(s string) bool {
	return strings.IndexByte(s, 0xEE) >= 0 || strings.IndexByte(s, 0xEF) >= 0
}

// isPlaceholder reports whether r stands for a protected span.
func isPlaceholder(r rune) bool {
	return r >= placeholderBase && r < placeholderBase+placeholderCount
}
