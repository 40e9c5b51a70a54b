package pdf

import (
	"slices"
	"strings"

	"portevoix/storage"
	"portevoix/templates"
)

// Page geometry, in points (A4 portrait).
const (
	pageWidth    = 595.28
	pageHeight   = 841.89
	marginLeft   = 62
	marginRight  = 62
	marginTop    = 56
	marginBottom = 64
	footerLine   = pageHeight - 32 // baseline of the page number
	contentLeft  = marginLeft
	contentRight = pageWidth - marginRight
	contentTop   = marginTop
	contentEnd   = pageHeight - marginBottom
	logoHeight   = 40
	signerGap    = 10
)

type rgb [3]uint8

var (
	textColor   = rgb{0x1a, 0x1a, 0x1a}
	accentColor = rgb{0x1f, 0x3a, 0x5f}
	linkColor   = rgb{0x1a, 0x4f, 0x9c}
	embargoCol  = rgb{0x9c, 0x1a, 0x1a}
	ruleColor   = rgb{0x9a, 0xa5, 0xb1}
)

// run is text in one style, size and link, drawn as one text object at x on its line.
type run struct {
	text  string
	st    style
	size  float64
	x, w  float64
	link  string
	color rgb
	// wordSpacing widens each space, pt: the text operator Tw would not apply to the
	// two-byte glyph codes drawn, so drawing.line moves the text on after each space.
	wordSpacing float64
}

// line is one placed line of text; top grows downwards from the page's top edge.
type line struct {
	top, height float64
	left, right float64 // the box the line was set in
	runs        []run
	tc          float64 // character spacing (justification), pt
	block       int     // index of its block in the body, -1 for the page-1 header
	part        int     // page-1 header: its signer's index, or kind, dateline, embargo after them
	index       int     // line number within its block…
	count       int     // …out of that many
	heading     bool
	quote       bool
	hyphenated  bool    // ends with a hyphen hyphenation added, drawn as an artifact
	barUp       float64 // how far above top its quote bar starts, to join the bar above
	space       bool    // broken at a space or hard break: the text read aloud needs a space there
}

// baseline is where the line's glyphs sit, centred vertically in the line height.
func (l *line) baseline() float64 {
	size := 0.0
	for _, r := range l.runs {
		size = max(size, r.size)
	}
	return l.top + (l.height-(ascent+descent)*size)/2 + ascent*size
}

type hrule struct{ x1, x2, y float64 }

type logo struct {
	data        []byte
	x, y, w, h  float64
	description string
	name        []line // the signer's name, drawn instead if the logo cannot be
	part        int    // its signer's index
}

type outlineEntry struct {
	title string
	top   float64
	level int // nested under the entry before it of a lower level
}

// page is everything placed on one page.
type page struct {
	lines    []line
	rules    []hrule
	logos    []logo
	outlines []outlineEntry
}

// layout is the laid-out document, kept apart from drawing so tests can check it.
type layout struct {
	pages  []*page
	blocks []block
	tags   *structTree
}

// layoutSpace is the space a layout is made in, kept from render to render: the
// structure elements and the lines' runs take a third of what a render allocates.
type layoutSpace struct {
	elems  []element
	blocks []block
	lines  []line // the pages' (see paginator.spare)
	runs   runArena
}

// layout lays out the page-1 header, then the body blocks, page by page, in space, which
// the layout returned uses until the next layout in it; nil for a space of its own.
func (r *Renderer) layout(doc *templates.Document, space *layoutSpace) *layout {
	if space == nil {
		space = &layoutSpace{}
	}
	blocks, tags := toBlocks(doc.Root, doc.Source, space)
	space.runs.reset()
	laid := make([][]line, len(blocks))
	ts := r.typesetters.get()
	if ts == nil {
		ts = &typesetter{Renderer: r}
	}
	defer r.typesetters.put(ts)
	ts.justified, ts.spaced, ts.runs = 0, 0, &space.runs
	defer func() { ts.runs = nil }()
	// The body's lines are laid out in the typesetter's scratch space: the paginator
	// copies them onto the pages.
	ts.lines = ts.lines[:0]
	for i := range blocks {
		b := &blocks[i]
		if b.kind != rule {
			n := len(ts.lines)
			ts.lines = ts.appendBlock(ts.lines, b, contentLeft+b.indent, contentRight)
			laid[i] = ts.lines[n:len(ts.lines):len(ts.lines)]
		}
	}
	p := &paginator{blocks: blocks, laid: laid}
	n := headerLines
	for _, ls := range laid {
		n += len(ls)
	}
	if cap(space.lines) < n {
		space.lines = make([]line, n)
	}
	p.spare = space.lines[:n]
	p.newPage()
	ts.header(doc, p)
	p.body()
	space.elems, space.blocks = tags.elems, blocks
	return &layout{pages: p.pages, blocks: blocks, tags: tags}
}

