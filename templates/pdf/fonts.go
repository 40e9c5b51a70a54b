package pdf

import (
	"fmt"
	"hash/fnv"
	"math/bits"
	"slices"

	"portevoix/assets"
)

// style indexes the four faces: bit 0 is bold, bit 1 is italic.
type style uint8

const (
	regular style = iota
	bold
	italic
	boldItalic
	styleCount
)

// withBold and withItalic return the style with that bit set or cleared.
func (s style) withBold(on bool) style   { return s&^bold | pick(on, bold) }
func (s style) withItalic(on bool) style { return s&^italic | pick(on, italic) }
func (s style) isItalic() bool           { return s&italic != 0 }

func pick(on bool, s style) style {
	if on {
		return s
	}
	return 0
}

// fontFiles are the faces' TrueType files, read in place.
var fontFiles = [styleCount][]byte{assets.FontRegular, assets.FontBold, assets.FontItalic, assets.FontBoldItalic}

// fontNames are the PostScript names written, after the subset tag, as /BaseFont and
// /FontName.
var fontNames = [styleCount]string{
	"LiberationSans",
	"LiberationSans-Bold",
	"LiberationSans-Italic",
	"LiberationSans-BoldItalic",
}

const (
	tagLen = 6
	// widthTableSize covers Latin, general punctuation, € and the □ replacement glyph.
	widthTableSize = 0x2600
	// replacementRune is drawn for a character the font lacks: visible, and in the font.
	replacementRune = '\u25A1'
	// ascent and descent of Liberation Sans, in em, to place baselines and link boxes.
	ascent  = 0.905
	descent = 0.212
)

// face is one font style with its advance widths and glyph ids, read-only after newFace.
// This package reads the font (sfnt.go) and writes its PDF objects.
type face struct {
	font             *fontFile
	glyf             []byte
	loca             []uint32 // glyph → offset in glyf, and the end of the last glyph
	advances         []uint16 // glyph → advance in 1/1000 em
	numberOfHMetrics int
	longLoca         bool
	cmap             cmap4
	widths           []int16  // rune → advance in 1/1000 em, -1 when the font lacks the glyph
	gids             []uint16 // rune → glyph id
	descriptor       string   // the FontDescriptor entries that do not depend on the subset
}

func newFace(data []byte) (*face, error) {
	s, err := readFont(data)
	if err != nil {
		return nil, err
	}
	m, err := s.metrics()
	if err != nil {
		return nil, err
	}
	f := &face{font: s, numberOfHMetrics: m.numberOfHMetrics, longLoca: m.longLoca, descriptor: m.descriptor,
		widths: make([]int16, widthTableSize), gids: make([]uint16, widthTableSize)}
	if f.advances, err = s.advances(m); err != nil {
		return nil, err
	}
	if f.loca, err = s.loca(m); err != nil {
		return nil, err
	}
	if f.cmap, err = s.cmap(); err != nil {
		return nil, err
	}
	if f.glyf, err = s.table("glyf", 0); err != nil {
		return nil, err
	}
	f.cmap.fill(f.gids)
	for r, g := range f.gids {
		f.widths[r] = -1
		if g != 0 && int(g) < len(f.advances) {
			f.widths[r] = int16(f.advances[g])
		} else {
			f.gids[r] = 0
		}
	}
	return f, nil
}

// lookup asks the font's cmap for a rune; it returns -1 as the advance when the font lacks
// it.
func (f *face) lookup(r rune) (uint16, int) {
	g := f.cmap.glyph(r)
	if g == 0 || int(g) >= len(f.advances) {
		return 0, -1
	}
	return g, int(f.advances[g])
}

// glyph returns the rune to draw for r (r itself, or a visible replacement when the font
// lacks it) and its advance in 1/1000 em.
func (f *face) glyph(r rune) (rune, int) {
	if r == '\t' {
		r = ' '
	}
	w := -1
	if r < widthTableSize {
		w = int(f.widths[max(r, 0)])
	} else {
		_, w = f.lookup(r)
	}
	if w < 0 || r < ' ' {
		return replacementRune, int(f.widths[replacementRune])
	}
	return r, w
}

// gid returns the glyph id of r, a rune that glyph returned.
func (f *face) gid(r rune) uint16 {
	if r < widthTableSize {
		return f.gids[max(r, 0)]
	}
	g, _ := f.lookup(r)
	return g
}

// loadFaces reads the four embedded font files.
func loadFaces() ([styleCount]*face, error) {
	var faces [styleCount]*face
	for s, data := range fontFiles {
		var err error
		if faces[s], err = newFace(data); err != nil {
			return faces, fmt.Errorf("read font %s: %w", fontNames[s], err)
		}
	}
	return faces, nil
}

// glyphSet records the runes drawn in one style: they choose the subset, its tag and its
// cache entry.
type glyphSet struct {
	used  bool
	bits  [widthTableSize / 64]uint64
	extra []rune // runes beyond the table, sorted, so that equal sets are equal
}

func (g *glyphSet) add(r rune) {
	g.used = true
	if r < widthTableSize {
		g.bits[r/64] |= 1 << (r % 64)
		return
	}
	i, found := slices.BinarySearch(g.extra, r)
	if !found {
		g.extra = slices.Insert(g.extra, i, r)
	}
}

// runes lists the set in increasing order.
func (g *glyphSet) runes() []rune {
	var out []rune
	for i, w := range g.bits {
		for ; w != 0; w &= w - 1 {
			out = append(out, rune(i*64+bits.TrailingZeros64(w)))
		}
	}
	return append(out, g.extra...)
}

// tag derives the six-letter subset tag from the glyph set, so that the same subset always
// gets the same name and different subsets almost surely different ones.
func (g *glyphSet) tag(s style) [tagLen]byte {
	h := fnv.New64a()
	h.Write([]byte(fontNames[s]))
	var b [8]byte
	for _, w := range g.bits {
		for i := range b {
			b[i] = byte(w >> (8 * i))
		}
		h.Write(b[:])
	}
	for _, r := range g.extra {
		h.Write([]byte(string(r)))
	}
	sum := h.Sum64()
	var t [tagLen]byte
	for i := range t {
		t[i] = byte('A' + sum%26)
		sum /= 26
	}
	return t
}
