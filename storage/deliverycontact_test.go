package storage_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"portevoix/storage"
	"portevoix/storage/demo"
)

// TestOpenIndexesDeliveryContacts opens a base of schema 4, whose deliveries have no
// delivery_contact index, and finds a contact's deliveries through the index the migration
// builds.
func TestOpenIndexesDeliveryContacts(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(s, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	lists, _ := storage.Find[storage.List](s, storage.ListOptions{}, nil)
	c := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: []uint64{lists.Items[0].ID}, Subject: "Communiqué"})
	if _, err := s.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	recipients, _ := s.Recipients(lists.Items[0].ID)
	s.Close()

	mustUpdateFile(t, filepath.Join(dir, "portevoix.db"), func(tx *bolt.Tx) error {
		if err := tx.Bucket([]byte("idx")).DeleteBucket([]byte("delivery_contact")); err != nil {
			return err
		}
		return setSchema(tx, 4)
	})

	s = mustOpenDir(t, dir)
	got, err := s.ContactDeliveries(recipients[0].ID)
	if err != nil || len(got) != 1 || got[0].CampaignID != c.ID || got[0].ContactID != recipients[0].ID {
		t.Fatalf("the contact's one delivery after the migration: %+v %v", got, err)
	}
}