// runArena hands out the lines' runs from one slice, sized to the last layout's.
type runArena struct {
	free []run
	used int // runs handed out since reset
}

// reset starts a layout, making room for as many runs as the last one took; the runs
// handed out before must no longer be used.
func (a *runArena) reset() {
	if cap(a.free) < a.used {
		a.free = make([]run, 0, a.used)
	}
	a.free, a.used = a.free[:0], 0
}

// get returns an empty slice with room for n runs, past which append allocates. A nil
// arena allocates each slice.
func (a *runArena) get(n int) []run {
	if a == nil {
		return make([]run, 0, n)
	}
	a.used += n
	if len(a.free)+n > cap(a.free) {
		a.free = make([]run, 0, max(n, 256))
	}
	at := len(a.free)
	a.free = a.free[:at+n]
	return a.free[at : at : at+n]
}

// paginator fills pages with blocks, keeping headings with what follows and leaving no
// widow or orphan line.
type paginator struct {
	blocks []block
	laid   [][]line
	pages  []*page
	cur    *page
	y      float64
	fresh  bool // nothing placed yet on the current page's body
	// spare is what the pages have not taken of one array sized for all the lines, so
	// that each page's lines do not grow an array of their own.
	spare []line
}

// headerLines is room in paginator.spare for page 1's header lines (kind, dateline,
// embargo, signers' names): more only makes page 1's lines grow an array of their own.
const headerLines = 16

// newPage starts a page whose lines take up where the last page's end in p.spare.
func (p *paginator) newPage() {
	if p.cur != nil {
		p.cur.lines = slices.Clip(p.cur.lines) // so that they cannot run into the next page's
		p.spare = p.spare[min(len(p.cur.lines), len(p.spare)):]
	}
	p.cur = &page{lines: p.spare[:0]}
	p.pages = append(p.pages, p.cur)
	p.y, p.fresh = contentTop, true
}

func (p *paginator) body() {
	for i := range p.blocks {
		b := &p.blocks[i]
		switch b.kind {
		case rule:
			p.rule(b)
		case heading:
			p.heading(i)
		default:
			p.paragraph(i)
		}
	}
}

func (p *paginator) gap(b *block) float64 {
	if p.fresh {
		return 0
	}
	return b.spaceBefore
}

func (p *paginator) rule(b *block) {
	if p.fresh {
		return // a rule at the top of a page separates nothing
	}
	if p.y+2*b.spaceBefore > contentEnd {
		p.newPage()
		return
	}
	y := p.y + b.spaceBefore
	p.cur.rules = append(p.cur.rules, hrule{x1: contentLeft + b.indent, x2: contentRight, y: y})
	p.y = y
}

// heading moves to a new page unless it fits along with the start of what follows it.
func (p *paginator) heading(i int) {
	b := &p.blocks[i]
	need := p.gap(b) + float64(len(p.laid[i]))*b.leading + p.keepNeed(i+1)
	if p.y+need > contentEnd && !p.fresh {
		p.newPage()
	}
	if b.outline > 0 {
		p.cur.outlines = append(p.cur.outlines, outlineEntry{title: plainText(b.pieces), top: p.y + p.gap(b), level: b.outline})
	}
	p.put(i, p.laid[i], 0)
}

// keepNeed is the height block j needs at the bottom of a page to start there: a heading
// with the start of what follows, a paragraph's first two lines if it may be split (see
// splitAt), else all of it, and what it keeps with (a quote's attribution).
func (p *paginator) keepNeed(j int) float64 {
	if j >= len(p.blocks) {
		return 0
	}
	b := &p.blocks[j]
	n := len(p.laid[j])
	switch {
	case b.kind == heading:
		return b.spaceBefore + float64(n)*b.leading + p.keepNeed(j+1)
	case b.kind == rule:
		return b.spaceBefore + p.keepNeed(j+1)
	case n >= 4:
		n = 2
	case b.keepNext:
		return b.spaceBefore + float64(n)*b.leading + p.keepNeed(j+1)
	}
	return b.spaceBefore + float64(n)*b.leading
}

// paragraph places a block's lines, splitting it across pages only when each side keeps at
// least two lines; otherwise it moves whole to the next page. A paragraph kept with the
// next block leaves it at least two of its lines, or moves with it.
func (p *paginator) paragraph(i int) {
	b := &p.blocks[i]
	rest, from := p.laid[i], 0
	for len(rest) > 0 {
		fit := int((contentEnd - p.y - p.gap(b) + 0.001) / b.leading)
		if fit >= len(rest) && b.keepNext &&
			p.y+p.gap(b)+float64(len(rest))*b.leading+p.keepNeed(i+1) > contentEnd+0.001 {
			fit = len(rest) - 1
		}
		if fit >= len(rest) {
			p.put(i, rest, from)
			return
		}
		s := splitAt(len(rest), fit)
		if s == 0 && p.fresh {
			s = max(fit, 1) // longer than a page: nothing better is possible
		}
		if s > 0 {
			p.put(i, rest[:s], from)
			rest, from = rest[s:], from+s
		}
		p.newPage()
	}
}

