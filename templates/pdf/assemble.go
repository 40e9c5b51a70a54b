package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/klauspost/compress/zlib"
)

// streamLevel is the zlib level for page contents, and for font programs and ToUnicode
// maps when a glyph set is first embedded. Measured with the standard library on seed 001's
// page contents (time, PDF size): Huffman only 0.6 ms, 92 KB; BestSpeed 0.8 ms, 77 KB;
// level 3 2.5 ms, 74 KB; default 4 ms, 72 KB. klauspost/compress at BestSpeed deflates
// those contents 2 to 3 times faster than the standard library and 12 % smaller, and
// allocates smaller tables: a tenth of a warm render's CPU time, an eighth of a first one's.
const streamLevel = zlib.BestSpeed

// renderBuffers are one render's scratch space, pooled by the Renderer, with the zlib
// compressor reused from render to render (gopdf allocates a new one, about 0.8 MB, for each
// compressed stream, so Render has it compress nothing).
type renderBuffers struct {
	raw, out, z bytes.Buffer
	text        []byte // every page's rules and text operators, one page after the other
	pageEnds    []int  // where each page's text ends in text
	drawing     []byte // a page's gopdf drawing, tagged (see markDrawing)
	info        []byte // the document information entries (see infoEntries)
	zw          *zlib.Writer
	space       layoutSpace // the layout's, see Renderer.layout
}

func newRenderBuffers() *renderBuffers {
	b := &renderBuffers{}
	b.zw, _ = zlib.NewWriterLevel(&b.z, streamLevel) // a constant, valid level
	return b
}

var errLayout = errors.New("unexpected gopdf output layout")

var (
	// plainStream is how gopdf opens a page's content stream, which it did not compress.
	plainStream = []byte("<<\n/Length ")
	// resources opens the resource dictionary all pages share, and noFonts is its empty
	// font list: gopdf draws no text.
	resources = []byte("<<\n\t/ProcSet ")
	noFonts   = []byte("\t/Font <<\n\t>>\n")
)

// assembly is what assemble adds to gopdf's objects as it copies them.
type assembly struct {
	pageOf  []int // for each object, the index of the page whose content stream it is, or -1
	pages   []int // each page's object number
	fontRes []byte
	tags    *tagging
	annots  int // link annotations copied so far
	outline []outlineItem
	titles  int // outline titles written so far
}

// assemble copies the PDF gopdf wrote in b.raw to b.out and adds what gopdf was not asked
// to draw: each page's text, at the end of its content stream, and the fonts, listed in
// the shared resources and appended as new objects; and the tagging: the structure tree,
// the marked content in the content streams, and the entries that refer to them. It
// deflates the content streams and rewrites the cross-reference table. It relies on gopdf's
// fixed output: objects in order, pages in page order, one content stream per page, and a
// classic xref table.
func (b *renderBuffers) assemble(fonts *[styleCount]*embeddedFont, faces *[styleCount]*face, tags *tagging, ol *outline, info []byte) error {
	b.info = info
	in := b.raw.Bytes()
	offsets, xrefAt, err := readXref(in)
	if err != nil {
		return err
	}
	objects := splitObjects(in, offsets, xrefAt)
	pageOf, pages, err := pageContents(objects)
	if err != nil || len(b.pageEnds) != len(pages) || len(tags.owners) != len(pages) {
		return errLayout
	}
	a := assembly{pageOf: pageOf, pages: pages, tags: tags, outline: ol.items}
	var fontObjects int
	a.fontRes, fontObjects = fontResources(fonts, len(offsets)+1)
	tags.number(len(offsets) + 1 + fontObjects)
	b.out.Reset()
	b.out.Grow(len(in) + len(b.text) + 64<<10)
	b.out.Write(in[:offsets[0]])
	newOffsets := make([]int, len(offsets), tags.next-1)
	for i, obj := range objects {
		newOffsets[i] = b.out.Len()
		if err := b.object(i, obj, &a); err != nil {
			return err
		}
	}
	if a.annots != len(tags.annots) || a.titles != len(a.outline) {
		return errLayout
	}
	newOffsets = b.fontObjects(newOffsets, fonts, faces)
	newOffsets = b.structObjects(newOffsets, tags, pages)
	return b.writeXref(in[xrefAt:], newOffsets)
}

