package storage_test

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
	"portevoix/storage/region"
)

// TestRegionsAreOneVocabulary: a list for « Provence-Alpes-Côte d'Azur » (straight
// apostrophe) missed the contacts stored with « d’Azur », and « PACA » or
// « ile-de-france » reached no list.
func TestRegionsAreOneVocabulary(t *testing.T) {
	s := MustOpen(t)
	typographic := MustCreate(t, s, &storage.Contact{Email: "laure@example.org", Regions: []string{"Provence-Alpes-Côte d’Azur"}})
	acronym := MustCreate(t, s, &storage.Contact{Email: "marc@example.org", Regions: []string{"PACA", "paca"}})
	lowercase := MustCreate(t, s, &storage.Contact{Email: "juliette@example.org", Regions: []string{"ile-de-france"}})
	if !slices.Equal(acronym.Regions, []string{region.ProvenceAlpesCoteDAzur}) || !slices.Equal(lowercase.Regions, []string{region.IleDeFrance}) {
		t.Fatalf("stored regions %q and %q, want the canonical names", acronym.Regions, lowercase.Regions)
	}
	paca := MustCreate(t, s, &storage.List{Name: "Presse Sud", Regions: []string{"Provence-Alpes-Côte d'Azur"}})
	idf := MustCreate(t, s, &storage.List{Name: "Presse IDF", Regions: []string{"IDF"}})
	wantRecipients(t, s, paca.ID, typographic.ID, acronym.ID)
	wantRecipients(t, s, idf.ID, lowercase.ID)

	page, err := s.FindContacts(storage.ContactFilter{Region: "provence alpes cote d'azur"}, storage.ListOptions{})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("filter by region: %v, %d contacts, want 2", err, len(page.Items))
	}
	pole := MustCreate(t, s, &storage.Pole{Name: "Lyonbiopôle", Regions: []string{"Rhône-Alpes", "Auvergne"}})
	if !slices.Equal(pole.Regions, []string{region.AuvergneRhoneAlpes}) {
		t.Errorf("pôle regions %q, want [%s]", pole.Regions, region.AuvergneRhoneAlpes)
	}
}

func TestUnknownRegionIsRefused(t *testing.T) {
	s := MustOpen(t)
	for name, rec := range map[string]storage.Record{
		"contact": &storage.Contact{Email: "a@example.org", Regions: []string{"Bretagne", "Bavière"}},
		"list":    &storage.List{Name: "Presse", Regions: []string{"Bavière"}},
		"pole":    &storage.Pole{Name: "Pôle", Regions: []string{"Bavière"}},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			switch v := rec.(type) {
			case *storage.Contact:
				err = storage.Create(s, "test", v)
			case *storage.List:
				err = storage.Create(s, "test", v)
			case *storage.Pole:
				err = storage.Create(s, "test", v)
			}
			wantUnknownRegion(t, err, "regions", "Bavière")
		})
	}
	_, err := s.FindContacts(storage.ContactFilter{Region: "Atlantide"}, storage.ListOptions{})
	wantUnknownRegion(t, err, "region", "Atlantide")
}

// wantUnknownRegion checks that err is EINVALID on field, naming value and every valid region.
func wantUnknownRegion(t *testing.T, err error, field, value string) {
	t.Helper()
	wantCode(t, err, storage.EINVALID)
	fields := err.(*storage.Error).Fields
	if len(fields) != 1 || fields[0].Field != field || !strings.Contains(fields[0].Message, "«\u202f"+value+"\u202f»") {
		t.Fatalf("fields %+v, want one on %s naming %q", fields, field, value)
	}
	for _, name := range region.Names() {
		if !strings.Contains(fields[0].Message, name) {
			t.Errorf("message %q does not list %q", fields[0].Message, name)
		}
	}
}

func wantRecipients(t *testing.T, s *storage.Store, listID uint64, ids ...uint64) {
	t.Helper()
	got, err := s.Recipients(listID)
	if err != nil {
		t.Fatal(err)
	}
	var gotIDs []uint64
	for _, c := range got {
		gotIDs = append(gotIDs, c.ID)
	}
	if !slices.Equal(gotIDs, ids) {
		t.Errorf("list %d: recipients %v, want %v", listID, gotIDs, ids)
	}
}

// TestSchema3CanonicalisesStoredRegions: a base written before the vocabulary is
// migrated at opening; a region outside it is kept verbatim but matches no list.
func TestSchema3CanonicalisesStoredRegions(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sud := MustCreate(t, s, &storage.Contact{Email: "sud@example.org"})
	odd := MustCreate(t, s, &storage.Contact{Email: "odd@example.org"})
	pacaList := MustCreate(t, s, &storage.List{Name: "PACA"})
	oddList := MustCreate(t, s, &storage.List{Name: "Bavière"})
	pole := MustCreate(t, s, &storage.Pole{Name: "Eurobiomed"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// What schema 2 let through: free text, in contact_match too.
	writeOldRegions(t, filepath.Join(dir, "portevoix.db"), map[string]map[uint64][]string{
		"contacts": {sud.ID: {"Provence-Alpes-Côte d'Azur", "paca", "Occitanie"}, odd.ID: {"Bavière", "ile-de-france"}},
		"lists":    {pacaList.ID: {"PACA"}, oddList.ID: {"bavière"}},
		"poles":    {pole.ID: {"Languedoc-Roussillon", "Région Sud"}},
	})
	s, err = storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	got, err := storage.Get[storage.Contact](s, sud.ID)
	if err != nil || !slices.Equal(got.Regions, []string{region.ProvenceAlpesCoteDAzur, region.Occitanie}) {
		t.Errorf("contact %d regions %q (%v)", sud.ID, got.Regions, err)
	}
	if got, _ := storage.Get[storage.Contact](s, odd.ID); !slices.Equal(got.Regions, []string{"Bavière", region.IleDeFrance}) {
		t.Errorf("contact %d regions %q, want the unknown one kept", odd.ID, got.Regions)
	}
	if got, _ := storage.Get[storage.Pole](s, pole.ID); !slices.Equal(got.Regions, []string{region.Occitanie, region.ProvenceAlpesCoteDAzur}) {
		t.Errorf("pôle regions %q", got.Regions)
	}
	// Recipients read contact_match: the migration rewrote it too.
	wantRecipients(t, s, pacaList.ID, sud.ID)
	wantRecipients(t, s, oddList.ID) // "Bavière" is no region: its list matches nobody
	// The unknown region must be corrected at the next edit.
	c, _ := storage.Get[storage.Contact](s, odd.ID)
	wantUnknownRegion(t, storage.Update(s, "test", c), "regions", "Bavière")
}

// writeOldRegions sets the regions of stored records behind the store's back, in the JSON
// and stamps the base with schema 1, whose migration rebuilds contact_match from them.
func writeOldRegions(t *testing.T, path string, regions map[string]map[uint64][]string) {
	t.Helper()
	mustUpdateFile(t, path, func(tx *bolt.Tx) error {
		for bucket, byID := range regions {
			b := tx.Bucket([]byte(bucket))
			for id, list := range byID {
				key := binary.BigEndian.AppendUint64(nil, id)
				var rec map[string]any
				if err := json.Unmarshal(b.Get(key), &rec); err != nil {
					return err
				}
				rec["regions"] = list
				data, _ := json.Marshal(rec)
				if err := b.Put(key, data); err != nil {
					return err
				}
			}
		}
		idx := tx.Bucket([]byte("idx"))
		if err := idx.DeleteBucket([]byte("contact_match")); err != nil {
			return err
		}
		return setSchema(tx, 1)
	})
}
