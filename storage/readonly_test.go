package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// closedBase creates a base in a temporary folder, lets change alter it, and closes it.
func closedBase(t *testing.T, change func(tx *bolt.Tx) error) string {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		if err := s.db.Update(change); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func baseBytes(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(BasePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOpenReadOnlyLeavesTheBaseUntouched expects the file unchanged by a read-only open,
// where OpenExisting's migration transaction rewrites a meta page, and writes refused.
func TestOpenReadOnlyLeavesTheBaseUntouched(t *testing.T) {
	dir := closedBase(t, nil)
	before := baseBytes(t, dir)
	s, err := OpenReadOnly(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(*bolt.Tx) error { return nil }); !errors.Is(err, berrors.ErrDatabaseReadOnly) {
		t.Errorf("write through a read-only store: %v", err)
	}
	s.Close()
	if !bytes.Equal(baseBytes(t, dir), before) {
		t.Error("a read-only open changed the base")
	}
	if s, err = OpenExisting(dir, time.Second); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if bytes.Equal(baseBytes(t, dir), before) {
		t.Error("OpenExisting no longer writes at open: this test proves nothing")
	}
}

// TestOpenReadOnlyMigratesAnOlderBase expects a base of an older schema brought up to
// date, as OpenExisting does, rather than read as it is.
func TestOpenReadOnlyMigratesAnOlderBase(t *testing.T) {
	dir := closedBase(t, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte("schema"), itob(SchemaVersion-1))
	})
	s, err := OpenReadOnly(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get([]byte("schema")); binary.BigEndian.Uint64(v) != SchemaVersion {
			t.Errorf("schema %d after a read-only open, want %d", binary.BigEndian.Uint64(v), SchemaVersion)
		}
		return nil
	})
}

// TestOpenReadOnlySaysInUse expects the running server's lock to be respected.
func TestOpenReadOnlySaysInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := OpenReadOnly(dir, 50*time.Millisecond); !errors.Is(err, ErrInUse) {
		t.Errorf("got %v, want ErrInUse", err)
	}
	if _, err := OpenReadOnly(t.TempDir(), time.Second); !errors.Is(err, ErrNoBase) {
		t.Errorf("empty folder: got %v, want ErrNoBase", err)
	}
}
