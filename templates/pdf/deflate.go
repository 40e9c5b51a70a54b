package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"strconv"
)

// streamLevel is the zlib level for page contents and ToUnicode maps. Measured on seed 001
// (deflating its streams, PDF size): Huffman only 0.6 ms, 92 KB; BestSpeed 0.8 ms, 77 KB;
// level 3 2.5 ms, 74 KB; default 4 ms, 72 KB (levels above 1 clear 640 KB of hash tables
// per stream on Reset).
const streamLevel = zlib.BestSpeed

// renderBuffers are one render's scratch space, pooled by the Renderer: gopdf allocates a
// fresh zlib compressor (about 1 MB) for every compressed stream it writes, so Render has
// gopdf write page contents uncompressed and deflates them here with a reused compressor.
type renderBuffers struct {
	raw, out, z bytes.Buffer
	zw          *zlib.Writer
}

func newRenderBuffers() *renderBuffers {
	b := &renderBuffers{}
	b.zw, _ = zlib.NewWriterLevel(&b.z, streamLevel) // a constant, valid level
	return b
}

var errLayout = errors.New("unexpected gopdf output layout")

// plainStream is how gopdf opens a stream it did not compress.
var plainStream = []byte("<<\n/Length ")

// deflateStreams copies the PDF in b.raw to b.out, compressing every stream gopdf wrote
// uncompressed, and rewrites the cross-reference table for the new object offsets. It relies
// on gopdf's fixed output: objects in order, listed by a classic xref table.
func (b *renderBuffers) deflateStreams() error {
	in := b.raw.Bytes()
	offsets, xrefAt, err := readXref(in)
	if err != nil {
		return err
	}
	b.out.Reset()
	b.out.Grow(len(in))
	b.out.Write(in[:offsets[0]])
	newOffsets := make([]int, len(offsets))
	for i, start := range offsets {
		end := xrefAt
		if i+1 < len(offsets) {
			end = offsets[i+1]
		}
		newOffsets[i] = b.out.Len()
		if err := b.object(in[start:end]); err != nil {
			return err
		}
	}
	return b.writeXref(in[xrefAt:], newOffsets)
}

// object copies one "N 0 obj … endobj" object, deflating it if it is a plain stream.
func (b *renderBuffers) object(obj []byte) error {
	head := bytes.IndexByte(obj, '\n') + 1
	if !bytes.HasPrefix(obj[head:], plainStream) {
		b.out.Write(obj)
		return nil
	}
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
	b.z.Reset()
	b.zw.Reset(&b.z)
	b.zw.Write(obj[dataAt : dataAt+length])
	if err := b.zw.Close(); err != nil {
		return err
	}
	b.out.Write(obj[:head])
	b.out.WriteString("<<\n/Filter /FlateDecode\n/Length ")
	b.out.WriteString(strconv.Itoa(b.z.Len()))
	b.out.WriteString("\n>>\nstream\n")
	b.out.Write(b.z.Bytes())
	b.out.WriteByte('\n')
	b.out.Write(obj[dataAt+length:]) // "endstream\nendobj\n\n"
	return nil
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
// startxref.
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
	b.out.Write(oldXref[trailer:startxref])
	b.out.WriteString("startxref\n")
	b.out.WriteString(strconv.Itoa(xrefAt))
	b.out.WriteString("\n%%EOF\n")
	return nil
}
