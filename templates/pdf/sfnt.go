package pdf

import (
	"encoding/binary"
	"fmt"

	"github.com/signintech/gopdf"
)

// fontFile reads the few TrueType tables rendering needs straight from the font file: the
// character map, advances, glyph offsets and the FontDescriptor's metrics. A general
// parser (gopdf's) took 2 to 8 ms for the four faces, a third of `portevoix pdf`; this
// takes tens of microseconds. Values follow gopdf's, which TestFaceMatchesGopdf checks.
type fontFile struct {
	tables map[string][]byte
}

func readFont(data []byte) (*fontFile, error) {
	if len(data) < 12 || binary.BigEndian.Uint32(data) != 0x00010000 {
		return nil, errFontProgram
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errFontProgram
	}
	s := &fontFile{tables: make(map[string][]byte, n)}
	for i := range n {
		e := data[12+16*i:]
		off, size := binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		if uint64(off)+uint64(size) > uint64(len(data)) {
			return nil, errFontProgram
		}
		s.tables[string(e[:4])] = data[off : off+size]
	}
	return s, nil
}

// table returns the table tag, at least min bytes long.
func (s *fontFile) table(tag string, min int) ([]byte, error) {
	t := s.tables[tag]
	if len(t) < min {
		return nil, fmt.Errorf("%w: table %q missing or short", errFontProgram, tag)
	}
	return t, nil
}

func u16(b []byte, at int) int { return int(binary.BigEndian.Uint16(b[at:])) }
func i16(b []byte, at int) int { return int(int16(binary.BigEndian.Uint16(b[at:]))) }

// fontMetrics are the values read from head, hhea, maxp, OS/2 and post.
type fontMetrics struct {
	unitsPerEm, numGlyphs, numberOfHMetrics int
	longLoca                                bool
	descriptor                              string
}

func (s *fontFile) metrics() (fontMetrics, error) {
	var m fontMetrics
	head, err := s.table("head", 54)
	if err != nil {
		return m, err
	}
	hhea, err := s.table("hhea", 36)
	if err != nil {
		return m, err
	}
	maxp, err := s.table("maxp", 6)
	if err != nil {
		return m, err
	}
	os2, err := s.table("OS/2", 78)
	if err != nil {
		return m, err
	}
	post, err := s.table("post", 8)
	if err != nil {
		return m, err
	}
	m.unitsPerEm, m.numGlyphs, m.numberOfHMetrics = u16(head, 18), u16(maxp, 4), u16(hhea, 34)
	m.longLoca = i16(head, 50) != 0
	if m.unitsPerEm == 0 || m.numberOfHMetrics == 0 || m.numberOfHMetrics > m.numGlyphs {
		return m, errFontProgram
	}
	ascender, descender := i16(hhea, 4), i16(hhea, 6)
	asc, desc, capHeight, xHeight := ascender, descender, ascender, int(0.66*float64(ascender))
	if i16(os2, 68) != 0 { // typoAscender
		asc = u16(os2, 74) // usWinAscent
	}
	if i16(os2, 70) != 0 { // typoDescender
		desc = u16(os2, 76) // usWinDescent
		if descender < 0 {
			desc = -desc
		}
	}
	if u16(os2, 0) >= 2 && len(os2) >= 90 {
		capHeight = i16(os2, 88)
		if x := i16(os2, 86); x != 0 {
			xHeight = x
		}
	}
	italicAngle := i16(post, 4)
	flags := 1 << 5 // Nonsymbolic
	if italicAngle != 0 {
		flags |= 1 << 6 // Italic
	}
	pdf := func(v int) int { return gopdf.DesignUnitsToPdf(v, uint(m.unitsPerEm)) }
	m.descriptor = fmt.Sprintf("/Ascent %d\n/CapHeight %d\n/Descent %d\n/Flags %d\n/FontBBox [%d %d %d %d]\n"+
		"/ItalicAngle %d\n/StemV 0\n/XHeight %d\n",
		pdf(asc), pdf(capHeight), pdf(desc), flags,
		pdf(i16(head, 36)), pdf(i16(head, 38)), pdf(i16(head, 40)), pdf(i16(head, 42)), italicAngle, pdf(xHeight))
	return m, nil
}

