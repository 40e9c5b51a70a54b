package pdf

import (
	"fmt"
	"hash/fnv"
	"math/bits"
	"slices"

	"github.com/signintech/gopdf"

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

var fontFiles = [styleCount]string{
	"fonts/LiberationSans-Regular.ttf",
	"fonts/LiberationSans-Bold.ttf",
	"fonts/LiberationSans-Italic.ttf",
	"fonts/LiberationSans-BoldItalic.ttf",
}

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

// face is one parsed font style with its advance widths and glyph ids, read-only after
// newFace. gopdf's parser reads the font; this package writes its PDF objects.
type face struct {
	metrics    gopdf.SubsetFontObj
	widths     []int16  // rune → advance in 1/1000 em, -1 when the font lacks the glyph
	gids       []uint16 // rune → glyph id
	descriptor string   // the FontDescriptor entries that do not depend on the subset
}

func newFace(data []byte) (*face, error) {
	f := &face{widths: make([]int16, widthTableSize), gids: make([]uint16, widthTableSize)}
	if err := f.metrics.SetTTFData(data); err != nil {
		return nil, err
	}
	for r := range rune(widthTableSize) {
		g, err := f.metrics.CharCodeToGlyphIndex(r)
		f.widths[r] = -1
		if err == nil && g != 0 {
			f.gids[r], f.widths[r] = uint16(g), int16(f.metrics.GlyphIndexToPdfWidth(g))
		}
	}
	f.descriptor = descriptorEntries(f.metrics.GetTTFParser())
	return f, nil
}

// lookup asks the font's cmap for a rune beyond the tables; only gopdf's read-only parser
// state is touched.
func (f *face) lookup(r rune) (uint16, int) {
	g, err := f.metrics.CharCodeToGlyphIndex(r)
	if err != nil || g == 0 || g > 0xFFFF {
		return 0, -1
	}
	return uint16(g), int(f.metrics.GlyphIndexToPdfWidth(g))
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

// loadFaces parses the four embedded font files.
func loadFaces() ([styleCount]*face, error) {
	var faces [styleCount]*face
	for s, name := range fontFiles {
		data, err := assets.Fonts.ReadFile(name)
		if err != nil {
			return faces, fmt.Errorf("read font %s: %w", name, err)
		}
		if faces[s], err = newFace(data); err != nil {
			return faces, fmt.Errorf("parse font %s: %w", name, err)
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
