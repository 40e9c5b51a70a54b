package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strconv"
)

// streamLevel is the zlib level for page contents, and for font programs and ToUnicode
// maps when a glyph set is first embedded. Measured on seed 001's page contents (time,
// PDF size): Huffman only 0.6 ms, 92 KB; BestSpeed 0.8 ms, 77 KB; level 3 2.5 ms, 74 KB;
// default 4 ms, 72 KB (levels above 1 clear 640 KB of hash tables per stream on Reset).
// The default level would make seed 001's three font programs 2 KB smaller (35.8 KB at
// BestSpeed, 33.8 KB), not worth a second pooled compressor.
const streamLevel = zlib.BestSpeed

// renderBuffers are one render's scratch space, pooled by the Renderer, with the zlib
// compressor reused from render to render (gopdf allocates a new one, about 0.8 MB, for each
// compressed stream, so Render has it compress nothing).
type renderBuffers struct {
	raw, out, z bytes.Buffer
	text        []byte // every page's text operators, one page after the other
	pageEnds    []int  // where each page's text ends in text
	zw          *zlib.Writer
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

// assemble copies the PDF gopdf wrote in b.raw to b.out and adds what gopdf was not asked
// to draw: each page's text, at the end of its content stream, and the fonts, listed in
// the shared resources and appended as new objects. It deflates the content streams and
// rewrites the cross-reference table. It relies on gopdf's fixed output: objects in order,
// pages in page order, one content stream per page, and a classic xref table.
func (b *renderBuffers) assemble(fonts *[styleCount]*embeddedFont, faces *[styleCount]*face) error {
	in := b.raw.Bytes()
	offsets, xrefAt, err := readXref(in)
	if err != nil {
		return err
	}
	objects := splitObjects(in, offsets, xrefAt)
	pageOf, err := pageContents(objects)
	if err != nil || len(b.pageEnds) != pageCount(pageOf) {
		return errLayout
	}
	fontRes := fontResources(fonts, len(offsets)+1)
	b.out.Reset()
	b.out.Grow(len(in) + len(b.text) + 64<<10)
	b.out.Write(in[:offsets[0]])
	newOffsets := make([]int, len(offsets), len(offsets)+5*int(styleCount))
	for i, obj := range objects {
		newOffsets[i] = b.out.Len()
		if err := b.object(obj, pageOf[i], fontRes); err != nil {
			return err
		}
	}
	newOffsets = b.fontObjects(newOffsets, fonts, faces)
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
// or -1: the content streams are found from each page's /Contents reference, as no prefix
// tells them from gopdf's other streams (an indexed image's palette, for one).
func pageContents(objects [][]byte) ([]int, error) {
	pageOf := make([]int, len(objects))
	for i := range pageOf {
		pageOf[i] = -1
	}
	page := 0
	for _, obj := range objects {
		head := bytes.IndexByte(obj, '\n') + 1
		if !bytes.HasPrefix(obj[head:], pageDict) {
			continue
		}
		num, err := reference(obj, contentsKey)
		if err != nil || num < 1 || num > len(objects) || pageOf[num-1] >= 0 {
			return nil, errLayout
		}
		pageOf[num-1] = page
		page++
	}
	return pageOf, nil
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

func pageCount(pageOf []int) int {
	n := 0
	for _, p := range pageOf {
		if p >= 0 {
			n++
		}
	}
	return n
}

// fontResources is the shared font list: /F1 to /F4 for the styles drawn, numbered as
// fontObjects numbers them from first.
func fontResources(fonts *[styleCount]*embeddedFont, first int) []byte {
	out := []byte("\t/Font <<\n")
	for st, f := range fonts {
		if f != nil {
			out = fmt.Appendf(out, "\t\t/F%d %d 0 R\n", st+1, first)
			first += 5
		}
	}
	return append(out, "\t>>\n"...)
}

// object copies one "N 0 obj … endobj" object: the content stream of page number page (-1
// for any other object) gets the page's text and is deflated, the resources get the fonts.
func (b *renderBuffers) object(obj []byte, page int, fontRes []byte) error {
	head := bytes.IndexByte(obj, '\n') + 1
	switch {
	case page >= 0:
		if !bytes.HasPrefix(obj[head:], plainStream) {
			return errLayout
		}
		return b.contents(obj, head, b.pageText(page))
	case bytes.HasPrefix(obj[head:], resources):
		i := bytes.Index(obj, noFonts)
		if i < 0 {
			return errLayout
		}
		b.out.Write(obj[:i])
		b.out.Write(fontRes)
		b.out.Write(obj[i+len(noFonts):])
	default:
		b.out.Write(obj)
	}
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

// contents writes a page's content stream, gopdf's drawing then the text, deflated.
func (b *renderBuffers) contents(obj []byte, head int, text []byte) error {
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
	if err := b.deflate(saveState, obj[dataAt:dataAt+length], restoreState, text); err != nil {
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
			offsets = append(offsets, b.out.Len())
			fmt.Fprintf(&b.out, "%d 0 obj\n", n+i)
			b.out.Write(body)
			b.out.WriteString("endobj\n\n")
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

// writeXref writes the xref table for offsets, then the original trailer with the new
// object count and startxref.
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
	b.out.Write(t[size+bytes.IndexByte(t[size:], '\n'):])
	b.out.WriteString("startxref\n")
	b.out.WriteString(strconv.Itoa(xrefAt))
	b.out.WriteString("\n%%EOF\n")
	return nil
}
