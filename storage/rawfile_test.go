package storage_test

import (
	"encoding/binary"
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

// setSchema stamps the base with an older schema version, so that the next open runs the
// migrations after it.
func setSchema(tx *bolt.Tx, version uint64) error {
	return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, version))
}
