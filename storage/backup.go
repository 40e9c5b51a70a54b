package storage

import (
	"crypto/rand"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w while others keep working
// (a read transaction sees one snapshot). It returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// Secret returns the installation's HMAC secret (unsubscribe links, Message-IDs), made at
// first use and kept in the base so links stay valid across restarts.
func (s *Store) Secret() ([]byte, error) {
	var secret []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeta)
		if v := b.Get([]byte("secret")); v != nil {
			secret = append([]byte(nil), v...)
			return nil
		}
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
		return b.Put([]byte("secret"), secret)
	})
	return secret, err
}

// Check verifies the database's internal consistency (used by tests and after a backup).
func (s *Store) Check() error {
	return s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
}
