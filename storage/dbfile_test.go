package storage_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"portevoix/storage"
)

// MustBaseFile makes a data folder holding a real base with a few records, closed.
func MustBaseFile(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		MustCreate(tb, s, &storage.Measure{Axis: "Axe", Text: "Une mesure assez longue pour remplir quelques pages de la base.", Rank: i + 1})
	}
	s.Close()
	return dir
}

func TestOpenRefusesDamagedBase(t *testing.T) {
	dir := MustBaseFile(t)
	path := storage.BasePath(dir)
	whole, _ := os.ReadFile(path)
	if len(whole) < 8*os.Getpagesize() {
		t.Fatalf("the base is too small (%d bytes) to be truncated after its meta pages", len(whole))
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Empty", nil},
		{"HeaderOnly", whole[:100]},
		{"MetaPagesOnly", whole[:2*os.Getpagesize()]},
		{"Truncated", whole[:4*os.Getpagesize()+100]},
		{"NotABase", []byte("ceci n’est pas une base de données, mais un texte assez long pour passer l’en-tête d’une page de bbolt")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, open := range []func(string, time.Duration) (*storage.Store, error){storage.Open, storage.OpenExisting} {
				s, err := open(dir, time.Second)
				if err == nil {
					s.Close()
					t.Fatal("a damaged base was opened")
				}
				if !errors.Is(err, storage.ErrDamaged) {
					t.Fatalf("error %v, want ErrDamaged", err)
				}
			}
			if info, _ := os.Stat(path); info.Size() != int64(len(tc.data)) {
				t.Fatalf("the damaged file was changed: %d bytes, was %d", info.Size(), len(tc.data))
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		os.WriteFile(path, whole, 0o600)
		if err := storage.CheckFile(path); err != nil {
			t.Fatal(err)
		}
	})
}

func TestOpenExistingRefusesMissingBase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mistyped")
	_, err := storage.OpenExisting(dir, time.Second)
	if !errors.Is(err, storage.ErrNoBase) || err.Error() != "aucune base dans "+dir {
		t.Fatalf("error %v, want ErrNoBase naming the folder", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExisting created the folder: %v", err)
	}
	existing := MustBaseFile(t)
	s, err := storage.OpenExisting(existing, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestHealthNoticesRemovedOrReplacedBase(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(dir string) error
	}{
		{"FolderRemoved", os.RemoveAll},
		{"FileRemoved", func(dir string) error { return os.Remove(storage.BasePath(dir)) }},
		{"FileReplaced", func(dir string) error {
			data, _ := os.ReadFile(storage.BasePath(dir))
			tmp := filepath.Join(dir, "copy")
			os.WriteFile(tmp, data, 0o600)
			return os.Rename(tmp, storage.BasePath(dir))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := storage.Open(dir, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Health(); err != nil {
				t.Fatalf("healthy base: %v", err)
			}
			if err := tc.damage(dir); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.Health(), storage.EUNAVAILABLE)
		})
	}
}
