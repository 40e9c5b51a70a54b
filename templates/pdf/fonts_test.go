package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"
)

func TestSubsetTagFollowsGlyphSet(t *testing.T) {
	tag := func(s style, text string) string {
		var g glyphSet
		for _, r := range text {
			g.add(r)
		}
		tg := g.tag(s)
		return string(tg[:])
	}
	a := tag(regular, "communiqué « œ »")
	if b := tag(regular, "« œ » communiqué"); a != b {
		t.Errorf("same glyphs, different tags: %s, %s", a, b)
	}
	if b := tag(regular, "communiqués « œ »"); a == b {
		t.Errorf("different glyphs, same tag %s", a)
	}
	if b := tag(bold, "communiqué « œ »"); a == b {
		t.Errorf("different faces, same tag %s", a)
	}
	for _, c := range a {
		if c < 'A' || c > 'Z' || len(a) != tagLen {
			t.Fatalf("tag %q is not six capital letters", a)
		}
	}
}

func TestGlyphReplacesWhatTheFontLacks(t *testing.T) {
	f := mustRenderer(t).faces[regular]
	for _, tc := range []struct {
		in, want rune
	}{{'é', 'é'}, {'\u202f', '\u202f'}, {'\u00a0', '\u00a0'}, {'\t', ' '}, {'😀', replacementRune}, {'中', replacementRune}, {'\x01', replacementRune}} {
		if got, w := f.glyph(tc.in); got != tc.want || w <= 0 {
			t.Errorf("glyph(%U) = %U, width %d; want %U", tc.in, got, w, tc.want)
		}
	}
}

// TestFaceMatchesGopdf reads each face with gopdf's general TrueType parser, which this
// package used before reading the tables itself, and expects the same glyph ids, advances,
// glyph outlines and FontDescriptor entries.
func TestFaceMatchesGopdf(t *testing.T) {
	for st, data := range fontFiles {
		name := fontNames[st]
		var ref gopdf.SubsetFontObj
		if err := ref.SetTTFData(data); err != nil {
			t.Fatal(err)
		}
		p := ref.GetTTFParser()
		f := mustRenderer(t).faces[st]
		if want := gopdfDescriptor(p); f.descriptor != want {
			t.Errorf("%s descriptor:\n%s\nwant:\n%s", name, f.descriptor, want)
		}
		if len(f.advances) != int(p.NumGlyphs()) || f.longLoca == p.IsShortIndex {
			t.Fatalf("%s: %d glyphs, long loca %v; gopdf %d, short %v", name, len(f.advances), f.longLoca, p.NumGlyphs(), p.IsShortIndex)
		}
		glyf := p.GetTables()["glyf"].Offset
		for g := range len(f.advances) {
			want := p.FontData()[glyf+p.LocaTable[g] : glyf+p.LocaTable[g+1]]
			if w := ref.GlyphIndexToPdfWidth(uint(g)); uint(f.advances[g]) != w || !bytes.Equal(glyphData(f, g), want) {
				t.Fatalf("%s glyph %d: advance %d, want %d, or outline differs", name, g, f.advances[g], w)
			}
		}
		for r := range rune(0x30000) {
			g, err := ref.CharCodeToGlyphIndex(r)
			if err != nil {
				g = 0
			}
			if got := f.cmap.glyph(r); uint(got) != g {
				t.Fatalf("%s %U: glyph %d, gopdf %d", name, r, got, g)
			}
			if got := f.gid(r); r < widthTableSize && uint(got) != g {
				t.Fatalf("%s %U: table glyph %d, gopdf %d", name, r, got, g)
			}
		}
	}
}

// gopdfDescriptor is the FontDescriptor entries as gopdf's parser gives them.
func gopdfDescriptor(p *core.TTFParser) string {
	pdf := func(v int) int { return gopdf.DesignUnitsToPdf(v, p.UnitsPerEm()) }
	flags := p.Flag()
	if p.ItalicAngle() != 0 {
		flags |= 1 << 6 // Italic
	}
	return fmt.Sprintf("/Ascent %d\n/CapHeight %d\n/Descent %d\n/Flags %d\n/FontBBox [%d %d %d %d]\n"+
		"/ItalicAngle %d\n/StemV 0\n/XHeight %d\n",
		pdf(p.Ascender()), pdf(p.CapHeight()), pdf(p.Descender()), flags,
		pdf(p.XMin()), pdf(p.YMin()), pdf(p.XMax()), pdf(p.YMax()), p.ItalicAngle(), pdf(p.XHeight()))
}
