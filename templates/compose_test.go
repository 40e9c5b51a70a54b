package templates_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

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

func TestTribuneGolden(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	in.Communique.Template = "tribune"
	in.Communique.EmbargoUntil = nil
	in.Quotes = in.Quotes[:2]
	doc := MustCompose(t, in)
	if doc.Kind != "TRIBUNE" || doc.Embargo != "" {
		t.Errorf("Kind %q, Embargo %q", doc.Kind, doc.Embargo)
	}
	golden(t, "tribune.md", doc.Source)
	golden(t, "tribune.txt", []byte(templates.RenderText(doc)))
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
	if len(doc.Signers) != 6 || doc.Signers[0].LogoType != "image/png" || doc.Signers[2].Logo != nil {
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
