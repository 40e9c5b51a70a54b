package storage_test

import (
	"testing"

	bolt "go.etcd.io/bbolt"
)

// mustUpdateFile changes the file of a closed base behind the store's back, as an older
// version of Porte-Voix left it.
func mustUpdateFile(tb testing.TB, path string, update func(*bolt.Tx) error) {
	tb.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		tb.Fatal(err)
	}
	err = db.Update(update)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		tb.Fatal(err)
	}
}
