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
// them on every request. A published communiqué can be neither edited nor deleted, so a
// publication is the only write that changes the index: it bumps gen once committed, and
// the next read rebuilds the list with one scan. Kept in memory rather than in a bucket, it
// needs no schema migration and no second copy on disk to keep in step; the embargo is a
// time filter applied at each read.
type publishedIndex struct {
	gen atomic.Uint64 // publications committed so far

	mu     sync.Mutex
	ready  bool
	built  uint64        // the gen list reflects
	list   []*Communique // newest first, see newestFirst
	bySlug map[string]*Communique
}

// Published lists the communiqués the public may read at now: published and past their
// embargo, the most recently dated first and, among those of one day, the most recently
// released. The communiqués are shared with other callers: read them, never change them.
func (s *Store) Published(now time.Time) ([]*Communique, error) {
	list, _, err := s.publishedIndex()
	if err != nil {
		return nil, err
	}
	out := make([]*Communique, 0, len(list))
	for _, v := range list {
		if v.IsPublic(now) {
			out = append(out, v)
		}
	}
	return out, nil
}

// PublicCommunique returns the communiqué at slug if the public may read it at now (shared,
// read-only); ENOTFOUND whether it is missing, a draft or under embargo, so that none can be
// told from another.
func (s *Store) PublicCommunique(slug string, now time.Time) (*Communique, error) {
	_, bySlug, err := s.publishedIndex()
	if err != nil {
		return nil, err
	}
	if v := bySlug[slug]; v != nil && v.IsPublic(now) {
		return v, nil
	}
	return nil, Errorf(ENOTFOUND, "Aucun communiqué publié à cette adresse.")
}

// publishedIndex returns the index, rebuilt first if a publication committed since.
func (s *Store) publishedIndex() ([]*Communique, map[string]*Communique, error) {
	ix := s.published
	ix.mu.Lock()
	defer ix.mu.Unlock()
	// Read gen before the scan: a publication committing meanwhile leaves the index marked
	// stale, never a stale list marked fresh.
	gen := ix.gen.Load()
	if ix.ready && ix.built == gen {
		return ix.list, ix.bySlug, nil
	}
	list, err := s.scanPublished()
	if err != nil {
		return nil, nil, err
	}
	ix.list, ix.bySlug, ix.built, ix.ready = list, make(map[string]*Communique, len(list)), gen, true
	for _, v := range list {
		ix.bySlug[v.Slug] = v
	}
	return ix.list, ix.bySlug, nil
}

// scanPublished reads every published communiqué, embargoed or not, newest first.
func (s *Store) scanPublished() ([]*Communique, error) {
	var list []*Communique
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("communiques")).ForEach(func(_, data []byte) error {
			v := &Communique{}
			if err := json.Unmarshal(data, v); err != nil {
				return err
			}
			if v.Status == CommuniquePublished {
				list = append(list, v)
			}
			return nil
		})
	})
	slices.SortFunc(list, newestFirst)
	return list, err
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
