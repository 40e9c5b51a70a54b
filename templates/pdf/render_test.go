package pdf

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode"

	"portevoix/templates"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestRenderPassesQPDFCheck(t *testing.T) {
	path := mustWritePDF(t, mustRender(t, seedDocument(t)))
	out := mustRun(t, "qpdf", "--check", path)
	if !strings.Contains(out, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check:\n%s", out)
	}
}

// TestRenderEmbedsSubsetFonts checks pdffonts' emb, sub and uni columns for all four
// styles, and that the subset names carry a six-letter tag.
func TestRenderEmbedsSubsetFonts(t *testing.T) {
	doc := mustDocument(t, []byte("# Titre\n\nTexte *italique*, **gras** et ***gras italique***.\n"))
	out := mustRun(t, "pdffonts", mustWritePDF(t, mustRender(t, doc)))
	rows := strings.Split(strings.TrimSpace(out), "\n")[2:]
	if len(rows) != 4 {
		t.Fatalf("want 4 fonts, got:\n%s", out)
	}
	name := regexp.MustCompile(`^[A-Z]{6}\+LiberationSans(-Bold|-Italic|-BoldItalic)?$`)
	for _, row := range rows {
		f := strings.Fields(row)
		if !name.MatchString(f[0]) || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not embedded as a tagged subset with a Unicode map: %s", row)
		}
	}
}

func TestRenderInfo(t *testing.T) {
	doc := seedDocument(t)
	out := mustRun(t, "pdfinfo", "-isodates", mustWritePDF(t, mustRender(t, doc)))
	for _, want := range []string{
		"Title:           " + doc.Title + "\n",
		"Author:          " + doc.Author + "\n",
		"Subject:         " + doc.Subject + "\n",
		"CreationDate:    2020-05-11T09:30:00+02\n",
		"Page size:       595.28 x 841.89 pts (A4)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, out)
		}
	}
}

// TestRenderTextRoundTrips checks that every passage of the seed communiqué (title,
// chapeau, measures, quotes, contacts…) comes back from pdftotext. Poppler prints U+00A0
// and U+202F as plain spaces, so white space is normalised on both sides;
// TestRenderMapsUnicodeSpaces checks those characters separately.
func TestRenderTextRoundTrips(t *testing.T) {
	doc := seedDocument(t)
	got := normalise(stripPageNumbers(mustRun(t, "pdftotext", "-enc", "UTF-8", mustWritePDF(t, mustRender(t, doc)), "-")))
	passages := markdownPassages(string(doc.Source))
	if len(passages) < 40 {
		t.Fatalf("only %d passages in the seed's Markdown", len(passages))
	}
	for _, p := range passages {
		if !strings.Contains(got, normalise(p)) {
			t.Errorf("pdftotext lacks %q", p)
		}
	}
	for _, want := range []string{doc.Kind, doc.Dateline, doc.Embargo, "œ", "«", "»", "’", "Île-de-France"} {
		if !strings.Contains(got, normalise(want)) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
}

// TestRenderMapsUnicodeSpaces checks the ToUnicode maps give U+00A0 and U+202F their own
// glyphs, since pdftotext cannot show them.
func TestRenderMapsUnicodeSpaces(t *testing.T) {
	path := mustWritePDF(t, mustRender(t, seedDocument(t)))
	qdf := filepath.Join(t.TempDir(), "qdf.pdf")
	mustRun(t, "qpdf", "--qdf", "--object-streams=disable", path, qdf)
	raw, err := os.ReadFile(qdf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"><00A0>\n", "><202F>\n", "><0153>\n", "><2019>\n"} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("no ToUnicode entry ending %q", want)
		}
	}
}

func TestRenderReplacesMissingGlyphs(t *testing.T) {
	doc := mustDocument(t, []byte("# Titre\n\nUn émoji 😀 et du chinois 中文, puis la suite.\n"))
	pdf := mustRender(t, doc)
	path := mustWritePDF(t, pdf)
	mustRun(t, "qpdf", "--check", path)
	got := mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-")
	if want := "Un émoji □ et du chinois □□, puis la suite."; !strings.Contains(got, want) {
		t.Errorf("pdftotext = %q, want it to contain %q", got, want)
	}
}

func TestRenderLinks(t *testing.T) {
	pdf := mustRender(t, seedDocument(t))
	for _, want := range []string{"/URI (mailto:barto@example.org)", "/URI (mailto:akhemili@example.org)"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("no link annotation %s", want)
		}
	}
}

// bookmark is an outline entry as qpdf --json shows it.
type bookmark struct {
	Title string     `json:"title"`
	Kids  []bookmark `json:"kids"`
}

