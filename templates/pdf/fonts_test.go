package pdf

import "testing"

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
