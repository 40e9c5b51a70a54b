package contactfile_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/contactfile"
	"portevoix/storage/demo"
	"portevoix/storage/region"
)

func mustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s, err := storage.Open(tb.TempDir(), time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	s.Now = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC) }
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("bbolt check: %v", err)
		}
		s.Close()
	})
	return s
}

func mustImport(tb testing.TB, s *storage.Store, data []byte) *contactfile.Report {
	tb.Helper()
	report, err := contactfile.Import(s, "test", bytes.NewReader(data), "export.csv", false)
	if err != nil {
		tb.Fatal(err)
	}
	return report
}

func mustExport(tb testing.TB, s *storage.Store) ([]storage.Contact, []byte) {
	tb.Helper()
	contacts, err := s.AllContacts()
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := contactfile.WriteCSV(&buf, contacts); err != nil {
		tb.Fatal(err)
	}
	return contacts, buf.Bytes()
}

// TestReimportingAnExportChangesNothing: the demo contacts, plus one entered through the
// API with separators inside its tags, exported then imported back: nothing is created or
// updated, and the unsubscribed and bounced contacts stay so.
func TestReimportingAnExportChangesNothing(t *testing.T) {
	s := mustOpen(t)
	if _, err := demo.Load(s, time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	typed := &storage.Contact{FirstName: "Inès", Email: "ines@example.org", Regions: []string{"PACA", "National"},
		Tags: []string{"santé, recherche", "biotech; medtech", "A|B", "Google ::: Outlook"}}
	if err := storage.Create(s, "alice@example.org", typed); err != nil {
		t.Fatal(err)
	}
	if want := "saisie dans Porte-Voix par alice@example.org le 01/12/2026"; typed.Source != want {
		t.Errorf("source of a contact entered through the API: %q, want %q", typed.Source, want)
	}
	before, data := mustExport(t, s)
	report := mustImport(t, s, data)
	if report.Created != 0 || report.Updated != 0 || len(report.Errors) != 0 || report.Skipped != len(before) {
		t.Fatalf("re-import: %d created, %d updated, %d skipped of %d, errors %+v",
			report.Created, report.Updated, report.Skipped, len(before), report.Errors)
	}
	after, _ := s.AllContacts()
	if !reflect.DeepEqual(after, before) {
		t.Error("re-importing the export changed contacts")
	}
	if len(report.Warnings) != 1 || !strings.Contains(report.Warnings[0].Message, "désinscrits") {
		t.Errorf("warnings %+v, want one for the unsubscribed demo contact", report.Warnings)
	}

	// Into an empty base: the bounced address stays bounced, the unsubscribed one is not
	// created but enters the suppression set.
	fresh := mustOpen(t)
	report = mustImport(t, fresh, data)
	if report.Created != len(before)-1 || len(report.Errors) != 0 {
		t.Fatalf("fresh import: %d created of %d, errors %+v", report.Created, len(before), report.Errors)
	}
	for _, c := range before {
		got, err := fresh.ContactByEmail(c.Email)
		switch {
		case c.OptedOut:
			if err == nil || !fresh.Suppressed(c.Email) {
				t.Errorf("%s: unsubscribed, came back as %+v", c.Email, got)
			}
		case err != nil:
			t.Errorf("%s: %v", c.Email, err)
		case got.Bounced != c.Bounced || !reflect.DeepEqual(got.Tags, c.Tags) || !reflect.DeepEqual(got.Regions, c.Regions) || got.Source != c.Source:
			t.Errorf("%s: imported as\n%+v\nwant\n%+v", c.Email, got, c)
		}
	}
	if got, _ := fresh.ContactByEmail("ines@example.org"); !reflect.DeepEqual(got.Regions, []string{region.ProvenceAlpesCoteDAzur, region.National}) {
		t.Errorf("regions %q", got.Regions)
	}
}

// TestImportNeverUnbounces: a file saying « non » in the bounce column leaves a bounced
// contact bounced; « oui » marks a known contact bounced.
func TestImportNeverUnbounces(t *testing.T) {
	s := mustOpen(t)
	bounced := &storage.Contact{Email: "rebond@example.org"}
	fine := &storage.Contact{Email: "ok@example.org"}
	for _, c := range []*storage.Contact{bounced, fine} {
		if err := storage.Create(s, "test", c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkBounced(bounced.ID); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, []byte("E-mail;Adresse en échec\nrebond@example.org;non\nok@example.org;oui\n"))
	for _, c := range []*storage.Contact{bounced, fine} {
		if got, _ := storage.Get[storage.Contact](s, c.ID); !got.Bounced {
			t.Errorf("%s is no longer bounced", c.Email)
		}
	}
}

// TestImportReportNamesTheWinningDuplicate and the addresses on the suppression list.
func TestImportReportNamesTheWinningDuplicateAndSuppressedAddresses(t *testing.T) {
	s := mustOpen(t)
	gone := &storage.Contact{Email: "parti@example.org"}
	if err := storage.Create(s, "test", gone); err != nil {
		t.Fatal(err)
	}
	if err := s.OptOut(gone.ID, "test"); err != nil {
		t.Fatal(err)
	}
	report := mustImport(t, s, []byte("Nom;E-mail\n"+
		"Un;jean@example.org\n"+ // line 2
		"Parti;parti@example.org\n"+ // line 3
		"Deux;JEAN@example.org\n"+ // line 4
		"Trois;jean@example.org\n")) // line 5
	var notes []string
	for _, n := range report.Notes {
		notes = append(notes, n.Message)
	}
	want := []string{
		"doublon de la ligne 5 (même adresse), la ligne 5 l’emporte",
		"doublon de la ligne 5 (même adresse), la ligne 5 l’emporte",
	}
	if !reflect.DeepEqual(notes, want) || report.Notes[0].Line != 2 || report.Notes[1].Line != 4 {
		t.Errorf("notes %+v, want lines 2 and 4 beaten by line 5", report.Notes)
	}
	if len(report.Warnings) != 1 || report.Warnings[0].Line != 3 || report.Warnings[0].Value != "parti@example.org" {
		t.Errorf("warnings %+v, want line 3 on the suppression list", report.Warnings)
	}
	if got, _ := s.ContactByEmail("jean@example.org"); got.LastName != "Trois" {
		t.Errorf("the last line did not win: %+v", got)
	}
}
