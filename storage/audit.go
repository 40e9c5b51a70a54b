package storage

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// audit appends an entry to the audit log inside the caller's transaction, so a write and
// its trace land together or not at all.
func audit(tx *bolt.Tx, at time.Time, actor, action, kind string, id uint64) error {
	return auditDetail(tx, at, actor, action, kind, id, "")
}

func auditDetail(tx *bolt.Tx, at time.Time, actor, action, kind string, id uint64, detail string) error {
	b := tx.Bucket([]byte("audit"))
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	data, err := json.Marshal(AuditEntry{ID: seq, At: at, Actor: actor, Action: action, Kind: kind, RecordID: id, Detail: detail})
	if err != nil {
		return err
	}
	return b.Put(itob(seq), data)
}

// AuditLog returns audit entries, newest first, for admins.
func (s *Store) AuditLog(opts ListOptions) (Page[AuditEntry], error) {
	opts, from, err := opts.Normalized()
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	page := Page[AuditEntry]{Items: []AuditEntry{}}
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte("audit")).Cursor()
		k, data := c.Last()
		if from != 0 {
			k, data = c.Seek(itob(from))
			if k == nil || btoi(k) != from {
				k, data = c.Prev()
			}
		}
		for ; k != nil; k, data = c.Prev() {
			if len(page.Items) == opts.Limit {
				page.Next = itoa(btoi(k))
				return nil
			}
			var e AuditEntry
			if err := json.Unmarshal(data, &e); err != nil {
				return err
			}
			page.Items = append(page.Items, e)
		}
		return nil
	})
	return page, err
}
