package storage_test

import (
	"cmp"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// referencePressOfficers finds the pôles' press officers the way the store did before
// reading contact_match: from every contact's JSON.
func referencePressOfficers(tb testing.TB, s *storage.Store) []storage.PolePressOfficers {
	tb.Helper()
	all, err := s.AllContacts()
	if err != nil {
		tb.Fatal(err)
	}
	byPole := map[uint64][]storage.Contact{}
	for _, c := range all {
		if c.Kind == storage.KindPressOfficer && c.PoleID != 0 {
			byPole[c.PoleID] = append(byPole[c.PoleID], c)
		}
	}
	var out []storage.PolePressOfficers
	for id, officers := range byPole {
		p, err := storage.Get[storage.Pole](s, id)
		if storage.ErrorCode(err) == storage.ENOTFOUND {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		slices.SortFunc(officers, func(a, b storage.Contact) int {
			return cmp.Or(strings.Compare(strings.ToLower(a.LastName), strings.ToLower(b.LastName)),
				strings.Compare(strings.ToLower(a.FirstName), strings.ToLower(b.FirstName)), cmp.Compare(a.ID, b.ID))
		})
		out = append(out, storage.PolePressOfficers{Pole: *p, Officers: officers})
	}
	slices.SortFunc(out, func(a, b storage.PolePressOfficers) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Pole.Name), strings.ToLower(b.Pole.Name)), cmp.Compare(a.Pole.ID, b.Pole.ID))
	})
	return out
}

// mustPressOfficers creates three pôles and press officers among n journalists: per pôle,
// officers named alike (the sort's ties), one opted out and one from an agency; and an
// officer attached to no pôle, an agency attached to one.
func mustPressOfficers(tb testing.TB, s *storage.Store, n int) []*storage.Pole {
	tb.Helper()
	mustContacts(tb, s, n)
	var poles []*storage.Pole
	for i, name := range []string{"Eurobiomed", "atlanpole Biotherapies", "Lyonbiopôle"} {
		pole := MustCreate(tb, s, &storage.Pole{Name: name, Regions: benchRegions[i : i+1]})
		poles = append(poles, pole)
		for j, last := range []string{"Martin", "martin", "Durand"} {
			MustCreate(tb, s, &storage.Contact{FirstName: "Claire", LastName: last, Email: fmt.Sprintf("presse.%d.%d@example.org", i, j),
				Phone: "04 91 00 00 0" + fmt.Sprint(j), Organization: []string{"", name, "Agence Mots"}[j], Kind: storage.KindPressOfficer,
				Regions: benchRegions[i : i+1], PoleID: pole.ID, Source: "site du pôle", OptedOut: j == 2})
		}
	}
	MustCreate(tb, s, &storage.Contact{LastName: "Sans pôle", Email: "sans.pole@example.org", Kind: storage.KindPressOfficer})
	MustCreate(tb, s, &storage.Contact{LastName: "Agence", Email: "agence@example.org", Kind: storage.KindAgency, PoleID: poles[0].ID})
	return poles
}

// TestPressOfficersMatchTheJSON: the press officers found from contact_match are exactly
// those decoding every contact's JSON gives, field for field, after edits, deletions and
// changes of kind, and after a base written without contact_match is upgraded.
func TestPressOfficersMatchTheJSON(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second) // checked once reopened below
	if err != nil {
		t.Fatal(err)
	}
	poles := mustPressOfficers(t, s, 500)
	check := func(when string, wantPoles int) {
		t.Helper()
		got, err := s.PressOfficers()
		if err != nil {
			t.Fatal(err)
		}
		if want := referencePressOfficers(t, s); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: press officers differ from those decoded from JSON\n got %+v\nwant %+v", when, got, want)
		}
		if len(got) != wantPoles {
			t.Errorf("%s: %d pôles, want %d", when, len(got), wantPoles)
		}
	}
	check("fresh base", 3)

	promoted, err := storage.Get[storage.Contact](s, 42) // a journalist becomes a pôle's officer
	if err != nil {
		t.Fatal(err)
	}
	promoted.Kind, promoted.PoleID, promoted.Phone = storage.KindPressOfficer, poles[1].ID, "+33 6 00 00 00 42"
	if err := storage.Update(s, "test", promoted); err != nil {
		t.Fatal(err)
	}
	demoted, err := s.ContactByEmail("presse.0.0@example.org") // an officer goes back to journalism
	if err != nil {
		t.Fatal(err)
	}
	demoted.Kind = storage.KindJournalist
	if err := storage.Update(s, "test", demoted); err != nil {
		t.Fatal(err)
	}
	moved, err := s.ContactByEmail("presse.2.1@example.org") // an officer changes pôle and name
	if err != nil {
		t.Fatal(err)
	}
	moved.PoleID, moved.LastName = poles[0].ID, "Abadie"
	if err := storage.Update(s, "test", moved); err != nil {
		t.Fatal(err)
	}
	check("after edits and changes of kind", 3)

	for _, email := range []string{"presse.2.0@example.org", "presse.2.2@example.org"} {
		c, err := s.ContactByEmail(email)
		if err != nil {
			t.Fatal(err)
		}
		if err := storage.Delete[storage.Contact](s, "test", c.ID); err != nil {
			t.Fatal(err)
		}
	}
	check("after the last officer of a pôle left", 2)
	if err := storage.Delete[storage.Pole](s, "test", poles[1].ID); err != nil {
		t.Fatal(err)
	}
	check("after a pôle was deleted", 1)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	downgrade(t, filepath.Join(dir, "portevoix.db"))
	s = mustOpenDir(t, dir)
	check("after the upgrade from schema 1", 1)
}

// TestPressOfficersSkipTheJournalists: the public page reads no journalist's JSON, so that
// an anonymous visit costs the press officers, not the whole base. A journalist's JSON
// spoilt behind the store's back shows it.
func TestPressOfficersSkipTheJournalists(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mustPressOfficers(t, s, 10)
	want, err := s.PressOfficers()
	if err != nil || len(want) != 3 {
		t.Fatalf("%d pôles, %v", len(want), err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	mustUpdateFile(t, filepath.Join(dir, "portevoix.db"), func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("contacts")).Put([]byte{0, 0, 0, 0, 0, 0, 0, 5}, []byte("{not json"))
	})
	s = mustOpenDir(t, dir)
	got, err := s.PressOfficers()
	if err != nil {
		t.Fatalf("a journalist's record was decoded: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("press officers changed:\n got %+v\nwant %+v", got, want)
	}
}

// BenchmarkPressOfficers200k is what GET /presse/contacts asks the store for, over
// 200,000 journalists and a few pôles' press officers.
func BenchmarkPressOfficers200k(b *testing.B) {
	s := MustOpen(b)
	mustPressOfficers(b, s, 200_000)
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.PressOfficers()
		if err != nil || len(got) != 3 {
			b.Fatalf("%d pôles, %v", len(got), err)
		}
	}
}