// splitObjects cuts in into its "N 0 obj … endobj" objects, in object number order.
func splitObjects(in []byte, offsets []int, xrefAt int) [][]byte {
	objects := make([][]byte, len(offsets))
	for i, start := range offsets {
		end := xrefAt
		if i+1 < len(offsets) {
			end = offsets[i+1]
		}
		objects[i] = in[start:end]
	}
	return objects
}

var (
	// pageDict opens a page object's dictionary, and contentsKey names its content stream.
	pageDict    = []byte("<<\n  /Type /Page\n")
	contentsKey = []byte("\n  /Contents ")
)

// pageContents returns, for each object, the index of the page whose content stream it is,
// or -1, and each page's object number: the content streams are found from each page's
// /Contents reference, as no prefix tells them from gopdf's other streams (an indexed
// image's palette, for one).
func pageContents(objects [][]byte) ([]int, []int, error) {
	pageOf := make([]int, len(objects))
	for i := range pageOf {
		pageOf[i] = -1
	}
	var pages []int
	for i, obj := range objects {
		head := bytes.IndexByte(obj, '\n') + 1
		if !bytes.HasPrefix(obj[head:], pageDict) {
			continue
		}
		num, err := reference(obj, contentsKey)
		if err != nil || num < 1 || num > len(objects) || pageOf[num-1] >= 0 {
			return nil, nil, errLayout
		}
		pageOf[num-1] = len(pages)
		pages = append(pages, i+1)
	}
	return pageOf, pages, nil
}

// reference reads the object number of the "N 0 R" reference after key in obj.
func reference(obj, key []byte) (int, error) {
	at := bytes.Index(obj, key)
	if at < 0 {
		return 0, errLayout
	}
	rest := bytes.TrimLeft(obj[at+len(key):], " ") // gopdf writes "/Contents  6 0 R"
	end := bytes.Index(rest, []byte(" 0 R"))
	if end < 0 {
		return 0, errLayout
	}
	return strconv.Atoi(string(rest[:end]))
}

// fontResources is the shared font list: /F1 to /F4 for the styles drawn, numbered as
// fontObjects numbers them from first; and how many objects fontObjects writes.
func fontResources(fonts *[styleCount]*embeddedFont, first int) ([]byte, int) {
	out := []byte("\t/Font <<\n")
	n := 0
	for st, f := range fonts {
		if f != nil {
			out = fmt.Appendf(out, "\t\t/F%d %d 0 R\n", st+1, first+n)
			n += 5
		}
	}
	return append(out, "\t>>\n"...), n
}

var (
	// catalogDict opens gopdf's catalog, always object 1.
	catalogDict = []byte("<<\n  /Type /Catalog\n")
	// linkAnnot opens the dictionary of a link annotation gopdf writes.
	linkAnnot = []byte("<</Type /Annot /Subtype /Link")
)

// object copies object i, "i+1 0 obj … endobj": a page's content stream gets the page's
// text and marked content and is deflated, the resources get the fonts, and the catalog,
// pages and link annotations the entries of a tagged PDF.
func (b *renderBuffers) object(i int, obj []byte, a *assembly) error {
	head := bytes.IndexByte(obj, '\n') + 1
	body := obj[head:]
	switch page := a.pageOf[i]; {
	case page >= 0:
		if !bytes.HasPrefix(body, plainStream) {
			return errLayout
		}
		return b.contents(obj, head, b.pageText(page), a.tags.figures[page])
	case i == 0:
		if !bytes.HasPrefix(body, catalogDict) {
			return errLayout
		}
		b.insert(obj, head+len(catalogDict), a.tags.catalogEntries())
	case bytes.HasPrefix(body, pageDict):
		page, _ := slices.BinarySearch(a.pages, i+1)
		entries := fmt.Appendf(nil, "  /StructParents %d\n  /Tabs /S\n", page)
		b.insert(obj, head+len(pageDict), entries)
	case bytes.HasPrefix(body, linkAnnot):
		return b.annotation(i, obj, head, a)
	case a.titles < len(a.outline) && a.outline[a.titles].obj.GetIndex() == i+1:
		return b.outlineEntry(obj, a)
	case bytes.HasPrefix(body, resources):
		i := bytes.Index(obj, noFonts)
		if i < 0 {
			return errLayout
		}
		b.out.Write(obj[:i])
		b.out.Write(a.fontRes)
		b.out.Write(obj[i+len(noFonts):])
	default:
		b.out.Write(obj)
	}
	return nil
}

