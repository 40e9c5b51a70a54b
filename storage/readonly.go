package storage

import (
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// OpenReadOnly opens the base in dir for reading only, as `portevoix pdf` needs: no write
// transaction at open, so no sync to disk (a tenth of that command's time), and the file
// is left as it was. A base that opening would change (an older schema, a bucket missing,
// a logo stored before uploads were normalised) is opened as OpenExisting does instead,
// which brings it up to date. Writing through a read-only Store fails.
func OpenReadOnly(dir string, timeout time.Duration) (*Store, error) {
	if err := baseExists(dir); err != nil {
		return nil, err
	}
	path := BasePath(dir)
	if err := CheckFile(path); err != nil {
		return nil, err
	}
	s, err := openFile(path, &bolt.Options{Timeout: timeout, ReadOnly: true})
	if err != nil {
		return nil, err
	}
	current := false
	err = s.db.View(func(tx *bolt.Tx) error {
		current = upToDate(tx)
		return nil
	})
	if err != nil || !current {
		s.db.Close()
		if err != nil {
			return nil, err
		}
		return OpenExisting(dir, timeout)
	}
	return s, nil
}

// upToDate tells whether migrate would leave the base unchanged.
func upToDate(tx *bolt.Tx) bool {
	for _, name := range topBuckets {
		if tx.Bucket([]byte(name)) == nil {
			return false
		}
	}
	idx := tx.Bucket(bucketIdx)
	for _, name := range indexBuckets {
		if idx.Bucket([]byte(name)) == nil {
			return false
		}
	}
	v := tx.Bucket(bucketMeta).Get([]byte("schema"))
	return len(v) == 8 && binary.BigEndian.Uint64(v) == SchemaVersion
}
