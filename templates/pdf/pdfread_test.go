package pdf

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// pdfFile is a PDF read back with qpdf --json, its streams decoded.
type pdfFile struct {
	objects map[string]qpdfObject // by reference, "12 0 R", and "trailer"
	pages   []string              // each page's reference
}

type qpdfObject struct {
	Value  any         `json:"value"`
	Stream *qpdfStream `json:"stream"`
}

type qpdfStream struct {
	Dict map[string]any `json:"dict"`
	Data []byte         `json:"data"` // base64 in the JSON
}

// mustReadPDF reads pdf back with qpdf.
func mustReadPDF(tb testing.TB, pdf []byte) *pdfFile {
	tb.Helper()
	out := mustRun(tb, "qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized",
		mustWritePDF(tb, pdf))
	var doc struct {
		Pages []struct {
			Object string `json:"object"`
		} `json:"pages"`
		QPDF []json.RawMessage `json:"qpdf"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.QPDF) != 2 {
		tb.Fatalf("qpdf --json: %v", err)
	}
	f := &pdfFile{}
	if err := json.Unmarshal(doc.QPDF[1], &f.objects); err != nil {
		tb.Fatalf("qpdf --json objects: %v", err)
	}
	for k, o := range f.objects {
		f.objects[strings.TrimPrefix(k, "obj:")] = o
	}
	for _, p := range doc.Pages {
		f.pages = append(f.pages, p.Object)
	}
	return f
}

// dict returns v as a dictionary, following a reference; nil if it is none.
func (f *pdfFile) dict(v any) map[string]any {
	if ref, ok := v.(string); ok {
		o := f.objects[ref]
		if o.Stream != nil {
			return o.Stream.Dict
		}
		v = o.Value
	}
	d, _ := v.(map[string]any)
	return d
}

// stream returns the decoded data of the stream ref.
func (f *pdfFile) stream(tb testing.TB, ref any) []byte {
	tb.Helper()
	s, _ := ref.(string)
	o := f.objects[s]
	if o.Stream == nil {
		tb.Fatalf("%v is not a stream", ref)
	}
	return o.Stream.Data
}

func (f *pdfFile) catalog() map[string]any {
	return f.dict(f.dict("trailer")["/Root"])
}

// array returns v as an array, a single value as an array of one.
func array(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// markedContent is one marked-content sequence with an MCID: its tag, the text it shows
// and whether it paints an image.
type markedContent struct {
	tag   string
	text  string
	image bool
}

// pageContent reads page p's content stream: its marked content by MCID. It fails the test
// on text, images or strokes outside any marked content (neither tagged nor an artifact).
func (f *pdfFile) pageContent(tb testing.TB, p int) map[int]*markedContent {
	tb.Helper()
	page := f.dict(f.pages[p])
	fonts := f.dict(f.dict(page["/Resources"])["/Font"])
	unicode := map[string]map[uint16]string{}
	for name, ref := range fonts {
		unicode[name] = toUnicode(string(f.stream(tb, f.dict(ref)["/ToUnicode"])))
	}
	var content []byte
	for _, ref := range array(page["/Contents"]) {
		content = append(content, f.stream(tb, ref)...)
		content = append(content, '\n')
	}
	marked := map[int]*markedContent{}
	var stack []*markedContent // nil for a sequence without MCID
	var operands []string
	font := ""
	for _, tok := range contentTokens(content) {
		if !isOperator(tok) {
			operands = append(operands, tok)
			continue
		}
		switch tok {
		case "BDC", "BMC":
			var mc *markedContent
			if mcid := mcidOperand(operands); mcid >= 0 {
				if marked[mcid] != nil {
					tb.Errorf("page %d: MCID %d used twice", p+1, mcid)
				}
				mc = &markedContent{tag: operands[0]}
				marked[mcid] = mc
			}
			stack = append(stack, mc)
		case "EMC":
			if len(stack) == 0 {
				tb.Fatalf("page %d: EMC without BDC", p+1)
			}
			stack = stack[:len(stack)-1]
		case "Tf":
			font = operands[0]
		case "Tj", "TJ", "Do", "S":
			if len(stack) == 0 {
				tb.Errorf("page %d: %s %v outside marked content", p+1, tok, operands)
				break
			}
			for _, mc := range stack {
				if mc != nil && (tok == "Tj" || tok == "TJ") {
					mc.text += shownText(tb, operands, unicode[font])
				} else if mc != nil && tok == "Do" {
					mc.image = true
				}
			}
		}
		operands = operands[:0]
	}
	if len(stack) != 0 {
		tb.Errorf("page %d: %d marked-content sequences left open", p+1, len(stack))
	}
	return marked
}

// contentTokens splits a content stream into operands and operators; a dictionary is
// split into its tokens, "<<" and ">>" included.
func contentTokens(s []byte) []string {
	var toks []string
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\n' || c == '\r' || c == '\t':
			i++
		case strings.HasPrefix(string(s[i:min(i+2, len(s))]), "<<"),
			strings.HasPrefix(string(s[i:min(i+2, len(s))]), ">>"):
			toks = append(toks, string(s[i:i+2]))
			i += 2
		case c == '<':
			end := i + strings.IndexByte(string(s[i:]), '>') + 1
			toks = append(toks, string(s[i:end]))
			i = end
		case c == '(':
			end := literalEnd(s, i)
			toks = append(toks, string(s[i:end]))
			i = end
		default:
			end := i + 1
			for end < len(s) && !strings.ContainsRune(" \n\r\t<>/[]()", rune(s[end])) {
				end++
			}
			toks = append(toks, string(s[i:end]))
			i = end
		}
	}
	return toks
}

// literalEnd returns the end of the literal string that starts at s[i], "(": after its
// balancing ")", escaped bytes skipped.
func literalEnd(s []byte, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// literalBytes decodes a literal string token, "(…)", as a reader does: with its escapes
// (those the renderer writes: \( \) \\ \n \r), and an end of line that is not escaped
// (CR, LF or CR LF) read as LF (ISO 32000-1, 7.3.4.2).
func literalBytes(tb testing.TB, tok string) []byte {
	tb.Helper()
	var out []byte
	for i := 1; i < len(tok)-1; i++ {
		c := tok[i]
		if c == '\r' {
			if tok[i+1] == '\n' {
				i++
			}
			c = '\n'
		}
		if c == '\\' {
			i++
			switch c = tok[i]; c {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case '(', ')', '\\':
			default:
				tb.Fatalf("unexpected escape \\%c in %q", c, tok)
			}
		}
		out = append(out, c)
	}
	return out
}

func isOperator(tok string) bool {
	c := tok[0]
	return (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '\'' || c == '"') && tok != "true" && tok != "false"
}

// mcidOperand returns the MCID in a BDC's property list, or -1.
func mcidOperand(operands []string) int {
	for i, o := range operands {
		if o == "/MCID" && i+1 < len(operands) {
			n, err := strconv.Atoi(operands[i+1])
			if err == nil {
				return n
			}
		}
	}
	return -1
}

// toUnicode reads a ToUnicode CMap's bfchar entries, "<gid><UTF-16BE text>".
func toUnicode(cmap string) map[uint16]string {
	m := map[uint16]string{}
	for _, ln := range strings.Split(cmap, "\n") {
		gid, text, ok := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(ln, ">"), "<"), "><")
		if !ok || !strings.HasPrefix(ln, "<") {
			continue
		}
		g, err1 := strconv.ParseUint(gid, 16, 16)
		units, err2 := hex.DecodeString(text)
		if err1 != nil || err2 != nil || len(units)%2 != 0 {
			continue
		}
		u16 := make([]uint16, len(units)/2)
		for i := range u16 {
			u16[i] = uint16(units[2*i])<<8 | uint16(units[2*i+1])
		}
		m[uint16(g)] = string(utf16.Decode(u16))
	}
	return m
}

// shownText is the text a Tj or TJ shows: the glyphs of its strings, a TJ array's
// numbers (positioning) left out.
func shownText(tb testing.TB, operands []string, unicode map[uint16]string) string {
	tb.Helper()
	var sb strings.Builder
	for _, o := range operands {
		if strings.HasPrefix(o, "(") {
			sb.WriteString(decodeGlyphs(tb, literalBytes(tb, o), unicode))
		}
	}
	return sb.String()
}

// decodeGlyphs maps a Tj's string of two-byte glyph ids to text.
func decodeGlyphs(tb testing.TB, raw []byte, unicode map[uint16]string) string {
	tb.Helper()
	if len(raw)%2 != 0 {
		tb.Fatalf("Tj operand %q is not a string of glyph ids", raw)
	}
	var sb strings.Builder
	for i := 0; i < len(raw); i += 2 {
		gid := uint16(raw[i])<<8 | uint16(raw[i+1])
		text, ok := unicode[gid]
		if !ok {
			tb.Errorf("glyph %d has no ToUnicode entry", gid)
		}
		sb.WriteString(text)
	}
	return sb.String()
}