// insert copies obj with entries inserted at offset at.
func (b *renderBuffers) insert(obj []byte, at int, entries []byte) {
	b.out.Write(obj[:at])
	b.out.Write(entries)
	b.out.Write(obj[at:])
}

// annotation copies a link annotation with its key in the ParentTree, after the pages',
// and the text of its link as its description (PDF/UA wants one).
func (b *renderBuffers) annotation(i int, obj []byte, head int, a *assembly) error {
	t := a.tags
	if a.annots >= len(t.annots) || t.annots[a.annots].obj != i+1 {
		return errLayout
	}
	entries := fmt.Appendf(nil, " /StructParent %d /Contents ", len(a.pages)+a.annots)
	entries = appendTextString(entries, string(bytes.TrimSpace(t.tree.elems[t.annots[a.annots].elem].text)))
	b.insert(obj, head+len(linkAnnot), entries)
	a.annots++
	return nil
}

// noTitle is the title gopdf writes for an outline entry given none.
var noTitle = []byte("  /Title <FEFF>\n")

// outlineEntry copies an outline entry with its title, in gopdf's format (outlines are
// added, and numbered, in order).
func (b *renderBuffers) outlineEntry(obj []byte, a *assembly) error {
	at := bytes.Index(obj, noTitle)
	if at < 0 {
		return errLayout
	}
	b.out.Write(obj[:at])
	b.out.WriteString("  /Title ")
	b.out.Write(appendTextString(b.out.AvailableBuffer(), a.outline[a.titles].title))
	b.out.WriteByte('\n')
	b.out.Write(obj[at+len(noTitle):])
	a.titles++
	return nil
}

func (b *renderBuffers) pageText(page int) []byte {
	start := 0
	if page > 0 {
		start = b.pageEnds[page-1]
	}
	return b.text[start:b.pageEnds[page]]
}

// saveState and restoreState keep gopdf's drawing from changing the graphics state the
// text is drawn in.
var saveState, restoreState = []byte("q\n"), []byte("Q\n")

// contents writes a page's content stream, gopdf's drawing (tagged: see markDrawing) then
// the text, deflated.
func (b *renderBuffers) contents(obj []byte, head int, text []byte, figures []int) error {
	lenAt := head + len(plainStream)
	nl := bytes.IndexByte(obj[lenAt:], '\n')
	if nl < 0 {
		return errLayout
	}
	length, err := strconv.Atoi(string(obj[lenAt : lenAt+nl]))
	dataAt := lenAt + nl + len("\n>>\nstream\n")
	if err != nil || dataAt+length > len(obj) {
		return errLayout
	}
	b.drawing, err = markDrawing(b.drawing[:0], obj[dataAt:dataAt+length], figures)
	if err != nil {
		return err
	}
	if err := b.deflate(saveState, b.drawing, restoreState, text); err != nil {
		return err
	}
	b.out.Write(obj[:head])
	b.writeStream(&b.out, "")
	b.out.Write(obj[dataAt+length:]) // "endstream\nendobj\n\n"
	return nil
}

// deflate compresses parts, one after the other, into b.z.
func (b *renderBuffers) deflate(parts ...[]byte) error {
	b.z.Reset()
	b.zw.Reset(&b.z)
	for _, p := range parts {
		b.zw.Write(p) // writes to a bytes.Buffer do not fail
	}
	return b.zw.Close()
}

// writeStream writes to out the dictionary, with extra entries, and the data of the stream
// in b.z, up to "endstream".
func (b *renderBuffers) writeStream(out *bytes.Buffer, extra string) {
	out.WriteString("<<\n/Filter /FlateDecode\n")
	out.WriteString(extra)
	out.WriteString("/Length ")
	out.WriteString(strconv.Itoa(b.z.Len()))
	out.WriteString("\n>>\nstream\n")
	out.Write(b.z.Bytes())
	out.WriteByte('\n')
}

// streamObject returns the body of an object holding data as a deflated stream.
func (b *renderBuffers) streamObject(data []byte, extra string) ([]byte, error) {
	if err := b.deflate(data); err != nil {
		return nil, err
	}
	var obj bytes.Buffer
	b.writeStream(&obj, extra)
	obj.WriteString("endstream\n")
	return obj.Bytes(), nil
}

