package templates_test

import (
	"strings"
	"testing"

	"portevoix/storage/logotest"
	"portevoix/templates"
)

// TestHTMLSignerLogos embeds the logos a renderer may use as is and shows the others by
// name: a base may hold logos stored before uploads were normalised.
func TestHTMLSignerLogos(t *testing.T) {
	doc := &templates.Document{Signers: []templates.Signer{
		{Name: "Pôle PNG", Logo: logotest.PNG(t, logotest.Image(64, 32, true))},
		{Name: "Pôle JPEG", Logo: logotest.JPEG(t, logotest.Image(64, 32, false))},
		{Name: "Pôle Bombe", Logo: logotest.Bomb(t, 16000)},
		{Name: "Pôle Palette", Logo: logotest.Palette(t)},
	}}
	html := string(templates.RenderHTML(doc))
	for _, want := range []string{`<li><img src="data:image/png;base64,`, `alt="Pôle PNG"`,
		`<li><img src="data:image/jpeg;base64,`, `alt="Pôle JPEG"`, "<li>Pôle Bombe</li>", "<li>Pôle Palette</li>"} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in:\n%.2000s", want, html)
		}
	}
	if n := strings.Count(html, "<img"); n != 2 {
		t.Errorf("%d images, want 2", n)
	}
}
