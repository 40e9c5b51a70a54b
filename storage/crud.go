package storage

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Record is what the generic create/read/update/delete functions store.
type Record interface {
	meta() *Meta
	// Kind is the record's bucket name, also used in audit entries ("poles", "quotes"…).
	Bucket() string
	// Validate normalises the record (trims, defaults) and returns an EINVALID *Error
	// listing every wrong field.
	Validate() error
}

// RecordPtr constrains a type parameter to a pointer to a record struct.
type RecordPtr[T any] interface {
	*T
	Record
}

// Optional hooks a record type implements when it has references or indexes.
type (
	// refChecker verifies that referenced records exist (EINVALID naming the field).
	refChecker interface{ checkRefs(tx *bolt.Tx) error }
	// indexer keeps index buckets in step; old is nil on create.
	indexer interface {
		putIndexes(tx *bolt.Tx, old Record) error
		deleteIndexes(tx *bolt.Tx) error
	}
	// reviser keeps a copy of each saved version, once put has stamped it with its writer.
	reviser interface{ putRevision(tx *bolt.Tx) error }
	// deleteGuard refuses a delete while other records still need this one (ECONFLICT).
	deleteGuard interface{ checkDelete(tx *bolt.Tx) error }
	// keeper copies server-managed fields from the stored version on update.
	keeper interface{ keep(old Record) }
	// createChecker refuses values only the server may set at creation (EINVALID).
	createChecker interface{ checkCreate() error }
	// creationRecorder notes who created the record, and when, in its own fields.
	creationRecorder interface {
		recordCreation(actor string, at time.Time)
	}
)

// Create validates v, gives it an id and version 1, and stores it. Returns EINVALID or ECONFLICT.
func Create[T any, P RecordPtr[T]](s *Store, actor string, v P) error {
	if err := v.Validate(); err != nil {
		return err
	}
	if cc, ok := any(v).(createChecker); ok {
		if err := cc.checkCreate(); err != nil {
			return err
		}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(v.Bucket()))
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		now := s.Now().UTC()
		m := v.meta()
		m.ID, m.CreatedAt, m.Version = id, now, 0
		if r, ok := any(v).(creationRecorder); ok {
			r.recordCreation(actor, now)
		}
		if err := save(tx, v, nil, now, actor); err != nil {
			return err
		}
		return audit(tx, now, actor, "create", v.Bucket(), id)
	})
}

// Get returns the record with that id, or ENOTFOUND.
func Get[T any, P RecordPtr[T]](s *Store, id uint64) (P, error) {
	var v P = new(T)
	err := s.db.View(func(tx *bolt.Tx) error { return load(tx, id, v) })
	return v, err
}

// Update replaces the stored record v.ID with v, keeping server-managed fields, whatever
// its version. Returns EINVALID, ENOTFOUND or ECONFLICT.
func Update[T any, P RecordPtr[T]](s *Store, actor string, v P) error {
	return UpdateIf(s, actor, v, 0)
}

// UpdateIf is Update for a write that expects the stored record at version ifVersion
// (any version when 0). Returns EINVALID, ENOTFOUND, ECONFLICT or EPRECONDITION.
func UpdateIf[T any, P RecordPtr[T]](s *Store, actor string, v P, ifVersion uint64) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		var old P = new(T)
		if err := loadIf(tx, v.meta().ID, ifVersion, old); err != nil {
			return err
		}
		return replace(s, tx, actor, v, old)
	})
}

// Patch applies change to the stored record id and writes it back, all in one transaction,
// so that concurrent patches of different fields all land. change runs on a copy of the
// stored record (decoding a request body over it, say); ifVersion is as for UpdateIf.
// Returns the record as written, or change's error, EINVALID, ENOTFOUND, ECONFLICT or
// EPRECONDITION.
func Patch[T any, P RecordPtr[T]](s *Store, actor string, id, ifVersion uint64, change func(P) error) (P, error) {
	var v P = new(T)
	err := s.db.Update(func(tx *bolt.Tx) error {
		var old P = new(T)
		if err := loadIf(tx, id, ifVersion, old); err != nil {
			return err
		}
		if err := load(tx, id, v); err != nil {
			return err
		}
		if err := change(v); err != nil {
			return err
		}
		if err := v.Validate(); err != nil {
			return err
		}
		return replace(s, tx, actor, v, old)
	})
	return v, err
}

// replace writes v over the stored old: identity, creation and version come from old,
// whatever v says, and so do the fields a keeper keeps.
func replace(s *Store, tx *bolt.Tx, actor string, v, old Record) error {
	if k, ok := v.(keeper); ok {
		k.keep(old)
	}
	m, o := v.meta(), old.meta()
	m.ID, m.CreatedAt, m.Version = o.ID, o.CreatedAt, o.Version
	now := s.Now().UTC()
	if err := save(tx, v, old, now, actor); err != nil {
		return err
	}
	return audit(tx, now, actor, "update", v.Bucket(), m.ID)
}

// Delete removes the record with that id, whatever its version. Returns ENOTFOUND or ECONFLICT.
func Delete[T any, P RecordPtr[T]](s *Store, actor string, id uint64) error {
	return DeleteIf[T, P](s, actor, id, 0)
}

