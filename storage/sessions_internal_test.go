package storage

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// TestOpenAddsTheSessionsBucket opens a base made before sessions existed.
func TestOpenAddsTheSessionsBucket(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s.PasswordCost = bcrypt.MinCost
	u, err := s.CreateUser("test", NewUser{Email: "claire@example.org", Name: "Claire", Role: RoleEditor, Password: "0123456789ab"})
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
	// An existing account, so that CreateSession reaches the bucket (it checks the account
	// first), and reads its session back from it.
	secret, _, err := s.CreateSession(u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := s.SessionUser(secret); err != nil || got.ID != u.ID {
		t.Fatalf("the session in the bucket made again: %+v %v", got, err)
	}
}
