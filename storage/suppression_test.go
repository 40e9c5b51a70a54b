package storage_test

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// optedOut reads a contact back and reports its opt-out and whether its address is suppressed.
func optedOut(t *testing.T, s *storage.Store, id uint64) (bool, bool) {
	t.Helper()
	c, err := storage.Get[storage.Contact](s, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.OptedOut != (c.OptedOutAt != nil) {
		t.Fatalf("opted_out %v but opted_out_at %v", c.OptedOut, c.OptedOutAt)
	}
	return c.OptedOut, s.Suppressed(c.Email)
}

func TestEveryOptOutEntersTheSuppressionSet(t *testing.T) {
	t.Run("Create", func(t *testing.T) {
		s := MustOpen(t)
		c := MustCreate(t, s, &storage.Contact{Email: "cree@example.org", OptedOut: true})
		if opted, suppressed := optedOut(t, s, c.ID); !opted || !suppressed {
			t.Fatalf("created opted out: opted out %v, suppressed %v", opted, suppressed)
		}
	})
	t.Run("Update", func(t *testing.T) {
		s := MustOpen(t)
		c := MustCreate(t, s, &storage.Contact{Email: "admin@example.org"})
		c.OptedOut = true
		if err := storage.Update(s, "admin", c); err != nil {
			t.Fatal(err)
		}
		if opted, suppressed := optedOut(t, s, c.ID); !opted || !suppressed {
			t.Fatalf("opted out by an edit: opted out %v, suppressed %v", opted, suppressed)
		}
	})
}

func TestNoEditClearsAnOptOut(t *testing.T) {
	s := MustOpen(t)
	c := MustCreate(t, s, &storage.Contact{Email: "parti@example.org", Regions: []string{"Occitanie"}})
	if err := s.OptOut(c.ID, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	anyTime := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, at := range []*time.Time{nil, &anyTime} {
		edit := &storage.Contact{Email: "parti@example.org", FirstName: "Re", OptedOut: false, OptedOutAt: at}
		storage.SetID(edit, c.ID)
		err := storage.Update(s, "test", edit)
		wantCode(t, err, storage.ECONFLICT)
		if opted, suppressed := optedOut(t, s, c.ID); !opted || !suppressed {
			t.Fatalf("after a refused edit: opted out %v, suppressed %v", opted, suppressed)
		}
	}
}

func TestRecreatedAddressStaysUnsubscribed(t *testing.T) {
	s := MustOpen(t)
	s.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	c := MustCreate(t, s, &storage.Contact{Email: "parti@example.org", Regions: []string{"Occitanie"}})
	if err := s.OptOut(c.ID, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	if err := storage.Delete[storage.Contact](s, "test", c.ID); err != nil {
		t.Fatal(err)
	}
	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	back := MustCreate(t, s, &storage.Contact{Email: "Parti@example.org", Regions: []string{"Occitanie"}, OptedOut: false, OptedOutAt: &later})
	got, err := storage.Get[storage.Contact](s, back.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.OptedOut || got.OptedOutAt == nil || !got.OptedOutAt.Equal(s.Now()) {
		t.Fatalf("re-created contact: opted out %v at %v, want true at the first opt-out %v", got.OptedOut, got.OptedOutAt, s.Now())
	}
	list := MustCreate(t, s, &storage.List{Name: "Occitanie", Regions: []string{"Occitanie"}, MemberIDs: []uint64{back.ID}})
	if r, err := s.Recipients(list.ID); err != nil || len(r) != 0 {
		t.Fatalf("recipients = %v, %v; want none", r, err)
	}
	all, err := s.AllContacts()
	if err != nil || len(all) != 1 || !all[0].OptedOut {
		t.Fatalf("the export must say unsubscribed: %+v, %v", all, err)
	}
}

// TestOpenReconcilesSuppression writes, as older versions could, an opted-out contact whose
// address is missing from the set and a contact not opted out whose address is in it.
func TestOpenReconcilesSuppression(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	a := MustCreate(t, s, &storage.Contact{Email: "a@example.org"})
	b := MustCreate(t, s, &storage.Contact{Email: "b@example.org"})
	s.Close()

	at := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	mustUpdateFile(t, filepath.Join(dir, "portevoix.db"), func(tx *bolt.Tx) error {
		contacts := tx.Bucket([]byte("contacts"))
		key := binary.BigEndian.AppendUint64(nil, a.ID)
		a.OptedOut, a.OptedOutAt = true, &at
		data, _ := json.Marshal(a)
		if err := contacts.Put(key, data); err != nil {
			return err
		}
		text, _ := at.MarshalText()
		if err := tx.Bucket([]byte("idx")).Bucket([]byte("suppression")).Put([]byte("b@example.org"), text); err != nil {
			return err
		}
		return setSchema(tx, 2)
	})

	s, err = storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, id := range []uint64{a.ID, b.ID} {
		if opted, suppressed := optedOut(t, s, id); !opted || !suppressed {
			t.Errorf("contact %d after the migration: opted out %v, suppressed %v", id, opted, suppressed)
		}
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
