package pdf

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestSubsetProgramKeepsGlyphs reads the subset's tables back and expects the outlines of
// the glyphs drawn, and of the components of a composite one (é), unchanged at their ids,
// every other glyph empty, and sound table checksums.
func TestSubsetProgramKeepsGlyphs(t *testing.T) {
	f := mustRenderer(t).faces[regular]
	eacute := glyphData(f, int(f.gid('é')))
	if len(eacute) < 10 || int16(binary.BigEndian.Uint16(eacute)) >= 0 {
		t.Fatal("é is no longer a composite glyph in Liberation Sans; pick another")
	}
	program, err := subsetProgram(f, []uint16{f.gid('A'), f.gid('é')})
	if err != nil {
		t.Fatal(err)
	}
	tables := readTables(t, program)
	if len(tables) != len(subsetTables) {
		t.Errorf("subset has %d tables, want %d", len(tables), len(subsetTables))
	}
	glyf, loca := tables["glyf"], tables["loca"]
	if !f.longLoca || len(loca) != 4*(len(f.advances)+1) {
		t.Fatalf("loca holds %d bytes for %d glyphs (long format expected)", len(loca), len(f.advances))
	}
	want := map[int]bool{0: true, int(f.gid('A')): true, int(f.gid('é')): true}
	for off := 10; ; { // é's components: e and the acute accent
		flags := binary.BigEndian.Uint16(eacute[off:])
		want[int(binary.BigEndian.Uint16(eacute[off+2:]))] = true
		if flags&moreComponents == 0 {
			break
		}
		off += 4 + componentArgsLen(flags)
	}
	if len(want) != 5 {
		t.Fatalf("want .notdef, A, é and two components, got glyphs %v", want)
	}
	for g := range len(f.advances) {
		got := glyf[binary.BigEndian.Uint32(loca[4*g:]):binary.BigEndian.Uint32(loca[4*g+4:])]
		switch {
		case want[g] && !bytes.Equal(got, glyphData(f, g)):
			t.Errorf("glyph %d differs from the font's", g)
		case !want[g] && len(got) != 0:
			t.Errorf("glyph %d was not drawn but kept its outline", g)
		}
	}
}

// readTables reads a TrueType file's table directory, checking each table's checksum and
// four-byte alignment.
func readTables(t *testing.T, font []byte) map[string][]byte {
	t.Helper()
	tables := map[string][]byte{}
	for i := range int(binary.BigEndian.Uint16(font[4:])) {
		e := font[12+16*i:]
		sum, off, n := binary.BigEndian.Uint32(e[4:]), binary.BigEndian.Uint32(e[8:]), binary.BigEndian.Uint32(e[12:])
		padded := font[off : off+(n+3)&^3]
		if off%4 != 0 || checksum(padded) != sum {
			t.Errorf("table %q: offset %d, checksum %x, want %x", e[:4], off, sum, checksum(padded))
		}
		tables[string(e[:4])] = font[off : off+n]
	}
	return tables
}

// TestFontCacheGivesSameBytes renders with an empty and then a warm font cache, and
// expects the same PDF and one cache entry per face drawn.
func TestFontCacheGivesSameBytes(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	doc := seedDocument(t)
	var cold, warm bytes.Buffer
	if err := r.Render(doc, &cold); err != nil {
		t.Fatal(err)
	}
	if err := r.Render(doc, &warm); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cold.Bytes(), warm.Bytes()) {
		t.Error("a cached font changed the PDF")
	}
	if n := len(r.fonts.fonts); n != 3 {
		t.Errorf("cache holds %d fonts after rendering 3 faces twice", n)
	}
}

func TestFontCacheIsBounded(t *testing.T) {
	var c fontCache
	for i := range maxCachedFonts + 1 {
		var k fontKey
		k.bits[0] = uint64(i)
		c.put(&k, &embeddedFont{})
		if c.get(&k) == nil {
			t.Fatalf("entry %d missing right after put", i)
		}
	}
	if n := len(c.fonts); n > maxCachedFonts {
		t.Errorf("cache holds %d fonts, bound is %d", n, maxCachedFonts)
	}
}

// TestRenderMapsRunesBeyondWidthTable draws ligatures the font has beyond the width table
// (U+FB01, U+FB02), which take the glyph set's sorted overflow list.
func TestRenderMapsRunesBeyondWidthTable(t *testing.T) {
	doc := mustDocument(t, []byte("# Titre\n\nLa \uFB02amme, le \uFB01n mot, la \uFB02èche.\n"))
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-")
	if want := "La \uFB02amme, le \uFB01n mot, la \uFB02èche."; !strings.Contains(got, want) {
		t.Errorf("pdftotext = %q, want it to contain %q", got, want)
	}
}
