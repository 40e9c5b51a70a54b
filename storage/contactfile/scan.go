package contactfile

import (
	"strings"
	"unicode/utf8"
)

// Messages for malformed CSV records.
const (
	msgBareQuote    = "guillemet au milieu d'un champ\u00a0: mettez le champ entier entre guillemets et doublez ses guillemets"
	msgAfterQuote   = "texte après le guillemet fermant d'un champ"
	msgUnclosed     = "guillemet ouvrant sans guillemet fermant"
	msgExtraColumns = "colonne en trop"
)

// scanner splits CSV text into records (RFC 4180, strict quotes) and keeps the
// physical line number: "\r\n", "\n" and a lone "\r" (old Mac Excel) each end a
// line. It replaces encoding/csv, which swallows the rest of the file after an
// unclosed quote and cannot resume after a malformed record.
//
// Fields are substrings of the text: no copy unless a field holds doubled
// quotes. The fields slice is reused from one record to the next.
type scanner struct {
	text   string
	pos    int
	start  int // offset of the current record
	line   int // physical line of text[pos]
	sep    byte
	fields []string
	// stops marks the bytes that end or break an unquoted field: the
	// separator, CR, LF and the quote. One table look-up per byte.
	stops [256]bool
	// oneLine is set once a quote was left open until the end of the text: from
	// then on a quoted field may not span lines, so nothing is scanned twice.
	oneLine bool
}

func newScanner(text string, sep byte) *scanner {
	s := &scanner{text: text, line: 1, sep: sep, fields: make([]string, 0, 32)}
	for _, c := range []byte{sep, '\n', '\r', '"'} {
		s.stops[c] = true
	}
	return s
}

// next reads one record into s.fields. It returns the line the record starts
// on and, for a malformed record, a French message; ok is false at the end of
// the text. After a malformed record, reading resumes on the next line.
func (s *scanner) next() (line int, problem string, ok bool) {
	if s.pos >= len(s.text) {
		return 0, "", false
	}
	line, s.start = s.line, s.pos
	s.fields = s.fields[:0]
	for {
		if s.pos < len(s.text) && s.text[s.pos] == '"' {
			problem = s.quotedField()
		} else {
			problem = s.plainField()
		}
		if problem != "" {
			s.skipLine()
			return line, problem, true
		}
		if s.pos < len(s.text) && s.text[s.pos] == s.sep {
			s.pos++
			continue
		}
		s.endLine()
		return line, "", true
	}
}

// firstLine returns the first physical line of the current record, to show
// the user what could not be read.
func (s *scanner) firstLine() string {
	rest := s.text[s.start:]
	if k := strings.IndexAny(rest, "\r\n"); k >= 0 {
		return rest[:k]
	}
	return rest
}

// plainField reads an unquoted field up to the separator or the end of line.
func (s *scanner) plainField() string {
	i := s.pos
	for i < len(s.text) && !s.stops[s.text[i]] {
		i++
	}
	if i < len(s.text) && s.text[i] == '"' {
		s.pos = i
		return msgBareQuote
	}
	s.fields = append(s.fields, s.text[s.pos:i])
	s.pos = i
	return ""
}

// quotedField reads a field that starts with a quote at s.pos.
func (s *scanner) quotedField() string {
	start := s.pos + 1
	escaped := false
	i := start
	for {
		j := strings.IndexByte(s.text[i:], '"')
		if s.oneLine {
			end := len(s.text)
			if j >= 0 {
				end = i + j
			}
			if k := strings.IndexAny(s.text[i:end], "\r\n"); k >= 0 {
				s.pos = i + k
				return msgUnclosed
			}
		}
		if j < 0 {
			// Resume on the line after the opening quote; s.line is still its line.
			s.oneLine = true
			return msgUnclosed
		}
		end := i + j
		if end+1 < len(s.text) && s.text[end+1] == '"' {
			escaped = true
			i = end + 2
			continue
		}
		field := s.text[start:end]
		s.line += countLines(field)
		s.pos = end + 1
		if s.pos < len(s.text) {
			if c := s.text[s.pos]; c != s.sep && c != '\n' && c != '\r' {
				return msgAfterQuote
			}
		}
		if escaped {
			field = strings.ReplaceAll(field, `""`, `"`)
		}
		s.fields = append(s.fields, field)
		return ""
	}
}

// endLine consumes the line ending at s.pos, if any.
func (s *scanner) endLine() {
	if s.pos >= len(s.text) {
		return
	}
	if s.text[s.pos] == '\r' {
		s.pos++
	}
	if s.pos < len(s.text) && s.text[s.pos] == '\n' {
		s.pos++
	}
	s.line++
}

// skipLine moves past the end of the current physical line.
func (s *scanner) skipLine() {
	k := strings.IndexAny(s.text[s.pos:], "\r\n")
	if k < 0 {
		s.pos = len(s.text)
		return
	}
	s.pos += k
	s.endLine()
}

// countLines counts the line breaks in s, with the same rules as the scanner.
func countLines(s string) int {
	n := strings.Count(s, "\n")
	if strings.IndexByte(s, '\r') < 0 {
		return n
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			n++
		}
	}
	return n
}

// detectSeparator picks ";", tab or ",": the first that makes one of the first
// non-blank lines a header with an email column (the header may sit below a
// title row). Failing that, the one found most often on the first line.
func detectSeparator(text string) byte {
	first := ""
	for n := 0; text != "" && n < headerSearch; {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if strings.TrimSpace(line) == "" {
			continue
		}
		if n++; n == 1 {
			first = line
		}
		for _, sep := range [...]byte{';', '\t', ','} {
			if hasEmailColumn(line, sep) {
				return sep
			}
		}
	}
	sep, _ := lineSeparator(first)
	return sep
}

// hasEmailColumn reports whether line, cut at sep, has a cell naming an email
// column. Quotes need no care here: fold drops them.
func hasEmailColumn(line string, sep byte) bool {
	for line != "" {
		var cell string
		if i := strings.IndexByte(line, sep); i >= 0 {
			cell, line = line[:i], line[i+1:]
		} else {
			cell, line = line, ""
		}
		if a, ok := headerAliases[fold(cell)]; ok && a.field == fieldEmail {
			return true
		}
	}
	return false
}

// lineSeparator returns the separator found most often outside quotes on
// line (";" on a tie), and how often.
func lineSeparator(line string) (byte, int) {
	var counts [3]int
	seps := [3]byte{';', '\t', ','}
	inQuotes := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == '"' {
			inQuotes = !inQuotes
			continue
		}
		if inQuotes {
			continue
		}
		if c == '\r' {
			break
		}
		for k, sep := range seps {
			if c == sep {
				counts[k]++
			}
		}
	}
	best := 0
	for k := range seps {
		if counts[k] > counts[best] {
			best = k
		}
	}
	return seps[best], counts[best]
}

// separatorHint reads an Excel "sep=X" first line, which names the separator.
func separatorHint(text string) (byte, bool) {
	if len(text) < 5 || !strings.EqualFold(text[:4], "sep=") {
		return 0, false
	}
	if len(text) > 5 && text[5] != '\r' && text[5] != '\n' {
		return 0, false
	}
	c := text[4]
	ok := c < utf8.RuneSelf && c != '"' && c != '\r' && c != '\n' &&
		!('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9')
	return c, ok
}