// TestRenderOutline expects the title and the sections (level-2 headings) as bookmarks,
// in order, each with its level-3 headings nested under it, read back by qpdf.
func TestRenderOutline(t *testing.T) {
	doc := seedDocument(t)
	out := mustRun(t, "qpdf", "--json", "--json-key=outlines", mustWritePDF(t, mustRender(t, doc)))
	var got struct{ Outlines []bookmark }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("qpdf --json: %v\n%s", err, out)
	}
	var want []bookmark
	for _, ln := range strings.Split(string(doc.Source), "\n") {
		level := len(ln) - len(strings.TrimLeft(ln, "#"))
		h, ok := strings.CutPrefix(ln[level:], " ")
		entry := bookmark{Title: templates.Unescape([]byte(h)), Kids: []bookmark{}}
		switch {
		case !ok:
		case level == 1 || level == 2:
			want = append(want, entry)
		case level == 3 && len(want) > 0:
			want[len(want)-1].Kids = append(want[len(want)-1].Kids, entry)
		}
	}
	if len(want) < 4 || len(want[len(want)-1].Kids) < 6 {
		t.Fatalf("seed 001 has too few headings: %v", want)
	}
	if !reflect.DeepEqual(got.Outlines, want) {
		t.Errorf("outline =\n%v\nwant\n%v", got.Outlines, want)
	}
}

// TestRenderIsDeterministic renders the same document concurrently from a new Renderer,
// whose font cache fills as they run, and expects the shared Renderer's bytes every time.
func TestRenderIsDeterministic(t *testing.T) {
	doc := seedDocument(t)
	want := mustRender(t, doc)
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]byte, 8)
	for i := range results {
		wg.Go(func() {
			var buf bytes.Buffer
			if err := r.Render(doc, &buf); err != nil {
				t.Error(err)
			}
			results[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i, got := range results {
		if !bytes.Equal(got, want) {
			t.Errorf("render %d differs from the first", i)
		}
	}
}

// TestRenderConcurrentDocuments renders different documents at once with one Renderer, as
// a running server does, each goroutine going through them in its own order so that the
// pooled space (see layoutSpace, renderBuffers) passes from one document to another, and
// expects each document's bytes from a lone render by a Renderer of its own. Run it with
// -race.
func TestRenderConcurrentDocuments(t *testing.T) {
	docs := seedDocuments(t)
	docs["long"] = mustDocument(t, longBody(30))
	docs["short"] = mustDocument(t, []byte("Un paragraphe, [un lien](https://example.org/)."))
	docs["quote"] = mustDocument(t, []byte("# Titre\n\n> « Une citation » (x) \\ y\n\n- un\n- deux\n"))
	var names []string
	want := map[string][]byte{}
	for name, doc := range docs {
		lone, err := New()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := lone.Render(doc, &buf); err != nil {
			t.Fatal(err)
		}
		names, want[name] = append(names, name), buf.Bytes()
	}
	shared, err := New()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for k := range 2 * len(names) {
				name := names[(g+k*(1+g%2))%len(names)]
				var buf bytes.Buffer
				if err := shared.Render(docs[name], &buf); err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(buf.Bytes(), want[name]) {
					t.Errorf("goroutine %d, render %d: %s differs from its lone render", g, k, name)
				}
			}
		})
	}
	wg.Wait()
}

// TestRenderReusesSpace renders, one after the other with one Renderer, so in the same
// space (see layoutSpace), seed 001, a forty-page body, a short one and seed 001 again,
// and expects each document's bytes from a Renderer of its own.
func TestRenderReusesSpace(t *testing.T) {
	docs := []*templates.Document{seedDocument(t), mustDocument(t, longBody(260)),
		mustDocument(t, []byte("Un paragraphe, [un lien](https://example.org/).")), seedDocument(t)}
	shared, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for i, doc := range docs {
		own, err := New()
		if err != nil {
			t.Fatal(err)
		}
		var got, want bytes.Buffer
		if err := shared.Render(doc, &got); err != nil {
			t.Fatal(err)
		}
		if err := own.Render(doc, &want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("document %d: the shared Renderer's PDF differs from a new one's", i)
		}
	}
}

func TestRenderGolden(t *testing.T) {
	got := mustRender(t, seedDocument(t))
	path := filepath.Join("testdata", "seed001.pdf")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("PDF differs from %s (%d bytes, want %d); if intended, run go test -update", path, len(got), len(want))
	}
}

func TestLayoutSeed001(t *testing.T) {
	lay := mustRenderer(t).layout(seedDocument(t), nil)
	checkLayout(t, lay)
	if n := len(lay.pages); n < 3 || n > 5 {
		t.Errorf("seed 001 takes %d pages", n)
	}
}

// TestLayoutLongBody paginates a generated body of some forty pages.
func TestLayoutLongBody(t *testing.T) {
	doc := mustDocument(t, longBody(260))
	lay := mustRenderer(t).layout(doc, nil)
	if len(lay.pages) < 40 {
		t.Fatalf("long body takes %d pages, want at least 40", len(lay.pages))
	}
	checkLayout(t, lay)
	path := mustWritePDF(t, mustRender(t, doc))
	mustRun(t, "qpdf", "--check", path)
	if out := mustRun(t, "pdfinfo", path); !strings.Contains(out, fmt.Sprintf("Pages:           %d\n", len(lay.pages))) {
		t.Errorf("pdfinfo page count differs from the layout's %d:\n%s", len(lay.pages), out)
	}
}

