package storage_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

func TestImportUpsertsAndKeepsSuppression(t *testing.T) {
	s := MustOpen(t)
	old := MustCreate(t, s, &storage.Contact{FirstName: "Hélène", Email: "helene@example.org", Tags: []string{"santé"}})
	gone := MustCreate(t, s, &storage.Contact{Email: "parti@example.org"})
	if err := s.OptOut(gone.ID, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	if err := storage.Delete[storage.Contact](s, "test", gone.ID); err != nil {
		t.Fatal(err)
	}
	rows := []storage.ImportRow{
		{Line: 2, Contact: storage.Contact{LastName: "Lefèvre", Email: "HELENE@example.org", Tags: []string{"économie"}}},
		{Line: 3, Contact: storage.Contact{FirstName: "Nouveau", Email: "nouveau@example.org", Regions: []string{"Occitanie"}}},
		{Line: 4, Contact: storage.Contact{Email: "parti@example.org"}},
		{Line: 5, Contact: storage.Contact{Email: "pas une adresse"}},
		{Line: 6, Contact: storage.Contact{FirstName: "Hélène", Email: "helene@example.org"}},
	}
	dry, err := s.ImportContacts("test", rows, true)
	if err != nil {
		t.Fatal(err)
	}
	if page, _ := storage.Find[storage.Contact](s, storage.ListOptions{}, nil); len(page.Items) != 1 {
		t.Fatalf("a dry run wrote %d contacts", len(page.Items))
	}
	report, err := s.ImportContacts("test", rows, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*storage.ImportReport{dry, report} {
		got := fmt.Sprintf("%d %d %d %d", r.Created, r.Updated, r.Skipped, len(r.Errors))
		if got != "1 1 2 1" || r.Errors[0].Line != 5 || r.Errors[0].Field != "email" {
			t.Fatalf("report (created updated skipped errors) = %s, %+v", got, r)
		}
	}
	// Line by line: what each line taken creates or updates, and which fields it changes.
	created, _ := s.ContactByEmail("nouveau@example.org")
	for name, tc := range map[string]struct {
		r         *storage.ImportReport
		createdID uint64
	}{"DryRun": {dry, 0}, "Import": {report, created.ID}} {
		want := fmt.Sprint([]storage.ImportLine{
			{Line: 2, Email: "helene@example.org", Outcome: storage.ImportUpdated, ContactID: old.ID, Changed: []string{"last_name", "tags"}},
			{Line: 3, Email: "nouveau@example.org", Outcome: storage.ImportCreated, ContactID: tc.createdID},
		})
		if got := fmt.Sprint(tc.r.Lines); got != want {
			t.Errorf("%s lines: %s, want %s", name, got, want)
		}
	}
	merged, _ := storage.Get[storage.Contact](s, old.ID)
	if merged.FirstName != "Hélène" || merged.LastName != "Lefèvre" || len(merged.Tags) != 2 || merged.Email != "helene@example.org" {
		t.Fatalf("merge: %+v", merged)
	}
	if _, err := s.ContactByEmail("parti@example.org"); storage.ErrorCode(err) != storage.ENOTFOUND {
		t.Fatal("an unsubscribed address came back through an import")
	}
}

func TestImportedOptOutIsKeptForever(t *testing.T) {
	s := MustOpen(t)
	known := MustCreate(t, s, &storage.Contact{Email: "connu@example.org"})
	rows := []storage.ImportRow{
		{Line: 2, Contact: storage.Contact{Email: "connu@example.org", OptedOut: true}},
		{Line: 3, Contact: storage.Contact{Email: "nouveau@example.org", OptedOut: true}},
	}
	if _, err := s.ImportContacts("test", rows, false); err != nil {
		t.Fatal(err)
	}
	got, _ := storage.Get[storage.Contact](s, known.ID)
	if !got.OptedOut || got.OptedOutAt == nil || !s.Suppressed("nouveau@example.org") {
		t.Fatalf("opt-outs from the file were lost: %+v", got)
	}
	rows = []storage.ImportRow{{Line: 2, Contact: storage.Contact{Email: "connu@example.org", FirstName: "Re"}}}
	if _, err := s.ImportContacts("test", rows, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := storage.Get[storage.Contact](s, known.ID); !got.OptedOut {
		t.Fatal("a later import cleared an opt-out")
	}
}

// TestImportPacksContactPages: an import appends to the buckets keyed by contact id, and
// fills their pages before splitting them, rather than leaving them half empty (twice
// the pages to write and sync).
func TestImportPacksContactPages(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mustContacts(t, s, 3_000)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(dir, "portevoix.db"), 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		for name, b := range map[string]*bolt.Bucket{
			"contacts":      tx.Bucket([]byte("contacts")),
			"contact_match": tx.Bucket([]byte("idx")).Bucket([]byte("contact_match")),
		} {
			st := b.Stats()
			if fill := float64(st.LeafInuse) / float64(st.LeafAlloc); fill < 0.8 {
				t.Errorf("%s: %d leaf pages %.0f %% full, want at least 80 %%", name, st.LeafPageN, 100*fill)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
