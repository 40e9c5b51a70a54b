package storage_test

import (
	"slices"
	"testing"
	"time"

	"portevoix/storage"
)

// publish creates a communiqué signed by pôle A dated date, approves and publishes it.
func (f *fixture) publish(t *testing.T, s *storage.Store, title, date string, embargo *time.Time) *storage.Communique {
	t.Helper()
	v := MustCreate(t, s, &storage.Communique{Title: title, Date: date, Template: "mesures", EmbargoUntil: embargo, PoleIDs: []uint64{f.poleA.ID}})
	if _, err := s.ApproveCommunique("test", v.ID, f.poleA.ID); err != nil {
		t.Fatal(err)
	}
	v, err := s.PublishCommunique("test", v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func slugs(list []*storage.Communique) []string {
	var out []string
	for _, v := range list {
		out = append(out, v.Slug)
	}
	return out
}

func wantSlugs(t *testing.T, s *storage.Store, now time.Time, want ...string) {
	t.Helper()
	list, err := s.Published(now)
	if err != nil {
		t.Fatal(err)
	}
	if got := slugs(list); !slices.Equal(got, want) {
		t.Fatalf("Published(%v) = %v, want %v", now, got, want)
	}
}

func TestPublishedIndexFollowsPublications(t *testing.T) {
	f := newFixture(t)
	now := f.s.Now()
	wantSlugs(t, f.s, now) // the draft of the fixture is never listed
	f.publish(t, f.s, "Ancien", "2020-05-01", nil)
	wantSlugs(t, f.s, now, "ancien")

	// Read once above, the index must still see the next publications, ordered by date.
	embargo := now.Add(time.Hour)
	f.publish(t, f.s, "Sous embargo", "2020-05-12", &embargo)
	f.publish(t, f.s, "Récent", "2020-05-11", nil)
	wantSlugs(t, f.s, now, "recent", "ancien")
	wantSlugs(t, f.s, embargo, "sous-embargo", "recent", "ancien")
}

// demo.Load publishes through a shallow copy of the store with its own clock: the copy's
// publications must reach the original's index, which a running server reads.
func TestPublishedIndexSharedByCopies(t *testing.T) {
	f := newFixture(t)
	wantSlugs(t, f.s, f.s.Now())
	copied := *f.s
	f.publish(t, &copied, "Par la copie", "2020-05-12", nil)
	wantSlugs(t, f.s, f.s.Now(), "par-la-copie")
}

func TestPublicCommunique(t *testing.T) {
	f := newFixture(t)
	now := f.s.Now()
	embargo := now.Add(time.Hour)
	f.publish(t, f.s, "Publié", "2020-05-12", nil)
	f.publish(t, f.s, "Sous embargo", "2020-05-12", &embargo)
	if v, err := f.s.PublicCommunique("publie", now); err != nil || v.Title != "Publié" {
		t.Fatalf("published: %+v %v", v, err)
	}
	for _, slug := range []string{f.communique.Slug, "sous-embargo", "inconnu", ""} {
		if _, err := f.s.PublicCommunique(slug, now); storage.ErrorCode(err) != storage.ENOTFOUND {
			t.Errorf("%q: %v, want ENOTFOUND", slug, err)
		}
	}
	if _, err := f.s.PublicCommunique("sous-embargo", embargo); err != nil {
		t.Errorf("past its embargo: %v", err)
	}
}

func TestReleasedAt(t *testing.T) {
	published := time.Date(2020, 5, 12, 9, 0, 0, 0, time.UTC)
	before, after := published.Add(-time.Hour), published.Add(time.Hour)
	for name, tc := range map[string]struct {
		embargo *time.Time
		want    time.Time
	}{"NoEmbargo": {nil, published}, "EmbargoPassed": {&before, published}, "EmbargoLater": {&after, after}} {
		t.Run(name, func(t *testing.T) {
			v := &storage.Communique{PublishedAt: &published, EmbargoUntil: tc.embargo}
			if got := v.ReleasedAt(); !got.Equal(tc.want) {
				t.Fatalf("ReleasedAt = %v, want %v", got, tc.want)
			}
		})
	}
}
