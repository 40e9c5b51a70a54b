package storage

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The index bucket contact_bounce holds, for each contact marked bounced, when it was
// first: put keeps it in step with every write of a contact (the sender's results, an
// import, MarkBounced) and deleteIndexes removes it, so that the latest bounces are found
// without reading every contact or the whole audit log.

// Bounce is a contact whose address bounced, with when it was first marked so.
type Bounce struct {
	Contact Contact
	At      time.Time
}

// LatestBounces returns the n contacts that bounced last, latest first.
func (s *Store) LatestBounces(n int) ([]Bounce, error) {
	var out []Bounce
	err := s.db.View(func(tx *bolt.Tx) error {
		type mark struct {
			id uint64
			at time.Time
		}
		var marks []mark
		err := index(tx, "contact_bounce").ForEach(func(k, v []byte) error {
			marks = append(marks, mark{btoi(k), bounceTime(v)})
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(marks, func(a, b mark) int { return cmp.Or(b.at.Compare(a.at), cmp.Compare(b.id, a.id)) })
		for _, m := range marks[:min(max(n, 0), len(marks))] {
			b := Bounce{At: m.at}
			if err := load(tx, m.id, &b.Contact); err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// putBounce records when contact c was first marked bounced, the time of the write that
// marked it.
func putBounce(tx *bolt.Tx, c *Contact, now time.Time) error {
	ix := index(tx, "contact_bounce")
	if !c.Bounced {
		return ix.Delete(itob(c.ID))
	}
	if ix.Get(itob(c.ID)) != nil {
		return nil
	}
	return ix.Put(itob(c.ID), itob(uint64(now.UnixNano())))
}

func bounceTime(v []byte) time.Time { return time.Unix(0, int64(btoi(v))).UTC() }

// indexBounces fills contact_bounce for bases written before it. A bounce's time is that of
// its first audit entry (MarkBounced writes one), else the contact's last write: the
// sender's and the import's marks left no other trace, and a dead address is seldom
// edited afterwards.
func indexBounces(tx *bolt.Tx) error {
	audited := map[uint64]time.Time{}
	err := tx.Bucket([]byte("audit")).ForEach(func(_, data []byte) error {
		var e AuditEntry
		if err := json.Unmarshal(data, &e); err != nil {
			return err
		}
		if _, seen := audited[e.RecordID]; !seen && e.Action == "bounce" && e.Kind == "contacts" {
			audited[e.RecordID] = e.At
		}
		return nil
	})
	if err != nil {
		return err
	}
	var m matchRecord
	return index(tx, "contact_match").ForEach(func(k, data []byte) error {
		if err := m.decode(data); err != nil || !m.bounced {
			return err
		}
		c, err := m.contact(btoi(k))
		if err != nil {
			return err
		}
		at, ok := audited[c.ID]
		if !ok {
			at = c.UpdatedAt
		}
		return index(tx, "contact_bounce").Put(k, itob(uint64(at.UnixNano())))
	})
}
