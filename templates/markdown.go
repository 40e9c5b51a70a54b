package templates

import (
	"regexp"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdownParser is CommonMark without its two raw-HTML parsers, so that "<script>" in a
// communiqué's body is text rather than an HTML node that each renderer would have to
// drop. It is safe for concurrent use and built once.
var markdownParser = sync.OnceValue(func() parser.Parser {
	return parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(parser.NewSetextHeadingParser(), 100),
			util.Prioritized(parser.NewThematicBreakParser(), 200),
			util.Prioritized(parser.NewListParser(), 300),
			util.Prioritized(parser.NewListItemParser(), 400),
			util.Prioritized(parser.NewCodeBlockParser(), 500),
			util.Prioritized(parser.NewATXHeadingParser(), 600),
			util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
			util.Prioritized(parser.NewBlockquoteParser(), 800),
			util.Prioritized(parser.NewParagraphParser(), 1000),
		),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewLinkParser(), 200),
			util.Prioritized(parser.NewAutoLinkParser(), 300),
			util.Prioritized(parser.NewEmphasisParser(), 500),
		),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
})

// parseMarkdown parses source into a goldmark AST whose segments point into source.
func parseMarkdown(source []byte) ast.Node {
	return markdownParser().Parse(text.NewReader(source))
}

// TextValue returns what a Text node shows: its source segment with backslash escapes
// and character references resolved (goldmark keeps them raw in the segment, so
// "\*" in the source is "\*" in Segment.Value). Renderers walking Document.Root must
// use it instead of Segment.Value.
func TextValue(n *ast.Text, source []byte) string {
	v := n.Segment.Value(source)
	if n.IsRaw() {
		return string(v)
	}
	return Unescape(v)
}

// Unescape resolves Markdown backslash escapes and HTML character references in one
// pass, as CommonMark does for the content of text nodes and link destinations.
func Unescape(b []byte) string {
	var out strings.Builder
	out.Grow(len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '\\' && i+1 < len(b) && util.IsPunct(b[i+1]):
			out.WriteByte(b[i+1])
			i++
		case c == '&':
			ref := entityRe.Find(b[i:])
			resolved := util.ResolveEntityNames(util.ResolveNumericReferences(ref))
			if ref == nil || string(resolved) == string(ref) {
				out.WriteByte(c)
				continue
			}
			out.Write(resolved)
			i += len(ref) - 1
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

// LinkURL is the one rule every rendering (HTML, plain text, PDF) applies to a link node
// (*ast.Link or *ast.AutoLink): it returns where the link leads when its scheme is http,
// https or mailto, and "" otherwise. A link with no URL is rendered as its plain text:
// javascript:, vbscript:, data:, file: and relative links are never followed.
func LinkURL(n ast.Node, source []byte) string {
	var url string
	switch n := n.(type) {
	case *ast.Link:
		url = Unescape(n.Destination)
	case *ast.AutoLink:
		url = string(n.URL(source))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
			url = "mailto:" + url
		}
	}
	scheme, _, ok := strings.Cut(url, ":")
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		if ok {
			return url
		}
	}
	return ""
}

var entityRe = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// escapeInline makes plain text (already typographed) literal inside a Markdown
// paragraph, list item, heading or blockquote: every character that could start
// emphasis, a link, code, an HTML tag, a heading's closing sequence, an entity or a line
// break is backslash-escaped, and so is a block marker at the start. Line breaks become
// spaces: the text stays on one line. No-break spaces are kept.
func escapeInline(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		s = lineBreakRe.ReplaceAllString(s, " ")
	}
	s = strings.Trim(s, " ")
	marker := -1
	if blockStartRe.MatchString(s) {
		marker = strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	}
	escape := func(i int) bool {
		c := s[i]
		return i == marker || inlineSigns[c] || c == '&' && entityRe.MatchString(s[i:])
	}
	first := 0
	for first < len(s) && !escape(first) {
		first++
	}
	if first == len(s) {
		return s // most strings: nothing to escape, nothing to copy
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:first])
	for i := first; i < len(s); i++ {
		if escape(i) {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// inlineSigns are the bytes escapeInline escapes wherever they are.
var inlineSigns = [256]bool{'\\': true, '`': true, '*': true, '_': true, '[': true, ']': true,
	'<': true, '>': true, '#': true}

var lineBreakRe = regexp.MustCompile(`[ \t]*[\r\n]+[ \t]*`)

// blockStartRe matches text that would open a block (ordered or bullet list, thematic
// break, setext underline, fence) if it started a line; the marker is the first
// character that is not a digit. The signs escapeInline escapes everywhere are not
// repeated here.
var blockStartRe = regexp.MustCompile(`^(?:[0-9]{1,9}[.)](?:[ \t]|$)|[+\-](?:[ \t]|$)|[\-=]+[ \t]*$|~~~)`)
