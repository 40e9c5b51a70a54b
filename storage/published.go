package storage

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// publishedIndex holds the published communiqués in memory, for the newsroom, which reads
// them on every request, and the withdrawn ones that had been public, which the newsroom
// answers as gone. A published communiqué can be neither edited nor deleted, so a
// publication and a withdrawal are the only writes that change the index: each bumps gen
// once committed, and the next read rebuilds the lists with one scan. Kept in memory
// rather than in a bucket, it needs no schema migration and no second copy on disk to keep
// in step; the embargo is a time filter applied at each read.
type publishedIndex struct {
	gen atomic.Uint64 // publications and withdrawals committed so far

	mu    sync.Mutex
	ready bool
	built uint64 // the gen the lists reflect
	lists publicLists
}

// Published lists the communiqués the public may read at now: published and past their
// embargo, the most recently dated first and, among those of one day, the most recently
// released. The communiqués are shared with other callers: read them, never change them.
func (s *Store) Published(now time.Time) ([]*Communique, error) {
	ix, err := s.publishedIndex()
	if err != nil {
		return nil, err
	}
	out := make([]*Communique, 0, len(ix.list))
	for _, v := range ix.list {
		if v.IsPublic(now) {
			out = append(out, v)
		}
	}
	return out, nil
}

// PublicCommunique returns the communiqué at slug if the public may read it at now (shared,
// read-only); ENOTFOUND whether it is missing, a draft or under embargo, so that none can be
// told from another; EGONE when it was public and has been withdrawn.
func (s *Store) PublicCommunique(slug string, now time.Time) (*Communique, error) {
	ix, err := s.publishedIndex()
	if err != nil {
		return nil, err
	}
	if v := ix.bySlug[slug]; v != nil && v.IsPublic(now) {
		return v, nil
	}
	if ix.gone[slug] != nil {
		return nil, Errorf(EGONE, "Ce communiqué a été retiré par ses auteurs. Il ne figure plus dans la salle de presse.")
	}
	return nil, Errorf(ENOTFOUND, "Aucun communiqué publié à cette adresse.")
}

// Withdrawn lists the communiqués withdrawn after the public could read them, the latest
// withdrawal first (shared, read-only): the newsroom's lists changed when they left, and
// the feed tells its readers to drop them.
func (s *Store) Withdrawn() ([]*Communique, error) {
	ix, err := s.publishedIndex()
	if err != nil {
		return nil, err
	}
	return ix.withdrawn, nil
}

// publicLists is what one scan of the communiqués gives the index.
type publicLists struct {
	list      []*Communique // published, newest first, see newestFirst
	bySlug    map[string]*Communique
	withdrawn []*Communique          // withdrawn after being public, latest withdrawal first
	gone      map[string]*Communique // the same, by slug
}

// publishedIndex returns the index's lists, rebuilt first if a publication or a withdrawal
// committed since.
func (s *Store) publishedIndex() (publicLists, error) {
	ix := s.published
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Read gen before the scan: a publication committing meanwhile leaves the index marked
	// stale, never a stale list marked fresh.
	gen := ix.gen.Load()
	if !ix.ready || ix.built != gen {
		l, err := s.scanPublished()
		if err != nil {
			return publicLists{}, err
		}
		ix.lists, ix.built, ix.ready = l, gen, true
	}
	return ix.lists, nil
}

// scanPublished reads every published communiqué, embargoed or not, newest first, and the
// withdrawn ones that had been public.
func (s *Store) scanPublished() (publicLists, error) {
	l := publicLists{bySlug: map[string]*Communique{}, gone: map[string]*Communique{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("communiques")).ForEach(func(_, data []byte) error {
			v := &Communique{}
			if err := json.Unmarshal(data, v); err != nil {
				return err
			}
			switch {
			case v.Status == CommuniquePublished:
				l.list = append(l.list, v)
				l.bySlug[v.Slug] = v
			case v.wasPublic():
				l.withdrawn = append(l.withdrawn, v)
				l.gone[v.Slug] = v
			}
			return nil
		})
	})
	slices.SortFunc(l.list, newestFirst)
	slices.SortFunc(l.withdrawn, func(a, b *Communique) int {
		return cmp.Or(b.WithdrawnAt.Compare(*a.WithdrawnAt), cmp.Compare(b.ID, a.ID))
	})
	return l, err
}

// newestFirst orders communiqués by date, then by release time, then by id, newest first.
func newestFirst(a, b *Communique) int {
	return cmp.Or(strings.Compare(b.Date, a.Date), b.ReleasedAt().Compare(a.ReleasedAt()), cmp.Compare(b.ID, a.ID))
}

// ReleasedAt is when a communiqué became or becomes public: its publication, or its
// embargo's end when that is later.
func (v *Communique) ReleasedAt() time.Time {
	t := v.UpdatedAt
	if v.PublishedAt != nil {
		t = *v.PublishedAt
	}
	if v.EmbargoUntil != nil && v.EmbargoUntil.After(t) {
		t = *v.EmbargoUntil
	}
	return t.UTC()
}

// IsPublic reports whether the public may read the communiqué at now: published, and past
// its embargo.
func (v *Communique) IsPublic(now time.Time) bool {
	return v.Status == CommuniquePublished && (v.EmbargoUntil == nil || !now.Before(*v.EmbargoUntil))
}
