package templates

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// TextWidth is the column at which RenderText wraps lines.
const TextWidth = 72

// RenderText renders a document as plain text for the text/plain alternative of an
// email: the header lines, then the body with the title in capitals underlined with "=",
// section headings underlined with "-", bullets "– ", quotes indented with their
// attribution after "— ", links as "text <url>". Lines are wrapped at TextWidth columns
// between words only: a no-break space (U+00A0, U+202F) never starts a new line.
func RenderText(doc *Document) string {
	var lines []string
	lines = append(lines, wrap(doc.Kind, "", "")...)
	lines = append(lines, wrap(doc.Author, "", "")...)
	lines = append(lines, wrap(doc.Dateline, "", "")...)
	lines = append(lines, wrap(doc.Embargo, "", "")...)
	if doc.Root != nil {
		r := textRenderer{source: doc.Source}
		lines = append(lines, "")
		lines = append(lines, r.children(doc.Root, "", "", false)...)
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(strings.TrimRight(l, " "))
		b.WriteByte('\n')
	}
	return strings.TrimLeft(b.String(), "\n")
}

type textRenderer struct {
	source []byte
}

// children renders the blocks under n, the first after prefix first and every other line
// after prefix rest, separated by blank lines unless tight.
func (r textRenderer) children(n ast.Node, first, rest string, tight bool) []string {
	var lines []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		block := r.block(c, first, rest)
		if len(block) == 0 {
			continue
		}
		if len(lines) > 0 && !tight {
			lines = append(lines, strings.TrimRight(rest, " "))
		}
		lines = append(lines, block...)
		first = rest
	}
	return lines
}

func (r textRenderer) block(n ast.Node, first, rest string) []string {
	switch n := n.(type) {
	case *ast.Heading:
		return r.heading(n, first, rest)
	case *ast.Paragraph, *ast.TextBlock:
		return wrap(r.inline(n), first, rest)
	case *ast.List:
		return r.list(n, first, rest)
	case *ast.Blockquote:
		return r.quote(n, first, rest)
	case *ast.ThematicBreak:
		return nil // the blank line between blocks is the gap
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return r.code(n, first, rest)
	}
	if n.HasChildren() {
		return r.children(n, first, rest, false)
	}
	return r.code(n, first, rest)
}

// heading writes level 1 in capitals underlined with "=", level 2 underlined with "-",
// deeper levels as they are.
func (r textRenderer) heading(n *ast.Heading, first, rest string) []string {
	text := r.inline(n)
	if n.Level == 1 {
		text = strings.ToUpper(text)
	}
	lines := wrap(text, first, rest)
	if n.Level > 2 {
		return lines
	}
	width := 0
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		width = max(width, utf8.RuneCountInString(l)-utf8.RuneCountInString(p))
	}
	mark := "="
	if n.Level == 2 {
		mark = "-"
	}
	return append(lines, rest+strings.Repeat(mark, width))
}

// list writes each item after "– " or its number, with a hanging indent.
func (r textRenderer) list(n *ast.List, first, rest string) []string {
	var lines []string
	number := n.Start
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		if item != n.FirstChild() {
			if !n.IsTight {
				lines = append(lines, strings.TrimRight(rest, " "))
			}
			first = rest
		}
		bullet := "– "
		if n.IsOrdered() {
			bullet = strconv.Itoa(number) + ". "
			number++
		}
		hang := rest + strings.Repeat(" ", utf8.RuneCountInString(bullet))
		lines = append(lines, r.children(item, first+bullet, hang, n.IsTight)...)
	}
	return lines
}

// quote indents a blockquote; paragraphs after the first are its attribution, set after
// a dash.
func (r textRenderer) quote(n *ast.Blockquote, first, rest string) []string {
	var lines []string
	indent := rest + "    "
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		p := indent
		if c == n.FirstChild() {
			p = first + "    "
		} else {
			lines = append(lines, "")
		}
		if _, ok := c.(*ast.Paragraph); ok && c != n.FirstChild() {
			lines = append(lines, wrap("— "+r.inline(c), p, indent+"  ")...)
			continue
		}
		lines = append(lines, r.block(c, p, indent)...)
	}
	return lines
}

// code writes the lines of a code block verbatim, indented.
func (r textRenderer) code(n ast.Node, first, rest string) []string {
	var lines []string
	segs := n.Lines()
	for i := 0; i < segs.Len(); i++ {
		p := rest
		if i == 0 {
			p = first
		}
		seg := segs.At(i)
		lines = append(lines, p+"    "+strings.TrimRight(string(seg.Value(r.source)), "\n"))
	}
	return lines
}

// inline returns the text of n's inline children, "\n" marking hard line breaks.
func (r textRenderer) inline(n ast.Node) string {
	var b strings.Builder
	r.writeInline(&b, n)
	return b.String()
}

func (r textRenderer) writeInline(b *strings.Builder, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(TextValue(c, r.source))
			if c.HardLineBreak() {
				b.WriteByte('\n')
			} else if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.Link:
			b.WriteString(linkText(r.inline(c), LinkURL(c, r.source)))
		case *ast.AutoLink:
			b.Write(c.Label(r.source))
		default:
			r.writeInline(b, c)
		}
	}
}

// linkText is a link as plain text: "text <url>", the address alone when the text
// already says it, or the text alone when the link may not be followed (url is "").
func linkText(text, url string) string {
	address := strings.TrimPrefix(url, "mailto:")
	if text == address || text == url || url == "" {
		return text
	}
	return text + " <" + url + ">"
}

// wrap breaks text into lines of at most TextWidth columns at ASCII spaces, after
// prefix first then rest; a word longer than a line stays whole. "\n" in text forces a
// break.
func wrap(text, first, rest string) []string {
	if text == "" {
		return nil
	}
	var lines []string
	prefix := first
	for _, hard := range strings.Split(text, "\n") {
		line := prefix
		width := utf8.RuneCountInString(line)
		empty := true
		for _, word := range strings.Split(hard, " ") {
			if word == "" {
				continue
			}
			w := utf8.RuneCountInString(word)
			if !empty && width+1+w > TextWidth {
				lines = append(lines, line)
				line, width, empty = rest, utf8.RuneCountInString(rest), true
			}
			if !empty {
				line += " "
				width++
			}
			line += word
			width += w
			empty = false
		}
		lines = append(lines, line)
		prefix = rest
	}
	return lines
}
