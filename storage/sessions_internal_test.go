package storage

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestOpenAddsTheSessionsBucket opens a base made before sessions existed.
func TestOpenAddsTheSessionsBucket(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("sessions")) }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(dir, time.Second); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, err := s.CreateSession(1, ""); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("the bucket is back and the user is checked: %v", err)
	}
}
