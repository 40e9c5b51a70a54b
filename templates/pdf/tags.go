package pdf

import (
	"bytes"
	"strconv"
	"unicode/utf16"

	"portevoix/templates"
)

// role is a standard structure type (ISO 32000 14.8.4), so no /RoleMap is needed.
type role uint8

const (
	roleDocument role = iota
	roleH1
	roleH2
	roleH3
	roleH4
	roleH5
	roleH6
	roleP
	roleL
	roleLI
	roleLbl
	roleLBody
	roleBlockQuote
	roleLink
	roleFigure
)

var roleNames = [...]string{"Document", "H1", "H2", "H3", "H4", "H5", "H6", "P", "L", "LI", "Lbl",
	"LBody", "BlockQuote", "Link", "Figure"}

// headingRole is H1 to H6 for a Markdown heading level.
func headingRole(level int) role {
	return roleH1 + role(min(max(level, 1), 6)-1)
}

// kidKind tells what a structure element's kid is.
type kidKind uint8

const (
	kidElement kidKind = iota
	kidContent         // a marked-content sequence
	kidAnnot           // a link annotation (OBJR)
)

// structKid is an element's kid: another element, the marked content MCID n on page, or
// the annotation object n on page.
type structKid struct {
	kind kidKind
	n    int
	page int
}

// element is one structure element; parent is meaningless for the Document, element 0.
type element struct {
	role   role
	parent int
	kids   []structKid
	alt    string     // a Figure's alternative text…
	bbox   [4]float64 // …and its bounding box on the page, in PDF coordinates
	uri    string     // a Link's target
	text   []byte     // a Link's text, for its annotations' /Contents
}

// structTree is a document's logical structure, with its elements in creation order: each
// element comes after its parent, and kids are listed in reading order.
type structTree struct {
	elems []element
}

// newStructTree starts a tree, its Document element first, in the space of elems: a
// previous render's elements, whose kids' and texts' space it reuses too, or nil.
func newStructTree(elems []element) *structTree {
	t := &structTree{elems: elems[:0]}
	t.push(roleDocument, 0)
	return t
}

// add appends a new element of role r as the last kid of parent and returns it.
func (t *structTree) add(parent int, r role) int {
	n := t.push(r, parent)
	t.elems[parent].kids = append(t.elems[parent].kids, structKid{kind: kidElement, n: n})
	return n
}

// push appends a new element of role r under parent, in the space of the one it replaces
// if the tree is reusing a previous render's.
func (t *structTree) push(r role, parent int) int {
	n := len(t.elems)
	if n == cap(t.elems) {
		t.elems = append(t.elems, element{role: r, parent: parent})
		return n
	}
	t.elems = t.elems[:n+1]
	old := &t.elems[n]
	*old = element{role: r, parent: parent, kids: old.kids[:0], text: old.text[:0]}
	return n
}

// tagging makes one render a tagged PDF (PDF/UA-1). Each line's text is drawn as marked
// content of its block's element (a list marker's of its Lbl, a link's of a Link kid),
// gopdf's drawing is tagged by markDrawing (logos as Figures, the rest as artifacts), rules
// and quote bars are drawn as an artifact (see drawing.rules), page numbers and the hyphens
// hyphenation adds at line ends are artifacts (see drawing.run); assemble then writes the
// tree and the entries that refer to it.
// tagging holds the tree and, for the ParentTree, the element of each MCID of each page
// and the link annotations.
type tagging struct {
	tree    *structTree
	blocks  []block
	header  []int   // the element of each part of the page-1 header
	owners  [][]int // per page, the element of each MCID
	figures [][]int // per page, the MCID of each image gopdf draws, in drawing order
	annots  []annotTag
	open    int // the element whose marked content is open, -1 for none
	link    int // the Link element of the last tagged run, if it was a link, else -1
	page    int
	xmp     []byte // the XMP metadata stream's data

	// Set by number, for assemble.
	objs []int // each element's object number, 0 for an element left out
	root int   // the StructTreeRoot's object number, the metadata's is root+1
	next int   // the first object number after the structure's
}

// annotTag is a link annotation: its object number and its Link element.
type annotTag struct{ obj, elem int }

func newTagging(lay *layout) *tagging {
	return &tagging{tree: lay.tags, blocks: lay.blocks, open: -1, link: -1}
}

