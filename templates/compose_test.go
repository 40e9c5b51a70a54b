package templates_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark/ast"

	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/templatestest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// seedNow is the creation time of every composed fixture.
var seedNow = time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)

// MustCompose composes in or fails the test.
func MustCompose(tb testing.TB, in templates.Input) *templates.Document {
	tb.Helper()
	doc, err := templates.Compose(in)
	if err != nil {
		tb.Fatalf("Compose: %v", err)
	}
	return doc
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./templates -update and review the diff", name)
	}
}

func TestSeed001Golden(t *testing.T) {
	doc := MustCompose(t, templatestest.Seed001(seedNow))
	golden(t, "seed001.md", doc.Source)
	golden(t, "seed001.html", templates.PreviewPage(doc))
	golden(t, "seed001.txt", []byte(templates.RenderText(doc)))
}

func TestSeed000TribuneGolden(t *testing.T) {
	doc := MustCompose(t, templatestest.Seed000(seedNow))
	if doc.Kind != "TRIBUNE" || doc.Embargo != "" || doc.Dateline != "Paris, le 1er\u00a0mars 2017" {
		t.Errorf("Kind %q, Embargo %q, Dateline %q", doc.Kind, doc.Embargo, doc.Dateline)
	}
	golden(t, "seed000.md", doc.Source)
	golden(t, "seed000.html", templates.RenderHTML(doc))
	golden(t, "seed000.txt", []byte(templates.RenderText(doc)))
}

// TestTribuneWithSpeakers signs a tribune with the speakers of two quotes, then the
// pôles they do not represent.
func TestTribuneWithSpeakers(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	in.Communique.Template = "tribune"
	in.Quotes = in.Quotes[:2]
	doc := MustCompose(t, in)
	want := "## Les signataires\n\n" +
		"- **Etienne Vervaecke**, Directeur Général, Clubster NSL\n" +
		"- **Franck Grimaud**, Président, Atlanpole Biotherapies\n" +
		"- **BioValley France**\n- **Eurobiomed**\n- **Lyonbiopôle**\n- **Medicen Paris Region**\n"
	if !bytes.Contains(doc.Source, []byte(want)) {
		t.Errorf("signatories missing:\n%s", doc.Source)
	}
	if bytes.Contains(doc.Source, []byte("> ")) {
		t.Error("a tribune shows no quotes")
	}
}

func TestComposeHeader(t *testing.T) {
	doc := MustCompose(t, templatestest.Seed001(seedNow))
	checks := []struct{ name, got, want string }{
		{"Kind", doc.Kind, "COMMUNIQUÉ DE PRESSE"},
		{"Title", doc.Title, "Proposition de mesures par les Pôles santé en réseau pour faire face aux enjeux de souveraineté sanitaire et économique de la France révélés par la crise du COVID-19"},
		{"Dateline", doc.Dateline, "Paris, le 12\u00a0mai 2020"},
		{"Embargo", doc.Embargo, "Sous embargo jusqu’au 12\u00a0mai 2020, 10\u00a0h\u00a000"},
		{"Author", doc.Author, "Atlanpole Biotherapies, BioValley France, Clubster NSL, Eurobiomed, Lyonbiopôle, Medicen Paris Region"},
		{"Subject", doc.Subject, "Communiqué de presse – Paris, le 12\u00a0mai 2020"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if len(doc.Signers) != 6 || logoType(doc.Signers[0].Logo) != "image/png" || doc.Signers[2].Logo != nil {
		t.Errorf("Signers = %+v", doc.Signers)
	}
	if !doc.Created.Equal(seedNow) || doc.Root == nil {
		t.Errorf("Created %v, Root %v", doc.Created, doc.Root)
	}
}

func TestComposeErrors(t *testing.T) {
	tests := []struct {
		name, template, date, field string
	}{
		{"UnknownTemplate", "inconnu", "2020-05-12", "template"},
		{"BadDate", "mesures", "12/05/2020", "date"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := templatestest.Seed001(seedNow)
			in.Communique.Template, in.Communique.Date = tc.template, tc.date
			_, err := templates.Compose(in)
			e, ok := err.(*storage.Error)
			if !ok || e.Code != storage.EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != tc.field {
				t.Fatalf("err = %#v, want EINVALID on %s", err, tc.field)
			}
		})
	}
}

func TestComposeDefaults(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	in.Communique.Template, in.Communique.Date, in.Communique.Place = "", "", ""
	doc := MustCompose(t, in)
	if doc.Kind != "COMMUNIQUÉ DE PRESSE" || doc.Dateline != "Le 11\u00a0mai 2020" {
		t.Errorf("Kind %q, Dateline %q", doc.Kind, doc.Dateline)
	}
}

func TestNames(t *testing.T) {
	names := templates.Names()
	if len(names) != 2 || names[0] != "mesures" || names[1] != "tribune" {
		t.Errorf("Names() = %v", names)
	}
}

func BenchmarkPreviewSeed001(b *testing.B) {
	in := templatestest.Seed001(seedNow)
	b.ReportAllocs()
	for b.Loop() {
		doc, err := templates.Compose(in)
		if err != nil {
			b.Fatal(err)
		}
		templates.PreviewPage(doc)
	}
}

// TestEveryTemplate composes seed 001 with each template file: each must declare its
// kind and produce one title.
func TestEveryTemplate(t *testing.T) {
	for _, name := range templates.Names() {
		t.Run(name, func(t *testing.T) {
			in := templatestest.Seed001(seedNow)
			in.Communique.Template = name
			in.Communique.Body += "\n# Titre saisi dans le corps\n\nTexte.\n"
			doc := MustCompose(t, in)
			if doc.Kind == "" {
				t.Error("the template declares no kind")
			}
			titles := 0
			for n := doc.Root.FirstChild(); n != nil; n = n.NextSibling() {
				if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
					titles++
				}
			}
			if titles != 1 {
				t.Errorf("%d level-1 headings, want 1", titles)
			}
		})
	}
}

