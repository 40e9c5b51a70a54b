package demo_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
	"portevoix/templates"
)

var loadTime = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// mustLoad opens a store in a temporary folder, loads the demo data and checks the file at
// cleanup.
func mustLoad(tb testing.TB) (*storage.Store, *demo.Summary) {
	tb.Helper()
	s, err := storage.Open(tb.TempDir(), time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("bbolt check: %v", err)
		}
		s.Close()
	})
	sum, err := demo.Load(s, loadTime)
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return s, sum
}

func all[T any, P storage.RecordPtr[T]](tb testing.TB, s *storage.Store) []T {
	tb.Helper()
	page, err := storage.Find[T, P](s, storage.ListOptions{Limit: 1000}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return page.Items
}

// seedText reads a seed, copied verbatim into testdata so the check runs in any clone, with
// its whitespace and line breaks collapsed to single spaces.
func seedText(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(data)), " ")
}

func TestLoadCounts(t *testing.T) {
	s, sum := mustLoad(t)
	want := demo.Summary{Poles: 6, People: 6, Quotes: 6, Statements: 2, Measures: 7, Boilerplates: 3, Journalists: sum.Journalists, PressOfficers: 7, Lists: len(demo.Regions) + 1, Communiques: 3, Published: 2}
	if *sum != want || sum.Journalists < 48 {
		t.Fatalf("summary = %+v, want %+v with at least 48 journalists", *sum, want)
	}
	counts := map[string]int{
		"poles": len(all[storage.Pole](t, s)), "people": len(all[storage.Person](t, s)),
		"measures": len(all[storage.Measure](t, s)), "boilerplates": len(all[storage.Boilerplate](t, s)),
		"contacts": len(all[storage.Contact](t, s)), "lists": len(all[storage.List](t, s)),
	}
	wantCounts := map[string]int{"poles": 6, "people": 6, "measures": 7, "boilerplates": 3, "contacts": sum.Journalists + sum.PressOfficers, "lists": sum.Lists}
	for kind, n := range wantCounts {
		if counts[kind] != n {
			t.Errorf("%s stored = %d, want %d", kind, counts[kind], n)
		}
	}
	if got := sum.String(); !strings.Contains(got, "6 pôles") {
		t.Errorf("String() = %q", got)
	}
}

func TestQuotesAreApproved(t *testing.T) {
	s, _ := mustLoad(t)
	for _, q := range all[storage.Quote](t, s) {
		if q.IsStatement() {
			continue // TestStatementsCarryTheirSource
		}
		if q.Status != storage.QuoteApproved || q.ApprovedAt == nil || !q.ApprovedAt.Equal(loadTime) {
			t.Errorf("quote %d: status %q approved at %v", q.ID, q.Status, q.ApprovedAt)
		}
		if q.Date != "2020-05-12" || q.Source == "" || len(q.Tags) == 0 || !q.CreatedAt.Equal(loadTime) {
			t.Errorf("quote %d: %+v", q.ID, q)
		}
		if strings.ContainsAny(q.Text, "«»") {
			t.Errorf("quote %d keeps its guillemets: %q", q.ID, q.Text)
		}
	}
}

func TestMeasuresByAxis(t *testing.T) {
	s, _ := mustLoad(t)
	ranks := map[string][]int{}
	for _, m := range all[storage.Measure](t, s) {
		// As in seed 001, only the second axis's measures open with bold words (their title).
		if (m.Title != "") != strings.HasPrefix(m.Axis, "Renforcer") {
			t.Errorf("measure %d (%s): title %q", m.ID, m.Axis, m.Title)
		}
		ranks[m.Axis] = append(ranks[m.Axis], m.Rank)
	}
	var sizes []int
	for axis, r := range ranks {
		for i, rank := range r {
			if rank != i+1 {
				t.Errorf("axis %q: ranks %v, want 1..%d in order", axis, r, len(r))
			}
		}
		sizes = append(sizes, len(r))
	}
	slices.Sort(sizes)
	if !slices.Equal(sizes, []int{3, 4}) {
		t.Errorf("measures per axis = %v, want 3 and 4", sizes)
	}
}

