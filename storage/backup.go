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
	return s.BackupSized(w, func(int64) {})
}

// BackupSized is Backup for a stream that announces its length first, so that the reader
// can tell a cut copy from a whole one: announce gets the snapshot's size before any byte
// is written.
func (s *Store) BackupSized(w io.Writer, announce func(size int64)) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		announce(tx.Size())
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("sauvegarde interrompue : %w", err)
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
