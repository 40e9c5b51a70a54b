package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// subsetTables are the TrueType tables a PDF font program needs (ISO 32000 9.9), in the
// tag order the table directory requires.
var subsetTables = []string{"cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"}

// Composite glyph flags (OpenType glyf table).
const (
	argsAreWords   = 0x0001
	haveScale      = 0x0008
	moreComponents = 0x0020
	haveXYScale    = 0x0040
	haveTwoByTwo   = 0x0080
)

var errFontProgram = errors.New("malformed TrueType font")

// subsetProgram returns the font program of f keeping only the outlines and metrics of
// glyphs (and of the components of composite ones, and .notdef). Glyph ids do not change:
// the other glyphs are left empty, as gopdf does, so text is encoded with the font's ids.
func subsetProgram(f *face, glyphs []uint16) ([]byte, error) {
	keep := make([]bool, len(f.advances))
	for _, g := range append(glyphs[:len(glyphs):len(glyphs)], 0) {
		if err := keepGlyph(f, keep, int(g)); err != nil {
			return nil, err
		}
	}
	glyf, loca := subsetGlyf(f, keep)
	tables := make(map[string][]byte, len(subsetTables))
	for _, tag := range subsetTables {
		if t, ok := f.font.tables[tag]; ok { // cvt, fpgm and prep are optional
			tables[tag] = t
		}
	}
	tables["glyf"], tables["loca"] = glyf, loca
	tables["hmtx"] = subsetHmtx(tables["hmtx"], keep, f.numberOfHMetrics)
	return sfnt(tables), nil
}

// subsetHmtx zeroes the metrics of the glyphs dropped, a third of a font program once
// deflated: PDF takes advances from the CIDFont's /W array. The last full metric stays, as
// the glyphs after it take their advance from it.
func subsetHmtx(hmtx []byte, keep []bool, fullMetrics int) []byte {
	out := bytes.Clone(hmtx)
	for g, k := range keep {
		at, size := 4*g, 4
		if g >= fullMetrics {
			at, size = 4*fullMetrics+2*(g-fullMetrics), 2
		}
		if !k && g != fullMetrics-1 && at+size <= len(out) {
			clear(out[at : at+size])
		}
	}
	return out
}

// keepGlyph marks glyph g and, for a composite glyph, its components.
func keepGlyph(f *face, keep []bool, g int) error {
	if g >= len(keep) {
		return errFontProgram
	}
	if keep[g] {
		return nil
	}
	keep[g] = true
	data := glyphData(f, g)
	if len(data) < 10 || int16(binary.BigEndian.Uint16(data)) >= 0 {
		return nil // empty or simple glyph
	}
	for off := 10; off+4 <= len(data); {
		flags := binary.BigEndian.Uint16(data[off:])
		if err := keepGlyph(f, keep, int(binary.BigEndian.Uint16(data[off+2:]))); err != nil {
			return err
		}
		if flags&moreComponents == 0 {
			return nil
		}
		off += 4 + componentArgsLen(flags)
	}
	return errFontProgram
}

func componentArgsLen(flags uint16) int {
	n := 2
	if flags&argsAreWords != 0 {
		n = 4
	}
	switch {
	case flags&haveScale != 0:
		n += 2
	case flags&haveXYScale != 0:
		n += 4
	case flags&haveTwoByTwo != 0:
		n += 8
	}
	return n
}

// glyphData returns glyph g's outline in the font's glyf table.
func glyphData(f *face, g int) []byte {
	start, end := f.loca[g], f.loca[g+1]
	if start > end || int(end) > len(f.glyf) {
		return nil
	}
	return f.glyf[start:end]
}

// subsetGlyf builds the glyf table holding the kept outlines and its loca table, in the
// font's own loca format (head's indexToLocFormat is copied unchanged). Both are allocated
// at their final size: growing them was half the cost of subsetting.
func subsetGlyf(f *face, keep []bool) (glyf, loca []byte) {
	size := 0
	for g, k := range keep {
		if k {
			size += len(glyphData(f, g))
		}
	}
	entry := 2
	if f.longLoca {
		entry = 4
	}
	glyf, loca = make([]byte, 0, size), make([]byte, 0, entry*(len(keep)+1))
	appendOffset := func() {
		if f.longLoca {
			loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		} else {
			loca = binary.BigEndian.AppendUint16(loca, uint16(len(glyf)/2))
		}
	}
	for g, k := range keep {
		appendOffset()
		if k {
			glyf = append(glyf, glyphData(f, g)...)
		}
	}
	appendOffset()
	return glyf, loca
}

// sfnt assembles a TrueType file: offset table, table directory, then each table padded to
// four bytes.
func sfnt(tables map[string][]byte) []byte {
	n := len(tables)
	size := 12 + 16*n
	for _, t := range tables {
		size += padded(len(t))
	}
	selector := 0
	for 2<<selector <= n {
		selector++
	}
	out := binary.BigEndian.AppendUint32(make([]byte, 0, size), 0x00010000)
	for _, v := range []int{n, 16 << selector, selector, 16*n - 16<<selector} {
		out = binary.BigEndian.AppendUint16(out, uint16(v))
	}
	offset := 12 + 16*n
	for _, tag := range subsetTables {
		if t, ok := tables[tag]; ok {
			out = append(out, tag...)
			out = binary.BigEndian.AppendUint32(out, checksum(t))
			out = binary.BigEndian.AppendUint32(out, uint32(offset))
			out = binary.BigEndian.AppendUint32(out, uint32(len(t)))
			offset += padded(len(t))
		}
	}
	for _, tag := range subsetTables {
		if t, ok := tables[tag]; ok {
			out = append(out, t...)
			out = append(out, make([]byte, padded(len(t))-len(t))...)
		}
	}
	return out
}

func padded(n int) int { return (n + 3) &^ 3 }

// checksum is the TrueType table checksum: the sum of its big-endian words, the last one
// padded with zeros.
func checksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var word [4]byte
		copy(word[:], data[i:])
		sum += binary.BigEndian.Uint32(word[:])
	}
	return sum
}