// newPage starts the MCIDs of page index page.
func (t *tagging) newPage(page int) {
	t.page = page
	t.owners = append(t.owners, nil)
	t.figures = append(t.figures, nil)
}

// content adds a marked-content kid to elem and returns its MCID.
func (t *tagging) content(elem int) int {
	mcid := len(t.owners[t.page])
	t.owners[t.page] = append(t.owners[t.page], elem)
	e := &t.tree.elems[elem]
	e.kids = append(e.kids, structKid{kind: kidContent, n: mcid, page: t.page})
	return mcid
}

// headerElements creates the page-1 header's elements, before the body's, in reading
// order: a Figure for each signer whose logo was drawn, a paragraph for each other part
// (a signer's name, the kind, dateline and embargo). It tags the logos' images.
func (t *tagging) headerElements(pg *page, drawn []*logo) {
	parts := 0
	for _, l := range pg.lines {
		if l.block < 0 {
			parts = max(parts, l.part+1)
		}
	}
	for _, lg := range pg.logos {
		parts = max(parts, lg.part+1)
	}
	figure := make([]*logo, parts)
	for _, lg := range drawn {
		figure[lg.part] = lg
	}
	body := t.tree.elems[0].kids
	t.tree.elems[0].kids = nil
	t.header = make([]int, len(figure))
	for k, lg := range figure {
		if lg == nil {
			t.header[k] = t.tree.add(0, roleP)
			continue
		}
		t.header[k] = t.tree.add(0, roleFigure)
		e := &t.tree.elems[t.header[k]]
		e.alt = templates.LogoAlt(lg.description)
		e.bbox = [4]float64{lg.x, pageHeight - lg.y - lg.h, lg.x + lg.w, pageHeight - lg.y}
	}
	t.tree.elems[0].kids = append(t.tree.elems[0].kids, body...)
	for _, lg := range drawn {
		t.figures[t.page] = append(t.figures[t.page], t.content(t.header[lg.part]))
	}
}

// lineElements returns the element of a line's text and, when its first run is a list
// marker, the Lbl element that run belongs to (else -1).
func (t *tagging) lineElements(l *line) (elem, label int) {
	if l.block < 0 {
		return t.header[l.part], -1
	}
	b := &t.blocks[l.block]
	if l.index == 0 && b.marker != "" && b.label > 0 {
		return b.elem, b.label
	}
	return b.elem, -1
}

// runElement returns the element a run of elem's text is tagged with: elem itself, or for
// a link a Link kid of elem, the previous run's when it continues the same link. space
// tells that the run ends its line with a space.
func (t *tagging) runElement(elem int, rn *run, space bool) int {
	if rn.link == "" {
		t.link = -1
		return elem
	}
	if t.link < 0 || t.tree.elems[t.link].parent != elem || t.tree.elems[t.link].uri != rn.link {
		t.link = t.tree.add(elem, roleLink)
		t.tree.elems[t.link].uri = rn.link
	}
	e := &t.tree.elems[t.link]
	e.text = append(e.text, rn.text...)
	if space {
		e.text = append(e.text, ' ')
	}
	return t.link
}

// annot records a link annotation, object obj, drawn for the Link element elem.
func (t *tagging) annot(elem, obj int) {
	t.annots = append(t.annots, annotTag{obj: obj, elem: elem})
	e := &t.tree.elems[elem]
	e.kids = append(e.kids, structKid{kind: kidAnnot, n: obj, page: t.page})
}

// mark makes elem's marked-content sequence the open one, closing the one open before: a
// sequence spans the lines of one element on one page.
func (d *drawing) mark(elem int) {
	t := d.tags
	if t.open == elem {
		return
	}
	d.unmark()
	mcid := t.content(elem)
	d.text = append(d.text, '/')
	d.text = append(d.text, roleNames[t.tree.elems[elem].role]...)
	d.text = append(d.text, " <</MCID "...)
	d.text = strconv.AppendInt(d.text, int64(mcid), 10)
	d.text = append(d.text, ">> BDC\n"...)
	t.open = elem
}

// unmark closes the open marked-content sequence, if any.
func (d *drawing) unmark() {
	if d.tags.open >= 0 {
		d.text = append(d.text, "EMC\n"...)
		d.tags.open = -1
	}
}

// Operators that make what gopdf draws, the rules and quote bars, and the page numbers
// artifacts, which screen readers skip.
const (
	artifactOpen = "/Artifact BMC\n"
	footerOpen   = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
	markClose    = "EMC\n"
)

