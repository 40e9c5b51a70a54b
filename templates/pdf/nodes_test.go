package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"portevoix/templates"
)

// TestRenderKeepsEveryNodeText renders each construct of the contract, and a few beyond
// it, and expects all their text back.
func TestRenderKeepsEveryNodeText(t *testing.T) {
	md := "# Titre\n\n*Sous-titre*\n\n**Chapeau**\n\n" +
		"Du `code en ligne`, un lien <https://example.org/a>, un courriel <presse@example.org>,\n" +
		"un [lien](https://example.com/b?q=é \"titre\") et du <b>HTML brut</b> \\*échappé\\* &amp; entité.\n\n" +
		"- premier\n  - imbriqué\n- second\n\n3. trois\n4. quatre\n\n---\n\n" +
		"### Sous-titre de niveau 3\n\n```\nbloc de code\n  indenté\n```\n\n" +
		"Ligne\tun\\\nligne deux\n\n" + "Une URL interminable : https://example.org/" + strings.Repeat("segment-", 40) + "fin\n"
	doc := mustDocument(t, []byte(md))
	checkLayout(t, mustRenderer(t).layout(doc))
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	got := normalise(mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-"))
	for _, want := range []string{"Sous-titre", "Chapeau", "Du code en ligne, un lien https://example.org/a, un courriel presse@example.org,",
		"un lien et du <b>HTML brut</b> *échappé* & entité.", "• premier", "• imbriqué", "• second", "3. trois", "4. quatre",
		"Sous-titre de niveau 3", "bloc de code indenté", "Ligne un ligne deux", "Une URL interminable : https://example.org/segment-"} {
		if !strings.Contains(got, want) {
			t.Errorf("pdftotext lacks %q in:\n%s", want, got)
		}
	}
	raw := mustRender(t, doc)
	for _, uri := range []string{"/URI (https://example.org/a)", "/URI (mailto:presse@example.org)", "/URI (https://example.com/b?q=%C3%A9)"} {
		if !bytes.Contains(raw, []byte(uri)) {
			t.Errorf("no link annotation %s", uri)
		}
	}
}

func TestRenderEmptyDocument(t *testing.T) {
	path := mustWritePDF(t, mustRender(t, &templates.Document{Created: created}))
	mustRun(t, "qpdf", "--check", path)
	if out := mustRun(t, "pdfinfo", path); !strings.Contains(out, "Pages:           1\n") {
		t.Errorf("pdfinfo:\n%s", out)
	}
}

// TestRenderLogoFormats draws logos gopdf cannot read itself (16-bit PNG), a JPEG, and shows
// the name of a signer whose logo is not an image.
func TestRenderLogoFormats(t *testing.T) {
	doc := mustDocument(t, []byte("# Titre\n\nTexte.\n"))
	wide := image.NewNRGBA64(image.Rect(0, 0, 90, 30))
	for x := range 90 {
		wide.Set(x, x%30, color.NRGBA64{R: 0xffff, A: 0xffff})
	}
	var png16, jpg bytes.Buffer
	if err := png.Encode(&png16, wide); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpg, wide, nil); err != nil {
		t.Fatal(err)
	}
	doc.Signers = []templates.Signer{
		{Name: "Pôle Seize", Logo: png16.Bytes(), LogoType: "image/png"},
		{Name: "Pôle JPEG", Logo: jpg.Bytes(), LogoType: "image/jpeg"},
		{Name: "Pôle Cassé", Logo: []byte("pas une image"), LogoType: "image/png"},
	}
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	out := mustRun(t, "pdfimages", "-list", path)
	images := 0
	for _, row := range strings.Split(out, "\n") {
		if f := strings.Fields(row); len(f) > 2 && f[2] == "image" {
			images++
		}
	}
	if images != 2 {
		t.Errorf("want 2 images:\n%s", out)
	}
	got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-")
	if !strings.Contains(got, "Pôle Cassé") || strings.Contains(got, "Pôle JPEG") {
		t.Errorf("want the broken logo's name and no name for the JPEG:\n%s", got)
	}
}

func TestRenderNilDocument(t *testing.T) {
	var buf bytes.Buffer
	if err := mustRenderer(t).Render(nil, &buf); err == nil || buf.Len() != 0 {
		t.Errorf("Render(nil) = %v, wrote %d bytes; want an error and nothing written", err, buf.Len())
	}
}