// advances returns each glyph's advance in 1/1000 em, as gopdf computes it.
func (s *fontFile) advances(m fontMetrics) ([]uint16, error) {
	hmtx, err := s.table("hmtx", 4*m.numberOfHMetrics)
	if err != nil {
		return nil, err
	}
	out := make([]uint16, m.numGlyphs)
	for g := range out {
		adv := u16(hmtx, 4*min(g, m.numberOfHMetrics-1))
		out[g] = uint16(adv * 1000 / m.unitsPerEm)
	}
	return out, nil
}

// loca returns each glyph's offset in glyf, and the end of the last.
func (s *fontFile) loca(m fontMetrics) ([]uint32, error) {
	size := 2
	if m.longLoca {
		size = 4
	}
	loca, err := s.table("loca", size*(m.numGlyphs+1))
	if err != nil {
		return nil, err
	}
	out := make([]uint32, m.numGlyphs+1)
	for g := range out {
		if m.longLoca {
			out[g] = binary.BigEndian.Uint32(loca[4*g:])
		} else {
			out[g] = 2 * uint32(binary.BigEndian.Uint16(loca[2*g:]))
		}
	}
	return out, nil
}

// cmap4 is the font's Windows Unicode BMP character map (platform 3, encoding 1, format 4),
// the one gopdf reads.
type cmap4 []byte

func (s *fontFile) cmap() (cmap4, error) {
	t, err := s.table("cmap", 4)
	if err != nil {
		return nil, err
	}
	for i := range u16(t, 2) {
		rec := 4 + 8*i
		if rec+8 > len(t) {
			break
		}
		off := int(binary.BigEndian.Uint32(t[rec+4:]))
		if u16(t, rec) == 3 && u16(t, rec+2) == 1 && off+14 <= len(t) && u16(t, off) == 4 {
			sub := t[off:min(len(t), off+u16(t, off+2))]
			if len(sub) < 16+8*(u16(sub, 6)/2) {
				return nil, errFontProgram
			}
			return cmap4(sub), nil
		}
	}
	return nil, fmt.Errorf("%w: no Unicode format 4 cmap", errFontProgram)
}

func (c cmap4) segments() int { return u16(c, 6) / 2 }

// The arrays of a format 4 subtable, each a uint16 per segment.
func (c cmap4) end(seg int) int   { return u16(c, 14+2*seg) }
func (c cmap4) start(seg int) int { return u16(c, 16+2*c.segments()+2*seg) }

// glyph returns r's glyph id, 0 when the font lacks it.
func (c cmap4) glyph(r rune) uint16 {
	if r < 0 || r > 0xFFFF {
		return 0
	}
	lo, hi := 0, c.segments() // the first segment whose end is at least r
	for lo < hi {
		if mid := (lo + hi) / 2; c.end(mid) < int(r) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == c.segments() || int(r) < c.start(lo) {
		return 0
	}
	return c.segmentGlyph(lo, int(r))
}

// fill sets gids[r] to r's glyph id for every r the font maps below len(gids), walking the
// segments rather than searching them for each rune.
func (c cmap4) fill(gids []uint16) {
	for seg := range c.segments() {
		for r := c.start(seg); r <= c.end(seg) && r < len(gids); r++ {
			gids[r] = c.segmentGlyph(seg, r)
		}
	}
}

// segmentGlyph maps r, which segment seg covers.
func (c cmap4) segmentGlyph(seg, r int) uint16 {
	segs := c.segments()
	delta, ranges := u16(c, 16+4*segs+2*seg), 16+6*segs+2*seg
	rangeOffset := u16(c, ranges)
	if rangeOffset == 0 {
		return uint16(r + delta)
	}
	at := ranges + rangeOffset + 2*(r-c.start(seg))
	if at+2 > len(c) {
		return 0
	}
	g := u16(c, at)
	if g == 0 {
		return 0
	}
	return uint16(g + delta)
}
