package storage

import (
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestContactsByIDWithoutMatchRecord reads a contact from its JSON when its contact_match
// copy is missing or unreadable.
func TestContactsByIDWithoutMatchRecord(t *testing.T) {
	s, err := Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []uint64
	for _, email := range []string{"a@example.org", "b@example.org"} {
		c := &Contact{FirstName: "Élodie", LastName: "Lefèvre", Email: email, Kind: KindJournalist, Source: "salon 2025"}
		if err := Create(s, "test", c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := index(tx, "contact_match").Delete(itob(ids[0])); err != nil {
			return err
		}
		return index(tx, "contact_match").Put(itob(ids[1]), []byte{0, 200})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ContactsByID(ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		want, err := Get[Contact](s, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[id], *want) {
			t.Errorf("contact %d: %+v, want %+v", id, got[id], *want)
		}
	}
}