// checkLayout asserts the layout invariants: everything within the margins, no heading last
// on a page, no orphan (first line alone at a page's bottom) and no widow (last line alone
// at a page's top).
func checkLayout(t *testing.T, lay *layout) {
	t.Helper()
	const eps = 0.01
	for n, pg := range lay.pages {
		for _, l := range pg.lines {
			if l.top < contentTop-eps || l.top+l.height > contentEnd+eps {
				t.Errorf("page %d: line %q at %.2f–%.2f outside the margins", n+1, lineText(l), l.top, l.top+l.height)
			}
			for _, r := range l.runs {
				if r.x < contentLeft-eps || r.x+r.w > contentRight+eps {
					t.Errorf("page %d: run %q at x %.2f–%.2f outside the margins", n+1, r.text, r.x, r.x+r.w)
				}
			}
		}
		for _, lg := range pg.logos {
			if lg.x < contentLeft-eps || lg.x+lg.w > contentRight+eps || lg.y < contentTop-eps {
				t.Errorf("page %d: logo %q outside the margins", n+1, lg.description)
			}
		}
		body := bodyLines(pg)
		if len(body) == 0 {
			t.Errorf("page %d has no body", n+1)
			continue
		}
		first, last := body[0], body[len(body)-1]
		if last.heading && n < len(lay.pages)-1 {
			t.Errorf("page %d ends with heading %q", n+1, lineText(last))
		}
		if last.index == 0 && last.count > 1 {
			t.Errorf("page %d ends with an orphan: %q", n+1, lineText(last))
		}
		if first.index == first.count-1 && first.count > 1 {
			t.Errorf("page %d starts with a widow: %q", n+1, lineText(first))
		}
		for _, l := range body {
			// A line of one short word inside a paragraph cannot be justified: the line
			// breaker must never choose it (it once did for "à" in a seed-001 quote).
			if text := lineText(l); l.index < l.count-1 && len([]rune(text)) <= 2 {
				t.Errorf("page %d: line %q stands alone inside its paragraph", n+1, text)
			}
		}
	}
}

func bodyLines(pg *page) []line {
	var out []line
	for _, l := range pg.lines {
		if l.block >= 0 {
			out = append(out, l)
		}
	}
	return out
}

func lineText(l line) string {
	var sb strings.Builder
	for _, r := range l.runs {
		sb.WriteString(r.text)
	}
	return sb.String()
}

// longBody generates sections of paragraphs, lists and quotes of varied lengths.
func longBody(sections int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("la santé des territoires œuvre pour l’innovation « clinique » et industrielle " +
		"des pôles de compétitivité qui rassemblent 1\u202f500 adhérents dont *mille* PME et **start-ups**")
	sentence := func(n int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(s, " ")
	}
	var b strings.Builder
	b.WriteString("# Un très long communiqué\n\n**Un chapeau en gras qui résume le propos.**\n\n")
	for s := range sections {
		fmt.Fprintf(&b, "## %d/ Section numéro %d\n\n", s+1, s+1)
		if s%7 == 3 {
			fmt.Fprintf(&b, "### Sous-section %d\n\n", s+1)
		}
		for range 1 + rng.IntN(3) {
			fmt.Fprintf(&b, "%s.\n\n", sentence(1+rng.IntN(160)))
		}
		switch s % 4 {
		case 1:
			for range 1 + rng.IntN(4) {
				fmt.Fprintf(&b, "- %s ;\n", sentence(5+rng.IntN(60)))
			}
			b.WriteString("\n")
		case 2:
			fmt.Fprintf(&b, "> «\u202f%s\u202f»\n>\n> **Prénom Nom**, présidente\n\n", sentence(10+rng.IntN(90)))
		case 3:
			b.WriteString("---\n\n")
		}
	}
	return []byte(b.String())
}

var (
	linkRe     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	markerRe   = regexp.MustCompile(`^(#+ |> ?|- |\d+\. )`)
	itemRe     = regexp.MustCompile(`^(- |\d+\. )`)
	emphasisRe = regexp.MustCompile(`(^|[^\\])\*+`)
	footerRe   = regexp.MustCompile(`(?m)^\d+/\d+$`)
)

// markdownPassages returns the plain text of each paragraph, heading and list item of a
// contract Markdown document.
func markdownPassages(md string) []string {
	var out []string
	for _, blk := range strings.Split(md, "\n\n") {
		var cur []string
		flush := func() {
			if p := strings.TrimSpace(strings.Join(cur, " ")); p != "" {
				out = append(out, templates.Unescape([]byte(p)))
			}
			cur = nil
		}
		for _, ln := range strings.Split(blk, "\n") {
			if itemRe.MatchString(ln) || ln == ">" || ln == "---" {
				flush()
			}
			if ln == "---" {
				continue
			}
			ln = markerRe.ReplaceAllString(ln, "")
			ln = strings.TrimSuffix(ln, `\`)
			ln = linkRe.ReplaceAllString(ln, "$1")
			cur = append(cur, emphasisRe.ReplaceAllString(ln, "$1"))
		}
		flush()
	}
	return out
}

func stripPageNumbers(s string) string { return footerRe.ReplaceAllString(s, "") }

// normalise turns every run of white space (including U+00A0 and U+202F) into one space.
func normalise(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}
