package storage_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// TestEveryWriteMovesTheVersion: edits, opt-outs, bounces and approvals all count as
// writes, each one version up and stamped with who made it.
func TestEveryWriteMovesTheVersion(t *testing.T) {
	s := MustOpen(t)
	c := MustCreate(t, s, &storage.Contact{Email: "versions@example.org"})
	steps := []struct {
		name, by string
		write    func() error
	}{
		{"Update", "alice@example.org", func() error {
			c.Phone = "01 02 03 04 05"
			return storage.Update(s, "alice@example.org", c)
		}},
		{"OptOut", "bob@example.org", func() error { return s.OptOut(c.ID, "bob@example.org") }},
		{"MarkBounced", "system", func() error { return s.MarkBounced(c.ID) }},
	}
	want := uint64(1)
	if got := storage.VersionOf(c); got != want || c.UpdatedBy != "test" {
		t.Fatalf("created at version %d by %q, want 1 by test", got, c.UpdatedBy)
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		want++
		got, err := storage.Get[storage.Contact](s, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != want || got.UpdatedBy != step.by {
			t.Fatalf("after %s: version %d by %q, want %d by %s", step.name, got.Version, got.UpdatedBy, want, step.by)
		}
	}

	pole := MustCreate(t, s, &storage.Pole{Name: "Medicen"})
	person := MustCreate(t, s, &storage.Person{Name: "Anne Martin", PoleID: pole.ID})
	q := MustCreate(t, s, &storage.Quote{PersonID: person.ID, Text: "Produire ici."})
	approved, err := s.ApproveQuote("carla@example.org", q.ID, "")
	if err != nil || approved.Version != 2 || approved.UpdatedBy != "carla@example.org" {
		t.Fatalf("approve: version %d by %q (%v)", approved.Version, approved.UpdatedBy, err)
	}
}

// TestStaleWritesAreRefused: a write that expects an older version answers EPRECONDITION
// naming who changed the record and when (Paris time), and changes nothing.
func TestStaleWritesAreRefused(t *testing.T) {
	s := MustOpen(t)
	s.Now = func() time.Time { return time.Date(2026, 12, 1, 14, 5, 0, 0, time.UTC) }
	m := MustCreate(t, s, &storage.Measure{Axis: "Production", Text: "Un crédit d’impôt."})
	m.Title = "Fiscalité"
	if err := storage.UpdateIf(s, "alice@example.org", m, 1); err != nil {
		t.Fatal(err)
	}
	m.Title = "Autre titre"
	err := storage.UpdateIf(s, "bob@example.org", m, 1)
	wantCode(t, err, storage.EPRECONDITION)
	want := "la fiche mesure n° 1 a été modifiée entre-temps par alice@example.org, le 1er\u00a0décembre 2026 à 15\u00a0h\u00a005."
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("message %q\nwant it to contain %q", err, want)
	}
	_, err = storage.Patch(s, "bob@example.org", m.ID, 1, func(v *storage.Measure) error { v.Rank = 9; return nil })
	wantCode(t, err, storage.EPRECONDITION)
	wantCode(t, storage.DeleteIf[storage.Measure](s, "bob@example.org", m.ID, 1), storage.EPRECONDITION)

	got, err := storage.Get[storage.Measure](s, m.ID)
	if err != nil || got.Title != "Fiscalité" || got.Rank != 0 || got.Version != 2 {
		t.Fatalf("after refused writes: %+v (%v)", got, err)
	}
	patched, err := storage.Patch(s, "bob@example.org", m.ID, 2, func(v *storage.Measure) error {
		v.Rank, v.ID, v.Version, v.UpdatedBy = 9, 77, 40, "mallory" // the server's fields are not the body's
		return nil
	})
	if err != nil || patched.ID != m.ID || patched.Rank != 9 || patched.Version != 3 || patched.UpdatedBy != "bob@example.org" {
		t.Fatalf("patch: %+v (%v)", patched, err)
	}
}

// TestRecordsWithoutVersionReadAsOne: records stored before versions existed read as
// version 1, and their first write makes them version 2, so their ETag changes.
func TestRecordsWithoutVersionReadAsOne(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	MustCreate(t, s, &storage.Pole{Name: "Eurobiomed"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	mustUpdateFile(t, filepath.Join(dir, "portevoix.db"), func(tx *bolt.Tx) error {
		key := []byte{0, 0, 0, 0, 0, 0, 0, 1}
		return tx.Bucket([]byte("poles")).Put(key, []byte(`{"id":1,"created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05Z","name":"Eurobiomed"}`))
	})
	if s, err = storage.Open(dir, time.Second); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	page, err := storage.Find[storage.Pole](s, storage.ListOptions{}, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].Version != 1 {
		t.Fatalf("listed: %+v (%v)", page.Items, err)
	}
	pole, err := storage.Patch(s, "alice@example.org", 1, 1, func(p *storage.Pole) error { p.ShortName = "EBM"; return nil })
	if err != nil || pole.Version != 2 {
		t.Fatalf("first write of an old record: %+v (%v)", pole, err)
	}
}

// TestTheLastAdminCannotGo: no account change may leave the base without an admin.
func TestTheLastAdminCannotGo(t *testing.T) {
	s := MustOpen(t)
	newUser := func(email, role string) *storage.User {
		u, err := s.CreateUser("cli", storage.NewUser{Email: email, Name: email, Role: role, Password: "0123456789ab"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin := newUser("admin@example.org", storage.RoleAdmin)
	editor := newUser("editor@example.org", storage.RoleEditor)
	demote := storage.NewUser{Email: admin.Email, Name: admin.Name, Role: storage.RoleViewer}
	_, err := s.UpdateUser("cli", admin.ID, 0, demote)
	wantCode(t, err, storage.ECONFLICT)
	if !strings.Contains(err.Error(), "dernier compte administrateur") {
		t.Fatalf("message: %v", err)
	}
	wantCode(t, s.DeleteUser("cli", admin.ID, 0), storage.ECONFLICT)
	if _, err := s.UpdateUser("cli", admin.ID, 0, storage.NewUser{Email: admin.Email, Name: "Renommée", Role: storage.RoleAdmin}); err != nil {
		t.Fatalf("renaming the last admin: %v", err)
	}

	if _, err := s.UpdateUser("cli", editor.ID, 0, storage.NewUser{Email: editor.Email, Name: editor.Name, Role: storage.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser("cli", admin.ID, 0); err != nil {
		t.Fatalf("deleting an admin while another remains: %v", err)
	}
	wantCode(t, s.DeleteUser("cli", editor.ID, 0), storage.ECONFLICT)
}