// markDrawing writes gopdf's content stream for a page to out with each image, a top-level
// q … Q group that paints an XObject, tagged as the Figure of MCID figures[k] in drawing
// order, and everything else as artifacts. gopdf draws nothing else: no text, no marked
// content.
func markDrawing(out []byte, stream []byte, figures []int) ([]byte, error) {
	depth, from, groupAt, image, k := 0, 0, 0, false, 0
	for at := 0; at < len(stream); {
		start, next := nextToken(stream, at)
		tok := stream[start:next]
		switch string(tok) { // compared without allocating
		case "q":
			if depth == 0 {
				groupAt, image = start, false
			}
			depth++
		case "Q":
			if depth == 0 {
				return nil, errLayout
			}
			depth--
			if depth == 0 && image {
				if k >= len(figures) {
					return nil, errLayout
				}
				out = appendArtifact(out, stream[from:groupAt])
				out = append(out, "/Figure <</MCID "...)
				out = strconv.AppendInt(out, int64(figures[k]), 10)
				out = append(out, ">> BDC\n"...)
				out = append(out, stream[groupAt:next]...)
				out = append(out, "\n"+markClose...)
				from, k = next, k+1
			}
		case "Do":
			image = true
		}
		at = next
	}
	if depth != 0 || k != len(figures) {
		return nil, errLayout
	}
	return appendArtifact(out, stream[from:]), nil
}

