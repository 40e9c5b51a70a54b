package pdf

import (
	"fmt"
	"hash/fnv"

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

// fontFamilies are the names gopdf writes as /BaseFont and /FontName. gopdf never adds the
// "ABCDEF+" subset tag PDF requires for subset fonts (ISO 32000 9.6.4), and its family is
// fixed when the font is parsed, once, long before the glyph set is known. So each name
// starts with a placeholder tag of the right length that Render overwrites in place with a
// tag hashed from the glyph set (see patchSubsetTags): same length, so xref offsets hold.
var fontFamilies = [styleCount]string{
	"PVSUBA+LiberationSans",
	"PVSUBB+LiberationSans-Bold",
	"PVSUBC+LiberationSans-Italic",
	"PVSUBD+LiberationSans-BoldItalic",
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

// face is one parsed font style with its advance widths, read-only after newFace.
type face struct {
	metrics gopdf.SubsetFontObj
	widths  []int16 // rune → advance in 1/1000 em, -1 when the font lacks the glyph
}

func newFace(data []byte) (*face, error) {
	f := &face{widths: make([]int16, widthTableSize)}
	if err := f.metrics.SetTTFData(data); err != nil {
		return nil, err
	}
	for r := range rune(widthTableSize) {
		f.widths[r] = int16(f.lookup(r))
	}
	return f, nil
}

// lookup asks the font's cmap; only gopdf's read-only parser state is touched.
func (f *face) lookup(r rune) int {
	g, err := f.metrics.CharCodeToGlyphIndex(r)
	if err != nil || g == 0 {
		return -1
	}
	return int(f.metrics.GlyphIndexToPdfWidth(g))
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
		w = f.lookup(r)
	}
	if w < 0 || r < ' ' {
		return replacementRune, int(f.widths[replacementRune])
	}
	return r, w
}

// loadFaces parses the four embedded font files and registers them in a gopdf
// FontContainer, which lets each render reuse the parsed fonts.
func loadFaces() ([styleCount]*face, *gopdf.FontContainer, error) {
	var faces [styleCount]*face
	container := &gopdf.FontContainer{}
	for s, name := range fontFiles {
		data, err := assets.Fonts.ReadFile(name)
		if err != nil {
			return faces, nil, fmt.Errorf("read font %s: %w", name, err)
		}
		if faces[s], err = newFace(data); err != nil {
			return faces, nil, fmt.Errorf("parse font %s: %w", name, err)
		}
		opt := gopdf.TtfOption{Style: gopdf.Regular, OnGlyphNotFoundSubstitute: substitute}
		if err := container.AddTTFFontDataWithOption(fontFamilies[s], data, opt); err != nil {
			return faces, nil, fmt.Errorf("parse font %s: %w", name, err)
		}
	}
	return faces, container, nil
}

// substitute is gopdf's fallback; face.glyph already replaced every missing rune.
func substitute(rune) rune { return replacementRune }

// glyphSet records the runes drawn in one style, to name the subset.
type glyphSet struct {
	used  bool
	bits  [widthTableSize / 64]uint64
	extra []rune // runes beyond the table, in order of first use
}

func (g *glyphSet) add(r rune) {
	g.used = true
	if r < widthTableSize {
		g.bits[r/64] |= 1 << (r % 64)
		return
	}
	for _, e := range g.extra {
		if e == r {
			return
		}
	}
	g.extra = append(g.extra, r)
}

// tag derives the six-letter subset tag from the glyph set, so that the same subset always
// gets the same name and different subsets almost surely different ones.
func (g *glyphSet) tag(s style) [tagLen]byte {
	h := fnv.New64a()
	h.Write([]byte(fontFamilies[s]))
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