func TestComposeConcurrently(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	want := MustCompose(t, in).Source
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			doc, err := templates.Compose(in)
			if err != nil || !bytes.Equal(doc.Source, want) {
				t.Errorf("concurrent Compose differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func TestPreviewPage(t *testing.T) {
	page := string(templates.PreviewPage(MustCompose(t, templatestest.Seed001(seedNow))))
	for _, want := range []string{
		"<!DOCTYPE html>\n<html lang=\"fr\">",
		"<title>Proposition de mesures par les Pôles santé en réseau",
		"Content-Security-Policy",
		`<img src="data:image/png;base64,`,
		"<li>Clubster NSL</li>",
		`<p class="kind">COMMUNIQUÉ DE PRESSE</p>`,
		`<p class="embargo">Sous embargo jusqu’au 12` + "\u00a0" + `mai 2020, 10` + "\u00a0h\u00a0" + `00</p>`,
		"<blockquote>\n<p>«\u202fLes ruptures",
		"<p><strong>Etienne Vervaecke</strong>, Directeur Général, Clubster NSL</p>\n</blockquote>",
		`<a href="mailto:barto@example.org">barto@example.org</a><br>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
}

// TestContactsWithoutPole groups contacts that speak for no pôle under their
// organisation, or under "Autres contacts".
func TestContactsWithoutPole(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	agency := storage.Contact{FirstName: "Léa", LastName: "Martin", Organization: "Agence Exemple",
		Regions: []string{"Bretagne", "Normandie", "Centre-Val de Loire"}, Email: "lea@example.org"}
	loner := storage.Contact{LastName: "Durand", Phone: "+33 6 12 34 56 78"}
	in.Contacts = []templates.ContactWithPole{{Contact: agency}, in.Contacts[0], {Contact: loner}}
	doc := MustCompose(t, in)
	want := "### Agence Exemple (Bretagne, Normandie et Centre-Val de Loire)\n\nLéa Martin\\\n" +
		"[lea@example.org](mailto:lea@example.org)\n\n### Atlanpole Biotherapies (Pays de la Loire)\n\n" +
		"Pascale Barto\\\n[barto@example.org](mailto:barto@example.org)\\\n06 74 29 84 06\n\n" +
		"### Autres contacts\n\nDurand\\\n+33 6 12 34 56 78\n"
	if !bytes.HasSuffix(doc.Source, []byte(want)) {
		t.Errorf("contacts:\n%s", doc.Source)
	}
}

// logoType is the type of a logo renderers may embed, as they read it, or "".
func logoType(data []byte) string {
	if h, ok := storage.EmbeddableLogo(data); ok {
		return h.Type
	}
	return ""
}