// splitAt returns how many of n lines to leave on a page with room for fit lines, or 0 to
// move them all.
func splitAt(n, fit int) int {
	if n < 4 {
		return 0
	}
	s := min(fit, n-2)
	if s < 2 {
		return 0
	}
	return s
}

func (p *paginator) put(i int, ls []line, from int) {
	b := &p.blocks[i]
	gap := p.gap(b)
	p.y += gap
	for k := range ls {
		l := ls[k]
		l.top, l.block, l.index, l.count = p.y, i, from+k, len(p.laid[i])
		if k == 0 && b.joinBar {
			l.barUp = gap
		}
		p.cur.lines = append(p.cur.lines, l)
		p.y += l.height
	}
	p.fresh = false
}

// header places the co-signers' logos (or names), the kind, dateline and embargo on page 1.
func (r *typesetter) header(doc *templates.Document, p *paginator) {
	y := float64(contentTop)
	if n := len(doc.Signers); n > 0 {
		y = r.signers(doc.Signers, p.cur, y)
	}
	part := len(doc.Signers)
	y = r.headerLine(p.cur, part, doc.Kind, bold, 12, accentColor, y+6)
	y = r.headerLine(p.cur, part+1, doc.Dateline, regular, 10, textColor, y)
	y = r.headerLine(p.cur, part+2, doc.Embargo, bold, 10, embargoCol, y)
	p.cur.rules = append(p.cur.rules, hrule{x1: contentLeft, x2: contentRight, y: y + 6})
	p.y = y + 10
}

// signers lays out one slot per co-signer, up to six a row, and returns the y below them.
func (r *typesetter) signers(signers []templates.Signer, pg *page, y float64) float64 {
	perRow := min(len(signers), 6)
	slot := (contentRight - contentLeft + signerGap) / float64(perRow)
	rowBottom := y
	for i, s := range signers {
		if i > 0 && i%perRow == 0 {
			y = rowBottom + signerGap
		}
		x := contentLeft + float64(i%perRow)*slot
		bottom := r.signer(s, i, pg, x, x+slot-signerGap, y)
		rowBottom = max(rowBottom, bottom)
	}
	return rowBottom + 8
}

// signer places a co-signer's logo, or its name when it has no logo renderers may embed as
// is (see storage.EmbeddableLogo), and returns the y below it. A logo keeps the name's lines
// for drawing to fall back on.
func (r *typesetter) signer(s templates.Signer, part int, pg *page, left, right, top float64) float64 {
	name := r.signerName(s.Name, part, left, right, top)
	hd, ok := storage.EmbeddableLogo(s.Logo)
	if !ok {
		if len(s.Logo) > 0 {
			r.log().Warn("pdf: logo not embeddable, pôle name drawn instead",
				"pole", s.Name, "bytes", len(s.Logo), "width", hd.Width, "height", hd.Height)
		}
		pg.lines = append(pg.lines, name...)
		return top + linesHeight(name)
	}
	h := float64(logoHeight)
	w := h * float64(hd.Width) / float64(hd.Height)
	if w > right-left {
		w, h = right-left, (right-left)*float64(hd.Height)/float64(hd.Width)
	}
	pg.logos = append(pg.logos, logo{data: s.Logo, x: left, y: top, w: w, h: h, description: s.Name, name: name, part: part})
	return top + h
}

// signerName lays out a co-signer's name in bold between left and right from top.
func (r *typesetter) signerName(name string, part int, left, right, top float64) []line {
	b := block{pieces: []piece{{text: name, st: bold}}, size: 9, leading: 11, align: alignLeft}
	lines := r.layoutBlock(&b, left, right)
	for i := range lines {
		lines[i].top, lines[i].block, lines[i].part = top, -1, part
		top += lines[i].height
	}
	return lines
}

func linesHeight(lines []line) float64 {
	h := 0.0
	for _, l := range lines {
		h += l.height
	}
	return h
}

func (r *typesetter) headerLine(pg *page, part int, text string, st style, size float64, c rgb, top float64) float64 {
	if text == "" {
		return top
	}
	b := block{pieces: []piece{{text: text, st: st}}, size: size, leading: size * 1.4, align: alignLeft}
	for _, l := range r.layoutBlock(&b, contentLeft, contentRight) {
		l.top, l.block, l.part = top, -1, part
		for k := range l.runs {
			l.runs[k].color = c
		}
		pg.lines = append(pg.lines, l)
		top += l.height
	}
	return top
}

// plainText is a block's text for the outline: hard breaks become spaces.
func plainText(pieces []piece) string {
	var sb strings.Builder
	for _, p := range pieces {
		if p.text == "\n" {
			sb.WriteByte(' ')
			continue
		}
		sb.WriteString(p.text)
	}
	return sb.String()
}
