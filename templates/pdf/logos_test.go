package pdf

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"log/slog"
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/storage/logotest"
	"portevoix/templates"
)

// TestRenderUploadedLogos renders, normalised as uploads are, every kind of image people
// upload: each PDF passes qpdf --check, and pdfimages and pdftotext read it.
func TestRenderUploadedLogos(t *testing.T) {
	uploads := []struct {
		name string
		data []byte
	}{
		{"Palette", logotest.Palette(t)},
		{"Gray", logotest.Gray(t)},
		{"Deep", logotest.Deep(t)},
		{"Alpha", logotest.PNG(t, logotest.Image(64, 32, true))},
		{"Interlaced", logotest.Interlaced(t, 61, 29)},
		{"Baseline", logotest.JPEG(t, logotest.Image(64, 32, false))},
		{"Progressive", logotest.Progressive},
		{"CMYK", logotest.CMYK},
		{"Large", logotest.PNG(t, logotest.Image(2400, 600, true))},
	}
	for _, u := range uploads {
		t.Run(u.name, func(t *testing.T) {
			stored, err := storage.NormaliseLogo(u.data)
			if err != nil {
				t.Fatal(err)
			}
			doc := mustDocument(t, []byte("# Titre\n\nTexte du communiqué.\n"))
			doc.Signers = []templates.Signer{{Name: "Pôle " + u.name, Logo: stored}}
			path := mustWritePDF(t, mustRender(t, doc))
			mustRun(t, "qpdf", "--check", path)
			if n := countImages(t, path); n != 1 {
				t.Errorf("%d images, want 1", n)
			}
			got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-")
			if !strings.Contains(got, "Texte du communiqué.") || strings.Contains(got, "Pôle "+u.name) {
				t.Errorf("want the text and the logo instead of the name:\n%s", got)
			}
		})
	}
}

// TestRenderLegacyLogos draws the pôle's name, and logs it, for the logos bases stored
// before uploads were normalised that would stall or break the render: the PDF is made.
func TestRenderLegacyLogos(t *testing.T) {
	legacy := []struct {
		name string
		data []byte
	}{
		{"Palette", logotest.Palette(t)},
		{"Deep", logotest.Deep(t)},
		{"Interlaced", logotest.Interlaced(t, 61, 29)},
		{"Bomb", logotest.Bomb(t, 16000)},
		{"HeaderOnly", logotest.HeaderOnly(t)},
		{"Text", []byte("pas une image")},
	}
	var logged bytes.Buffer
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	r.Log = slog.New(slog.NewTextHandler(&logged, nil))
	doc := mustDocument(t, []byte("# Titre\n\nTexte.\n"))
	doc.Signers = nil
	for _, l := range legacy {
		doc.Signers = append(doc.Signers, templates.Signer{Name: "Pôle " + l.name, Logo: l.data})
	}
	var pdf bytes.Buffer
	if err := r.Render(doc, &pdf); err != nil {
		t.Fatalf("Render: %v", err)
	}
	path := mustWritePDF(t, pdf.Bytes())
	mustRun(t, "qpdf", "--check", path)
	got := strings.Join(strings.Fields(mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-")), " ")
	for _, l := range legacy {
		if !strings.Contains(got, "Pôle "+l.name) {
			t.Errorf("no name for %s in:\n%s", l.name, got)
		}
		if !strings.Contains(logged.String(), "pole=\"Pôle "+l.name+"\"") {
			t.Errorf("%s not logged:\n%s", l.name, logged.String())
		}
	}
}

// TestRenderUnreadableLogo draws the name when gopdf refuses a logo whose header looked
// fine (an RGBA PNG whose pixel data is not deflated), instead of failing the PDF.
func TestRenderUnreadableLogo(t *testing.T) {
	bad := logotest.Garbage(t)
	bad[25] = 6 // colour type RGBA, which gopdf inflates to split the alpha channel
	fixCRC(bad)
	if _, ok := storage.EmbeddableLogo(bad); !ok {
		t.Fatal("the header should pass")
	}
	doc := mustDocument(t, []byte("# Titre\n\nTexte.\n"))
	doc.Signers = []templates.Signer{{Name: "Pôle Illisible", Logo: bad}}
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	if got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-"); !strings.Contains(got, "Pôle Illisible") {
		t.Errorf("no name in:\n%s", got)
	}
}

// fixCRC recomputes the IHDR chunk's checksum of a PNG after an edit.
func fixCRC(data []byte) {
	binary.BigEndian.PutUint32(data[12+4+13:], crc32.ChecksumIEEE(data[12:12+4+13]))
}

// TestAssemblePalette draws a palette (PNG-8) image, which gopdf writes with a plain stream
// for its colour table as it writes page contents: assembly must still find each page's
// contents, from the page's /Contents reference.
func TestAssemblePalette(t *testing.T) {
	r := mustRenderer(t)
	doc := mustDocument(t, []byte("# Titre\n\nTexte après le logo.\n"))
	lay := r.layout(doc, nil)
	lay.pages[0].logos = append(lay.pages[0].logos,
		logo{data: logotest.Palette(t), x: contentLeft, y: contentTop, w: 64, h: 32, description: "palette"})
	b := newRenderBuffers()
	if err := r.draw(doc, lay, b); err != nil {
		t.Fatalf("draw: %v", err)
	}
	path := mustWritePDF(t, b.out.Bytes())
	mustRun(t, "qpdf", "--check", path)
	if got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-"); !strings.Contains(got, "Texte après le logo.") {
		t.Errorf("text lost:\n%s", got)
	}
	if n := countImages(t, path); n != 4 {
		t.Errorf("%d images, want 4 (three signers' and the palette one)", n)
	}
}

// countImages counts the images pdfimages lists (soft masks apart).
func countImages(t *testing.T, path string) int {
	t.Helper()
	n := 0
	for _, row := range strings.Split(mustRun(t, "pdfimages", "-list", path), "\n") {
		if f := strings.Fields(row); len(f) > 2 && f[2] == "image" {
			n++
		}
	}
	return n
}

// sixLogos gives each of seed 001's six pôles a logo as uploads store it: 600 × 240, the
// odd ones with transparency.
func sixLogos(tb testing.TB, doc *templates.Document) {
	tb.Helper()
	for i := range doc.Signers {
		stored, err := storage.NormaliseLogo(logotest.PNG(tb, logotest.Image(600-20*i, 240, i%2 == 1)))
		if err != nil {
			tb.Fatal(err)
		}
		doc.Signers[i].Logo = stored
	}
	if _, ok := storage.EmbeddableLogo(doc.Signers[0].Logo); !ok {
		tb.Fatal("normalised logo not embeddable")
	}
}

// TestRenderSixLogos renders seed 001 with six uploaded logos, as BenchmarkPDFSeed001SixLogos.
func TestRenderSixLogos(t *testing.T) {
	doc := seedDocument(t)
	sixLogos(t, doc)
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	if n := countImages(t, path); n != 6 {
		t.Errorf("%d images, want 6", n)
	}
}