// nextToken returns where the token at or after at starts and ends.
func nextToken(s []byte, at int) (int, int) {
	for at < len(s) && isSpace(s[at]) {
		at++
	}
	end := at
	for end < len(s) && !isSpace(s[end]) {
		end++
	}
	return at, end
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// appendArtifact appends operators, unless only white space, as an artifact.
func appendArtifact(out, ops []byte) []byte {
	if ops = bytes.TrimSpace(ops); len(ops) == 0 {
		return out
	}
	out = append(out, artifactOpen...)
	out = append(out, ops...)
	return append(out, "\n"+markClose...)
}

// appendTextString appends s as a PDF text string: UTF-16BE with a byte order mark, in hex.
func appendTextString(out []byte, s string) []byte {
	out = append(out, "<FEFF"...)
	var units [2]uint16
	for _, c := range s {
		for _, u := range utf16.AppendRune(units[:0], c) {
			out = appendHex16(out, u)
		}
	}
	return append(out, '>')
}

// number gives the structure's objects their numbers from first: the root, the metadata
// stream, then each element holding content, itself or in its kids. The others (a
// paragraph left empty, the Figure of a logo not drawn) are left out.
func (t *tagging) number(first int) {
	elems := t.tree.elems
	t.objs = make([]int, len(elems))
	for i := range elems {
		for _, k := range elems[i].kids {
			if k.kind != kidElement {
				t.objs[i] = 1
				break
			}
		}
	}
	t.objs[0] = 1
	for i := len(elems) - 1; i > 0; i-- { // kids come after their parent
		if t.objs[i] != 0 {
			t.objs[elems[i].parent] = 1
		}
	}
	t.root, t.next = first, first+2
	for i := range t.objs {
		if t.objs[i] != 0 {
			t.objs[i] = t.next
			t.next++
		}
	}
}

// catalogEntries are what the catalog of a tagged PDF/UA document adds to gopdf's.
func (t *tagging) catalogEntries() []byte {
	out := []byte("  /StructTreeRoot ")
	out = strconv.AppendInt(out, int64(t.root), 10)
	out = append(out, " 0 R\n  /Metadata "...)
	out = strconv.AppendInt(out, int64(t.root+1), 10)
	out = append(out, " 0 R\n  /MarkInfo << /Marked true >>\n  /Lang (fr-FR)\n"+
		"  /ViewerPreferences << /DisplayDocTitle true >>\n"...)
	return out
}

// structObjects writes the structure tree root, the metadata stream and the elements, as
// numbered by number, and returns offsets with theirs. pages holds each page's object number.
func (b *renderBuffers) structObjects(offsets []int, t *tagging, pages []int) []int {
	offsets = b.startObject(offsets, t.root)
	b.out.Write(t.rootDict(b.out.AvailableBuffer(), pages))
	b.out.WriteString(endObject)
	offsets = b.startObject(offsets, t.root+1)
	b.out.WriteString("<<\n/Type /Metadata\n/Subtype /XML\n/Length ")
	b.out.WriteString(strconv.Itoa(len(t.xmp)))
	b.out.WriteString("\n>>\nstream\n")
	b.out.Write(t.xmp)
	b.out.WriteString("\nendstream\n" + endObject)
	for i, n := range t.objs {
		if n != 0 {
			offsets = b.startObject(offsets, n)
			b.out.Write(t.elementDict(b.out.AvailableBuffer(), i, pages))
			b.out.WriteString(endObject)
		}
	}
	return offsets
}

const endObject = "endobj\n\n"

// startObject records where object n starts and writes its header.
func (b *renderBuffers) startObject(offsets []int, n int) []int {
	offsets = append(offsets, b.out.Len())
	b.out.WriteString(strconv.Itoa(n))
	b.out.WriteString(" 0 obj\n")
	return offsets
}

// rootDict appends the StructTreeRoot: the Document element, and the ParentTree that maps
// each page's MCIDs, then each link annotation, to their elements.
func (t *tagging) rootDict(out []byte, pages []int) []byte {
	out = append(out, "<<\n/Type /StructTreeRoot\n/K "...)
	out = appendRef(out, t.objs[0])
	out = append(out, "\n/ParentTree << /Nums ["...)
	for p, owners := range t.owners {
		out = append(out, '\n')
		out = strconv.AppendInt(out, int64(p), 10)
		out = append(out, " ["...)
		for _, e := range owners {
			out = appendRef(out, t.objs[e])
			out = append(out, ' ')
		}
		out = append(out, ']')
	}
	for k, a := range t.annots {
		out = append(out, '\n')
		out = strconv.AppendInt(out, int64(len(pages)+k), 10)
		out = append(out, ' ')
		out = appendRef(out, t.objs[a.elem])
	}
	out = append(out, "\n] >>\n/ParentTreeNextKey "...)
	out = strconv.AppendInt(out, int64(len(pages)+len(t.annots)), 10)
	return append(out, "\n>>\n"...)
}

// elementDict appends element i's dictionary. Its /Pg is the page of its first marked
// content; content on another page is referred to by a marked-content reference.
func (t *tagging) elementDict(out []byte, i int, pages []int) []byte {
	e := &t.tree.elems[i]
	out = append(out, "<<\n/Type /StructElem\n/S /"...)
	out = append(out, roleNames[e.role]...)
	out = append(out, "\n/P "...)
	if i == 0 {
		out = appendRef(out, t.root)
	} else {
		out = appendRef(out, t.objs[e.parent])
	}
	pg := -1
	for _, k := range e.kids {
		if k.kind == kidContent {
			pg = k.page
			out = append(out, "\n/Pg "...)
			out = appendRef(out, pages[pg])
			break
		}
	}
	if e.alt != "" {
		out = append(out, "\n/Alt "...)
		out = appendTextString(out, e.alt)
		out = append(out, "\n/A << /O /Layout /BBox ["...)
		for i, v := range e.bbox {
			if i > 0 {
				out = append(out, ' ')
			}
			out = strconv.AppendFloat(out, v, 'f', 2, 64)
		}
		out = append(out, "] >>"...)
	}
	out = append(out, "\n/K ["...)
	for _, k := range e.kids {
		out = t.appendKid(out, k, pg, pages)
	}
	return append(out, "]\n>>\n"...)
}

func (t *tagging) appendKid(out []byte, k structKid, pg int, pages []int) []byte {
	switch {
	case k.kind == kidElement && t.objs[k.n] != 0:
		out = appendRef(out, t.objs[k.n])
	case k.kind == kidContent && k.page == pg:
		out = strconv.AppendInt(out, int64(k.n), 10)
	case k.kind == kidContent:
		out = append(out, "<< /Type /MCR /Pg "...)
		out = appendRef(out, pages[k.page])
		out = append(out, " /MCID "...)
		out = strconv.AppendInt(out, int64(k.n), 10)
		out = append(out, " >>"...)
	case k.kind == kidAnnot:
		out = append(out, "<< /Type /OBJR /Obj "...)
		out = appendRef(out, k.n)
		out = append(out, " /Pg "...)
		out = appendRef(out, pages[k.page])
		out = append(out, " >>"...)
	default:
		return out // an element left out
	}
	return append(out, ' ')
}

func appendRef(out []byte, n int) []byte {
	out = strconv.AppendInt(out, int64(n), 10)
	return append(out, " 0 R"...)
}
