package pdf

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"portevoix/templates"
	"portevoix/templates/typo"
)

// piece is a stretch of inline text in one style; "\n" is a hard line break.
type piece struct {
	text string
	st   style
	link string
}

type align uint8

const (
	justify align = iota
	alignLeft
	alignRight
)

type blockKind uint8

const (
	paragraph blockKind = iota
	heading
	rule
)

// block is one laid-out unit of the body: a paragraph, a heading or a rule.
type block struct {
	kind        blockKind
	pieces      []piece
	size        float64 // font size, pt
	leading     float64 // line height, pt
	spaceBefore float64
	indent      float64 // left indent from the margin
	align       align
	marker      string // list bullet or number, hung left of the indent
	quote       bool   // draw the blockquote bar
	joinBar     bool   // a quote's later paragraph: its bar joins the one above
	keepNext    bool   // a quote's paragraph before its attribution: never parted from it
	outline     int    // the heading's level in the PDF outline, from 1; 0: not listed
	elem        int    // its structure element (H1…, P), see structTree
	label       int    // the Lbl element of its marker, 0 if none
}

// Type sizes and spacing, in points.
const (
	bodySize      = 10.5
	bodyLeading   = 14.5
	paraSpace     = 6
	itemSpace     = 3
	listIndent    = 16
	quoteIndent   = 16
	titleSize     = 19
	h2Size        = 13
	h3Size        = 11
	ruleGap       = 14
	markerPadding = 5
)

// blockContext is what enclosing containers (lists, blockquotes) impose on a block.
type blockContext struct {
	indent float64
	quote  bool
	marker string
	// joinBar and keepNext: see block.
	joinBar, keepNext bool
	right             bool // right-align (a quote's attribution)
	tight             bool // list item paragraph: small space before
	parent            int  // the structure element its blocks go in
	label             int  // the Lbl element of marker
}

// converter turns the goldmark AST into blocks.
type converter struct {
	src    []byte
	blocks []block
	tags   *structTree
	quote  bool // converting a blockquote's paragraph, whose base style is italic
}

// toBlocks returns the blocks of the document and its structure, blocks in Document, in
// space: a previous layout's blocks and structure elements (see newStructTree), or nil.
func toBlocks(root ast.Node, src []byte, space *layoutSpace) ([]block, *structTree) {
	c := converter{src: src}
	var elems []element
	if space != nil {
		c.blocks, elems = space.blocks[:0], space.elems
	}
	c.tags = newStructTree(elems)
	if root != nil {
		c.children(root, blockContext{})
	}
	return c.blocks, c.tags
}

// add appends b as a new structure element of role r.
func (c *converter) add(b block, r role, ctx blockContext) {
	b.elem = c.tags.add(ctx.parent, r)
	c.blocks = append(c.blocks, b)
}

func (c *converter) children(n ast.Node, ctx blockContext) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		c.node(ch, ctx)
		ctx.marker, ctx.label = "", 0 // only an item's first block carries its marker
	}
}

func (c *converter) node(n ast.Node, ctx blockContext) {
	switch n := n.(type) {
	case *ast.Heading:
		c.heading(n, ctx)
	case *ast.Paragraph, *ast.TextBlock:
		c.paragraph(n, ctx)
	case *ast.List:
		c.list(n, ctx)
	case *ast.Blockquote:
		c.blockquote(n, ctx)
	case *ast.ThematicBreak:
		c.blocks = append(c.blocks, block{kind: rule, leading: 1, spaceBefore: ruleGap, indent: ctx.indent})
	case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
		c.literal(n, ctx)
	default:
		if n.Type() == ast.TypeInline || !n.HasChildren() {
			c.literal(n, ctx)
			return
		}
		c.children(n, ctx)
	}
}

func (c *converter) heading(n *ast.Heading, ctx blockContext) {
	b := block{kind: heading, align: alignLeft, indent: ctx.indent}
	switch {
	case n.Level == 1:
		b.size, b.leading, b.spaceBefore = titleSize, 23, 4
	case n.Level == 2:
		b.size, b.leading, b.spaceBefore = h2Size, 17, 14
	default:
		b.size, b.leading, b.spaceBefore = h3Size, 14.5, 10
	}
	// The title and the sections make the outline's top level, deeper headings (the
	// contacts' pôles) nest under their section: gopdf leaves entries with children closed.
	b.outline = max(n.Level, 2)
	b.pieces = c.inlines(n, bold, "", nil)
	c.add(b, headingRole(n.Level), ctx)
}

func (c *converter) paragraph(n ast.Node, ctx blockContext) {
	b := block{size: bodySize, leading: bodyLeading, spaceBefore: paraSpace, indent: ctx.indent,
		marker: ctx.marker, label: ctx.label, quote: ctx.quote, joinBar: ctx.joinBar, keepNext: ctx.keepNext}
	if ctx.tight {
		b.spaceBefore = itemSpace
	}
	if ctx.right {
		b.align = alignRight
	}
	base := regular
	if ctx.quote {
		base = italic
	}
	c.quote = ctx.quote
	b.pieces = linkBareURLs(c.inlines(n, base, "", nil))
	c.quote = false
	c.add(b, roleP, ctx)
}