func TestContacts(t *testing.T) {
	s, _ := mustLoad(t)
	var journalists, anonymous, optedOut, bounced int
	for _, c := range all[storage.Contact](t, s) {
		if !strings.HasSuffix(c.Email, "@example.org") && !strings.HasSuffix(c.Email, "@example.com") {
			t.Errorf("contact %d: %s is not a reserved example address", c.ID, c.Email)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("contact %d: %v", c.ID, err)
		}
		for _, r := range c.Regions {
			if !slices.Contains(demo.Regions, r) {
				t.Errorf("contact %d: region %q not in demo.Regions", c.ID, r)
			}
		}
		if c.Kind == storage.KindPressOfficer && c.PoleID == 0 {
			t.Errorf("press officer %s has no pôle", c.Email)
		}
		if c.Kind == storage.KindJournalist {
			journalists++
		}
		if c.FullName() == "" {
			anonymous++
		}
		if c.OptedOut {
			optedOut++
		}
		if c.Bounced {
			bounced++
		}
	}
	if journalists < 48 || anonymous < 2 || optedOut != 1 || bounced != 1 {
		t.Errorf("journalists %d (want ≥ 48), without name %d (want ≥ 2), opted out %d and bounced %d (want 1 each)",
			journalists, anonymous, optedOut, bounced)
	}
}

// TestJournalistsCoverEveryPole: each pôle finds at least eight journalists in its regions.
func TestJournalistsCoverEveryPole(t *testing.T) {
	s, _ := mustLoad(t)
	contacts := all[storage.Contact](t, s)
	for _, p := range all[storage.Pole](t, s) {
		n := 0
		for _, c := range contacts {
			if c.Kind == storage.KindJournalist && slices.ContainsFunc(c.Regions, func(r string) bool { return slices.Contains(p.Regions, r) }) {
				n++
			}
		}
		if n < 8 {
			t.Errorf("%s: %d journalists in %v, want at least 8", p.Name, n, p.Regions)
		}
		for _, r := range p.Regions {
			if !slices.Contains(demo.Regions, r) {
				t.Errorf("%s: region %q not in demo.Regions", p.Name, r)
			}
		}
	}
}

func TestSeedTextsAreVerbatim(t *testing.T) {
	seed000 := seedText(t, "000_9fc579e2a9f84107.txt")
	seed001 := seedText(t, "001_39a97157692deadb.txt")
	seed002 := seedText(t, "002_100a0870f1bb8f02.txt")
	s, _ := mustLoad(t)
	seed003 := seedText(t, "003_57a0a080a0022477.txt")
	for _, q := range all[storage.Quote](t, s) {
		if seed := map[bool]string{false: seed001, true: seed003}[q.IsStatement()]; !strings.Contains(seed, q.Text) {
			t.Errorf("quote %d not found verbatim in seed 001 (003 for a statement): %q", q.ID, q.Text)
		}
	}
	for _, p := range all[storage.Pole](t, s) {
		if !strings.Contains(seed002, p.Description) {
			t.Errorf("description of %s not found verbatim in seed 002", p.Name)
		}
	}
	for _, b := range all[storage.Boilerplate](t, s) {
		if b.Title == "Chiffres clés de la filière" {
			continue // TestKeyFigures
		}
		if !strings.Contains(seed001, b.Text) && !strings.Contains(seed000, b.Text) {
			t.Errorf("boilerplate %q not found verbatim in seeds 000 or 001", b.Title)
		}
	}
}

// The public statements of seed 003 carry their source and need no approval.
func TestStatementsCarryTheirSource(t *testing.T) {
	s, _ := mustLoad(t)
	var speakers []string
	for _, q := range all[storage.Quote](t, s) {
		if !q.IsStatement() {
			continue
		}
		speakers = append(speakers, q.Speaker)
		if q.PersonID != 0 || q.SpeakerTitle == "" || q.Source == "" || q.Date == "" || q.ApprovedAt != nil ||
			!strings.HasPrefix(q.SourceURL, "https://www.example.org/") {
			t.Errorf("statement %d: %+v", q.ID, q)
		}
	}
	if !slices.Equal(speakers, []string{"Agnès Pannier-Runacher", "Olivier Bogillot"}) {
		t.Errorf("statements by %v", speakers)
	}
}

