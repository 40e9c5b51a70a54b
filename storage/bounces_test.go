package storage_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// steppingClock makes s.Now a minute later at each call, so that every write has its time.
func steppingClock(s *storage.Store) {
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { now = now.Add(time.Minute); return now }
}

func mustContact(t *testing.T, s *storage.Store, email string) *storage.Contact {
	t.Helper()
	c, err := s.ContactByEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantBounces checks the latest bounces: these contacts, as stored, at these times.
func wantBounces(t *testing.T, s *storage.Store, n int, contacts []*storage.Contact, at []time.Time) {
	t.Helper()
	got, err := s.LatestBounces(n)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(contacts) {
		t.Fatalf("%d bounces, want %d: %+v", len(got), len(contacts), got)
	}
	for i, b := range got {
		stored := mustContact(t, s, contacts[i].Email)
		if !reflect.DeepEqual(b.Contact, *stored) || !b.At.Equal(at[i]) {
			t.Errorf("bounce %d: %s at %v, want %s at %v", i, b.Contact.Email, b.At, stored.Email, at[i])
		}
	}
}

// TestLatestBouncesWhateverMarkedThem: a bounce reported by the sender, read from an
// imported file or recorded by MarkBounced is listed, latest first, at the time it was
// first marked: neither a later edit nor a second mark moves it, a deletion removes it.
func TestLatestBouncesWhateverMarkedThem(t *testing.T) {
	s := MustOpen(t)
	steppingClock(s)
	_, d := startedCampaign(t, s, "parti@example.com", "recu@example.com")
	results := []storage.DeliveryResult{{DeliveryID: d["parti@example.com"].ID, Outcome: storage.OutcomeFailed, Error: "550 5.1.1 User unknown", Bounced: true},
		{DeliveryID: d["recu@example.com"].ID, Outcome: storage.OutcomeSent}}
	if _, err := s.RecordResults(results); err != nil {
		t.Fatal(err)
	}
	sender := mustContact(t, s, "parti@example.com")
	row := storage.ImportRow{Line: 2, Contact: storage.Contact{Email: "npai@example.org", LastName: "Rebond", Bounced: true, Source: "fichier 2024"}}
	if _, err := s.ImportContacts("test", []storage.ImportRow{row}, false); err != nil {
		t.Fatal(err)
	}
	imported := mustContact(t, s, "npai@example.org")
	marked := mustContact(t, s, "recu@example.com")
	if err := s.MarkBounced(marked.ID); err != nil {
		t.Fatal(err)
	}
	marked = mustContact(t, s, marked.Email)
	if !sender.Bounced || !imported.Bounced || !marked.Bounced {
		t.Fatalf("bounced: sender %v, import %v, MarkBounced %v", sender.Bounced, imported.Bounced, marked.Bounced)
	}
	contacts := []*storage.Contact{marked, imported, sender}
	at := []time.Time{marked.UpdatedAt, imported.UpdatedAt, sender.UpdatedAt}
	wantBounces(t, s, 3, contacts, at)

	sender.FirstName = "Paul"
	if err := storage.Update(s, "test", sender); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkBounced(sender.ID); err != nil {
		t.Fatal(err)
	}
	wantBounces(t, s, 3, contacts, at)

	if err := storage.Delete[storage.Contact](s, "test", imported.ID); err != nil {
		t.Fatal(err)
	}
	wantBounces(t, s, 2, []*storage.Contact{marked, sender}, []time.Time{at[0], at[2]})

	all, err := s.AllContacts()
	if err != nil {
		t.Fatal(err)
	}
	bounced := 0
	for _, c := range all {
		if c.Bounced {
			bounced++
		}
	}
	if got, err := s.LatestBounces(len(all)); err != nil || len(got) != bounced || bounced < 3 {
		t.Fatalf("%d bounces listed (%v), %d contacts bounced", len(got), err, bounced)
	}
}

// TestOpenIndexesBounces opens a base of schema 5, which kept no bounce times: the
// migration dates a MarkBounced from its audit entry, even after an edit, and the
// sender's bounce from the contact's last write.
func TestOpenIndexesBounces(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	steppingClock(s)
	_, d := startedCampaign(t, s, "parti@example.com", "recu@example.com")
	if _, err := s.RecordResults([]storage.DeliveryResult{{DeliveryID: d["parti@example.com"].ID, Outcome: storage.OutcomeFailed, Bounced: true}}); err != nil {
		t.Fatal(err)
	}
	marked := mustContact(t, s, "recu@example.com")
	if err := s.MarkBounced(marked.ID); err != nil {
		t.Fatal(err)
	}
	marked = mustContact(t, s, marked.Email)
	marked.FirstName = "Paul"
	if err := storage.Update(s, "test", marked); err != nil {
		t.Fatal(err)
	}
	want, err := s.LatestBounces(100)
	if err != nil || len(want) < 2 {
		t.Fatalf("%d bounces, %v", len(want), err)
	}
	s.Close()

	mustUpdateFile(t, filepath.Join(dir, "portevoix.db"), func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("idx")).DeleteBucket([]byte("contact_bounce")); err != nil {
			return err
		}
		return setSchema(tx, 5)
	})

	s = mustOpenDir(t, dir)
	got, err := s.LatestBounces(100)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("after the migration (%v):\n got %+v\nwant %+v", err, got, want)
	}
}