// list is an L element, each item an LI of its marker (Lbl) and its blocks (LBody).
func (c *converter) list(n *ast.List, ctx blockContext) {
	number := n.Start
	list := c.tags.add(ctx.parent, roleL)
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		inner := ctx
		li := c.tags.add(list, roleLI)
		inner.label = c.tags.add(li, roleLbl)
		inner.parent = c.tags.add(li, roleLBody)
		inner.indent += listIndent
		inner.tight = true
		inner.marker = "•"
		if n.IsOrdered() {
			inner.marker = strconv.Itoa(number) + string(n.Marker)
			number++
		}
		c.children(item, inner)
	}
}

// blockquote shows its last paragraph right-aligned when there are several: by the
// contract a quote is the quoted text followed by its attribution, which the text keeps
// with it on its page. Its bar runs unbroken beside its paragraphs.
func (c *converter) blockquote(n *ast.Blockquote, ctx blockContext) {
	ctx.indent += quoteIndent
	ctx.quote = true
	ctx.parent = c.tags.add(ctx.parent, roleBlockQuote)
	paragraphs := 0
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if _, ok := ch.(*ast.Paragraph); ok {
			paragraphs++
		}
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		inner := ctx
		_, isPara := ch.(*ast.Paragraph)
		inner.right = isPara && paragraphs > 1 && ch.NextSibling() == nil
		inner.joinBar = ch != n.FirstChild()
		inner.keepNext = paragraphs > 1 && ch.NextSibling() != nil
		c.node(ch, inner)
	}
}

// linkBareURLs makes the URLs written as plain text in pieces links, by templates.LinkURL's
// rule (so only http and https). It first joins neighbouring plain pieces of one style, as
// the parser may cut a URL into several texts (at "_" or "&").
func linkBareURLs(pieces []piece) []piece {
	if !slices.ContainsFunc(pieces, func(p piece) bool { return p.link == "" && strings.Contains(p.text, "://") }) {
		return pieces
	}
	out := make([]piece, 0, len(pieces)+2)
	for i := 0; i < len(pieces); {
		p, j := pieces[i], i+1
		if p.link != "" || p.text == "\n" {
			out = append(out, p)
			i = j
			continue
		}
		for ; j < len(pieces) && pieces[j].link == "" && pieces[j].st == p.st && pieces[j].text != "\n"; j++ {
			p.text += pieces[j].text
		}
		out = appendLinked(out, p)
		i = j
	}
	return out
}

// appendLinked appends plain piece p, cut around the URLs in it, each a link.
func appendLinked(out []piece, p piece) []piece {
	from := 0
	for _, r := range typo.URLs(p.text) {
		link := ast.NewLink()
		link.Destination = []byte(p.text[r[0]:r[1]])
		url := templates.LinkURL(link, nil)
		if url == "" {
			continue
		}
		if r[0] > from {
			out = append(out, piece{text: p.text[from:r[0]], st: p.st})
		}
		out = append(out, piece{text: p.text[r[0]:r[1]], st: p.st, link: url})
		from = r[1]
	}
	if from < len(p.text) {
		out = append(out, piece{text: p.text[from:], st: p.st})
	}
	return out
}

// literal shows a node's raw lines as left-aligned text, never dropping it.
func (c *converter) literal(n ast.Node, ctx blockContext) {
	b := block{size: bodySize, leading: bodyLeading, spaceBefore: paraSpace, indent: ctx.indent,
		align: alignLeft, quote: ctx.quote, joinBar: ctx.joinBar, keepNext: ctx.keepNext}
	if n.Type() == ast.TypeBlock {
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			text := string(util.TrimRightSpace(seg.Value(c.src)))
			b.pieces = append(b.pieces, piece{text: text}, piece{text: "\n"})
		}
	}
	if len(b.pieces) == 0 {
		b.pieces = c.inlines(n, regular, "", nil)
	}
	c.add(b, roleP, ctx)
}

// inlines flattens n's inline children into pieces.
func (c *converter) inlines(n ast.Node, st style, link string, out []piece) []piece {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		out = c.inline(ch, st, link, out)
	}
	return out
}

func (c *converter) inline(n ast.Node, st style, link string, out []piece) []piece {
	switch n := n.(type) {
	case *ast.Text:
		out = append(out, piece{text: templates.TextValue(n, c.src), st: st, link: link})
		if n.HardLineBreak() {
			out = append(out, piece{text: "\n", st: st})
		} else if n.SoftLineBreak() {
			out = append(out, piece{text: " ", st: st, link: link})
		}
		return out
	case *ast.String:
		return append(out, piece{text: string(n.Value), st: st, link: link})
	case *ast.Emphasis:
		if n.Level >= 2 && c.quote {
			// Strong in an italic quote (the speaker's name) is bold and upright.
			return c.inlines(n, st.withBold(true).withItalic(false), link, out)
		}
		if n.Level >= 2 {
			return c.inlines(n, st.withBold(true), link, out)
		}
		return c.inlines(n, st.withItalic(!st.isItalic()), link, out)
	case *ast.Link:
		return c.inlines(n, st, templates.LinkURL(n, c.src), out)
	case *ast.AutoLink:
		return append(out, piece{text: string(n.Label(c.src)), st: st, link: templates.LinkURL(n, c.src)})
	case *ast.RawHTML:
		for i := range n.Segments.Len() {
			seg := n.Segments.At(i)
			out = append(out, piece{text: string(seg.Value(c.src)), st: st, link: link})
		}
		return out
	default:
		return c.inlines(n, st, link, out)
	}
}
