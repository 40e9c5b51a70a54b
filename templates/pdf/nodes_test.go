package pdf

import (
	"bytes"
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
	checkLayout(t, mustRenderer(t).layout(doc, nil))
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

func TestRenderNilDocument(t *testing.T) {
	var buf bytes.Buffer
	if err := mustRenderer(t).Render(nil, &buf); err == nil || buf.Len() != 0 {
		t.Errorf("Render(nil) = %v, wrote %d bytes; want an error and nothing written", err, buf.Len())
	}
}