// fontObjects appends each font's Type 0 font, CIDFont, descriptor, program and ToUnicode
// objects, numbered on from offsets, and returns offsets with theirs.
func (b *renderBuffers) fontObjects(offsets []int, fonts *[styleCount]*embeddedFont, faces *[styleCount]*face) []int {
	for st, f := range fonts {
		if f == nil {
			continue
		}
		n := len(offsets) + 1
		bodies := [5][]byte{
			fmt.Appendf(nil, "<<\n/Type /Font\n/Subtype /Type0\n/BaseFont /%s\n/Encoding /Identity-H\n"+
				"/DescendantFonts [%d 0 R]\n/ToUnicode %d 0 R\n>>\n", f.name, n+1, n+4),
			fmt.Appendf(nil, "<<\n/Type /Font\n/Subtype /CIDFontType2\n/BaseFont /%s\n"+
				"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>\n"+
				"/FontDescriptor %d 0 R\n/CIDToGIDMap /Identity\n/W %s\n>>\n", f.name, n+2, f.widths),
			fmt.Appendf(nil, "<<\n/Type /FontDescriptor\n/FontName /%s\n%s/FontFile2 %d 0 R\n>>\n",
				f.name, faces[st].descriptor, n+3),
			f.program,
			f.toUnicode,
		}
		for i, body := range bodies {
			offsets = b.startObject(offsets, n+i)
			b.out.Write(body)
			b.out.WriteString(endObject)
		}
	}
	return offsets
}

// readXref returns the offset of every object and of the xref table.
func readXref(in []byte) ([]int, int, error) {
	sx := bytes.LastIndex(in, []byte("startxref\n"))
	if sx < 0 {
		return nil, 0, errLayout
	}
	rest := in[sx+len("startxref\n"):]
	xrefAt, err := strconv.Atoi(string(rest[:max(bytes.IndexByte(rest, '\n'), 0)]))
	if err != nil || xrefAt >= len(in) || !bytes.HasPrefix(in[xrefAt:], []byte("xref\n0 ")) {
		return nil, 0, errLayout
	}
	table := in[xrefAt+len("xref\n0 "):]
	nl := bytes.IndexByte(table, '\n')
	count, err := strconv.Atoi(string(table[:max(nl, 0)]))
	entries := table[nl+1:]
	if err != nil || count < 2 || len(entries) < 20*count {
		return nil, 0, errLayout
	}
	offsets := make([]int, count-1)
	for i := range offsets {
		e := entries[20*(i+1):]
		if offsets[i], err = strconv.Atoi(string(e[:10])); err != nil {
			return nil, 0, errLayout
		}
	}
	return offsets, xrefAt, nil
}

// infoDict opens the document information dictionary in gopdf's trailer.
var infoDict = []byte("/Info <<\n")

// writeXref writes the xref table for offsets, then the original trailer with the new
// object count, the document information entries and startxref.
func (b *renderBuffers) writeXref(oldXref []byte, offsets []int) error {
	trailer := bytes.Index(oldXref, []byte("trailer\n"))
	startxref := bytes.LastIndex(oldXref, []byte("startxref\n"))
	if trailer < 0 || startxref < trailer {
		return errLayout
	}
	xrefAt := b.out.Len()
	b.out.WriteString("xref\n0 ")
	b.out.WriteString(strconv.Itoa(len(offsets) + 1))
	b.out.WriteString("\n0000000000 65535 f \n")
	var num [10]byte
	for _, off := range offsets {
		s := strconv.AppendInt(num[:0], int64(off), 10)
		b.out.WriteString("0000000000"[:10-len(s)])
		b.out.Write(s)
		b.out.WriteString(" 00000 n \n")
	}
	// The trailer as gopdf wrote it, but with the new object count.
	t := oldXref[trailer:startxref]
	size := bytes.Index(t, []byte("/Size "))
	if size < 0 || bytes.IndexByte(t[size:], '\n') < 0 {
		return errLayout
	}
	b.out.Write(t[:size])
	b.out.WriteString("/Size ")
	b.out.WriteString(strconv.Itoa(len(offsets) + 1))
	rest := t[size+bytes.IndexByte(t[size:], '\n'):]
	info := bytes.Index(rest, infoDict)
	if info < 0 {
		return errLayout
	}
	info += len(infoDict)
	b.out.Write(rest[:info])
	b.out.Write(b.info)
	b.out.Write(rest[info:])
	b.out.WriteString("startxref\n")
	b.out.WriteString(strconv.Itoa(xrefAt))
	b.out.WriteString("\n%%EOF\n")
	return nil
}