// DeleteIf is Delete for a request that expects the record at version ifVersion (any
// version when 0). Returns ENOTFOUND, ECONFLICT or EPRECONDITION.
func DeleteIf[T any, P RecordPtr[T]](s *Store, actor string, id, ifVersion uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		var v P = new(T)
		if err := loadIf(tx, id, ifVersion, v); err != nil {
			return err
		}
		if g, ok := any(v).(deleteGuard); ok {
			if err := g.checkDelete(tx); err != nil {
				return err
			}
		}
		if ix, ok := any(v).(indexer); ok {
			if err := ix.deleteIndexes(tx); err != nil {
				return err
			}
		}
		if err := tx.Bucket([]byte(v.Bucket())).Delete(itob(id)); err != nil {
			return err
		}
		return audit(tx, s.Now().UTC(), actor, "delete", v.Bucket(), id)
	})
}

// Page is one page of a listing. Next is the cursor of the following page, empty on the last.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next"`
}

// ListOptions pages through a bucket in id order.
type ListOptions struct {
	Limit  int    // 1..1000, default 50
	Cursor string // from a previous Page.Next
}

// Normalized returns the options with the default and maximum limit applied, or EINVALID
// for a cursor that is not one of ours.
func (o ListOptions) Normalized() (ListOptions, uint64, error) {
	if o.Limit <= 0 {
		o.Limit = 50
	}
	if o.Limit > 1000 {
		o.Limit = 1000
	}
	var from uint64
	if o.Cursor != "" {
		n, err := strconv.ParseUint(o.Cursor, 10, 64)
		if err != nil {
			var p Problems
			p.Add("cursor", "curseur de pagination invalide")
			return o, 0, p.Err()
		}
		from = n
	}
	return o, from, nil
}

// Find returns the records for which keep returns true (all when keep is nil), in id order.
func Find[T any, P RecordPtr[T]](s *Store, opts ListOptions, keep func(P) bool) (Page[T], error) {
	opts, from, err := opts.Normalized()
	if err != nil {
		return Page[T]{}, err
	}
	page := Page[T]{Items: []T{}}
	var kind P = new(T)
	err = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket([]byte(kind.Bucket())).Cursor()
		for k, data := c.Seek(itob(from)); k != nil; k, data = c.Next() {
			var v P = new(T)
			if err := decodeRecord(data, v); err != nil {
				return fmt.Errorf("decode %s %d: %w", kind.Bucket(), btoi(k), err)
			}
			if keep != nil && !keep(v) {
				continue
			}
			if len(page.Items) == opts.Limit {
				page.Next = strconv.FormatUint(btoi(k), 10)
				return nil
			}
			page.Items = append(page.Items, *v)
		}
		return nil
	})
	return page, err
}

// load reads the record id of v's kind into v, or returns ENOTFOUND.
func load(tx *bolt.Tx, id uint64, v Record) error {
	data := tx.Bucket([]byte(v.Bucket())).Get(itob(id))
	if data == nil {
		return notFound(v.Bucket(), id)
	}
	return decodeRecord(data, v)
}

// loadIf is load for a write that expects version want of the record (any when 0).
func loadIf(tx *bolt.Tx, id, want uint64, v Record) error {
	if err := load(tx, id, v); err != nil {
		return err
	}
	return checkVersion(v.meta(), v.Bucket(), want)
}

func decodeRecord(data []byte, v Record) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	v.meta().settle()
	return nil
}

// exists reports whether bucket kind holds id.
func exists(tx *bolt.Tx, kind string, id uint64) bool {
	return tx.Bucket([]byte(kind)).Get(itob(id)) != nil
}

// save checks references, updates indexes and writes v as put does.
func save(tx *bolt.Tx, v Record, old Record, now time.Time, actor string) error {
	if rc, ok := v.(refChecker); ok {
		if err := rc.checkRefs(tx); err != nil {
			return err
		}
	}
	if ix, ok := v.(indexer); ok {
		if err := ix.putIndexes(tx, old); err != nil {
			return err
		}
	}
	if err := put(tx, v, now, actor); err != nil {
		return err
	}
	if r, ok := v.(reviser); ok {
		return r.putRevision(tx)
	}
	return nil
}

// put stamps v as written by actor at now, one version up, and stores it. Every write of
// a record goes through here, so that its ETag changes with every change.
func put(tx *bolt.Tx, v Record, now time.Time, actor string) error {
	v.meta().stamp(now, actor)
	data, err := marshal(v)
	if err != nil {
		return err
	}
	if err := tx.Bucket([]byte(v.Bucket())).Put(itob(v.meta().ID), data); err != nil {
		return err
	}
	if c, ok := v.(*Contact); ok {
		// here, so that no write of a contact can leave its copies stale
		if err := putMatch(tx, c); err != nil {
			return err
		}
		return putBounce(tx, c, now)
	}
	return nil
}

func notFound(kind string, id uint64) error {
	return Errorf(ENOTFOUND, "Introuvable\u00a0: %s n°\u00a0%d.", kindNames[kind].name, id)
}

// missingRef records in p that field refers to a record that does not exist.
func missingRef(tx *bolt.Tx, p *Problems, field, kind string, id uint64) {
	if id != 0 && !exists(tx, kind, id) {
		n := kindNames[kind]
		p.Add(field, fmt.Sprintf("%s n°\u00a0%d introuvable (%s\u202f?)", n.name, id, n.agree("supprimé", "supprimée")))
	}
}

// SetID sets the id of a record decoded from a request, before Update.
func SetID(r Record, id uint64) { r.meta().ID = id }
