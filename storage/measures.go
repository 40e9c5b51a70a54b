package storage

import (
	"cmp"
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// MoveMeasure moves a measure one place up (toward rank 0) or down among the measures of
// its axis, renumbering the axis 0, 1, 2… in the same transaction. Moving the first one
// up or the last one down changes nothing. Returns ENOTFOUND.
func (s *Store) MoveMeasure(actor string, id uint64, up bool) error {
	return s.moveMeasure(actor, id, func(i, _ int) int {
		if up {
			return i - 1
		}
		return i + 1
	})
}

// PlaceMeasure moves a measure to position (0 first) among the measures of its axis, the
// others keeping their order, as a drag and drop does; a position past either end means
// that end. Returns ENOTFOUND.
func (s *Store) PlaceMeasure(actor string, id uint64, position int) error {
	return s.moveMeasure(actor, id, func(_, n int) int { return min(max(position, 0), n-1) })
}

// moveMeasure moves measure id from its index i among the n measures of its axis to
// index to(i, n), nowhere when that is out of range, and renumbers the axis.
func (s *Store) moveMeasure(actor string, id uint64, to func(i, n int) int) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		m := &Measure{}
		if err := load(tx, id, m); err != nil {
			return err
		}
		axis, err := measuresOfAxis(tx, m.Axis)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(axis, func(v *Measure) bool { return v.ID == id })
		j := to(i, len(axis))
		if j < 0 || j >= len(axis) || j == i {
			return nil
		}
		moved := axis[i]
		axis = slices.Insert(slices.Delete(axis, i, i+1), j, moved)
		now := s.Now().UTC()
		for rank, v := range axis {
			if v.Rank != rank {
				v.Rank = rank
				if err := put(tx, v, now, actor); err != nil {
					return err
				}
			}
		}
		return audit(tx, now, actor, "move", m.Bucket(), id)
	})
}

// measuresOfAxis reads the measures of one axis in their order: rank, then creation.
func measuresOfAxis(tx *bolt.Tx, axis string) ([]*Measure, error) {
	var out []*Measure
	err := tx.Bucket([]byte("measures")).ForEach(func(_, data []byte) error {
		m := &Measure{}
		if err := json.Unmarshal(data, m); err != nil {
			return err
		}
		if m.Axis == axis {
			out = append(out, m)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *Measure) int { return cmp.Or(cmp.Compare(a.Rank, b.Rank), cmp.Compare(a.ID, b.ID)) })
	return out, err
}