// TestKeyFigures: the sector's description of seed 004 and its figures of seed 003, in
// French typography: thousands grouped with a narrow no-break space, typographic apostrophes.
func TestKeyFigures(t *testing.T) {
	s, _ := mustLoad(t)
	typeset := strings.NewReplacer("'", "’", "3.100", "3\u202f100", "455.000", "455\u202f000", " :", "\u00a0:")
	seeds := typeset.Replace(seedText(t, "004_eab32b40795d025f.txt") + " " + seedText(t, "003_57a0a080a0022477.txt"))
	for _, b := range all[storage.Boilerplate](t, s) {
		if b.Title != "Chiffres clés de la filière" {
			continue
		}
		for _, want := range []string{"3\u202f100 entreprises", "455\u202f000 emplois", "100 milliards d’euros", "dont 35,6 milliards d’euros à l’exportation"} {
			if !strings.Contains(b.Text, want) {
				t.Errorf("key figures lack %q", want)
			}
		}
		for _, paragraph := range strings.Split(b.Text, "\n\n") {
			if !strings.Contains(seeds, paragraph) {
				t.Errorf("paragraph not found in seeds 003 and 004 (typeset): %q", paragraph)
			}
		}
		return
	}
	t.Fatal("no « Chiffres clés de la filière »")
}

func TestSecondLoadRefuses(t *testing.T) {
	s, _ := mustLoad(t)
	_, err := demo.Load(s, loadTime)
	if storage.ErrorCode(err) != storage.ECONFLICT || !strings.Contains(err.Error(), "base vide") {
		t.Fatalf("second Load: %v, want a French ECONFLICT", err)
	}
	if n := len(all[storage.Pole](t, s)); n != 6 {
		t.Fatalf("%d pôles after the refused load, want 6", n)
	}
}

func TestListsResolveWithoutUnreachableContacts(t *testing.T) {
	s, _ := mustLoad(t)
	lists := all[storage.List](t, s)
	for _, l := range lists {
		recipients, err := s.Recipients(l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recipients) == 0 {
			t.Errorf("list %q resolves to nobody", l.Name)
		}
		for _, c := range recipients {
			if c.OptedOut || c.Bounced || c.Kind != storage.KindJournalist {
				t.Errorf("list %q includes %s (opted out %v, bounced %v, kind %s)", l.Name, c.Email, c.OptedOut, c.Bounced, c.Kind)
			}
		}
	}
	names := make([]string, len(lists))
	for i, l := range lists {
		names[i] = l.Name
	}
	for _, want := range []string{"Presse Occitanie", "Presse Île-de-France", "Presse nationale santé"} {
		if !slices.Contains(names, want) {
			t.Errorf("no list %q among %v", want, names)
		}
	}
}

func TestCommuniques(t *testing.T) {
	s, _ := mustLoad(t)
	tests := []struct {
		slug, kind, status, text               string
		poles, measures, quotes, bps, contacts int
	}{
		{"souverainete-sanitaire-mesures-poles-sante", "COMMUNIQUÉ DE PRESSE", storage.CommuniquePublished, "Pour faire converger", 6, 7, 6, 1, 7},
		{"tribune-poles-competitivite-sante", "TRIBUNE", storage.CommuniqueDraft, "65 milliards d’euros*,", 6, 0, 0, 1, 0},
		{"bilan-contrat-filiere-reaction-poles-sante", "COMMUNIQUÉ DE PRESSE", storage.CommuniquePublished, "Déclaration d’Agnès Pannier-Runacher", 6, 0, 2, 2, 7},
	}
	for _, tc := range tests {
		t.Run(tc.slug, func(t *testing.T) {
			c, err := s.CommuniqueBySlug(tc.slug)
			if err != nil {
				t.Fatal(err)
			}
			if c.Status != tc.status {
				t.Errorf("status = %q, want %q", c.Status, tc.status)
			}
			b, err := s.CommuniqueBundle(c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := []int{len(b.Poles), len(b.Measures), len(b.Quotes), len(b.Boilerplates), len(b.Contacts)}
			if want := []int{tc.poles, tc.measures, tc.quotes, tc.bps, tc.contacts}; !slices.Equal(got, want) {
				t.Errorf("pôles, measures, quotes, boilerplates, contacts = %v, want %v", got, want)
			}
			doc, err := templates.Compose(templates.InputFromBundle(b, loadTime))
			if err != nil {
				t.Fatal(err)
			}
			if text := templates.RenderText(doc); doc.Kind != tc.kind || !strings.Contains(text, tc.text) {
				t.Errorf("kind %q, text without %q:\n%s", doc.Kind, tc.text, text)
			}
		})
	}
	published, err := s.Published(loadTime)
	if err != nil || len(published) != 2 || published[0].Slug != "bilan-contrat-filiere-reaction-poles-sante" {
		t.Errorf("newsroom lists %d communiqués (%v), want 2, the reaction to the review first", len(published), err)
	}
}

// BenchmarkLoad measures a full demo load into a fresh base (one bbolt commit per record).
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, err := storage.Open(b.TempDir(), time.Second)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := demo.Load(s, loadTime); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
