// Package storage keeps Porte-Voix's records in one bbolt file.
//
// Bucket tree (keys are 8-byte big-endian ids from each bucket's sequence, values JSON):
//
//	meta           "schema" → version, "secret" → HMAC secret for unsubscribe links
//	poles          id → Pole
//	logos          pole id → logo bytes (type kept on the Pole)
//	people         id → Person
//	quotes         id → Quote
//	measures       id → Measure
//	boilerplates   id → Boilerplate
//	contacts       id → Contact
//	lists          id → List
//	communiques    id → Communique
//	revisions      communiqué id + revision number → Communique snapshot
//	published      communiqué id → Bundle frozen at publication
//	campaign_bundles campaign id → Bundle frozen at its start (unpublished communiqués only)
//	campaigns      id → Campaign
//	campaign_counts campaign id → deliveries per status (kept in step, for live progress)
//	deliveries     id → Delivery
//	users          id → stored user (with password hash)
//	tokens         id → stored token (with hash)
//	sessions       sha256(cookie secret) → Session of the staff pages (sessions.go)
//	audit          id → AuditEntry
//	idx            index buckets, one per look-up:
//	  contact_email   normalised email → contact id
//	  suppression     normalised email → opt-out time (kept forever)
//	  user_email      normalised email → user id
//	  token_hash      sha256(token) → token id
//	  quote_person    person id + quote id → nothing
//	  person_pole     pole id + person id → nothing
//	  slug            communiqué slug → communiqué id
//	  delivery_campaign campaign id + delivery id → nothing
//	  delivery_contact  contact id + delivery id → nothing
//	  delivery_queue    campaign id + due time + delivery id → nothing (pending deliveries only)
//	  contact_match     contact id → compact binary copy of the contact, rule fields first (recipients.go)
//	  contact_bounce    contact id → when it was first marked bounced, Unix nanoseconds (bounces.go)
package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"golang.org/x/crypto/bcrypt"
)

// SchemaVersion is the version of the bucket layout this code writes.
const SchemaVersion = 6

var (
	bucketMeta   = []byte("meta")
	bucketIdx    = []byte("idx")
	topBuckets   = []string{"meta", "poles", "logos", "people", "quotes", "measures", "boilerplates", "contacts", "lists", "communiques", "revisions", "published", "campaign_bundles", "campaigns", "campaign_counts", "deliveries", "users", "tokens", "sessions", "audit", "idx"}
	indexBuckets = []string{"contact_email", "suppression", "user_email", "token_hash", "quote_person", "person_pole", "slug", "delivery_campaign", "delivery_contact", "delivery_queue", "contact_match", "contact_bounce"}
)

// Store is the bbolt database. Its methods own their transactions.
type Store struct {
	db   *bolt.DB
	file os.FileInfo      // the base file as opened, to notice when its path no longer leads to it
	Now  func() time.Time // injected so tests can fix time
	// PasswordCost is the bcrypt cost of new password hashes; tests lower it.
	PasswordCost int
	published    *publishedIndex // the newsroom's communiqués (published.go), shared by copies
}

// ErrInUse is returned by Open when another process holds the database file.
var ErrInUse = errors.New("base déjà utilisée par un autre processus Porte-Voix")

// ErrNoBase is returned by OpenExisting when the data folder holds no base, so that a
// mistyped --data never passes for an empty base.
var ErrNoBase = errors.New("aucune base")

// Open opens (creating if needed) the database in dir/portevoix.db, waiting at most
// timeout for another process's lock, then runs the migrations.
func Open(dir string, timeout time.Duration) (*Store, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("impossible de créer le dossier de données %s : %w", dir, err)
	}
	return open(dir, timeout)
}

// OpenExisting opens the database in dir like Open, but returns ErrNoBase instead of
// creating one.
func OpenExisting(dir string, timeout time.Duration) (*Store, error) {
	if err := baseExists(dir); err != nil {
		return nil, err
	}
	return open(dir, timeout)
}

// baseExists returns ErrNoBase when dir holds no base.
func baseExists(dir string) error {
	_, err := os.Stat(BasePath(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w dans %s", ErrNoBase, dir)
	}
	if err != nil {
		return fmt.Errorf("base illisible : %w", err)
	}
	return nil
}

// BasePath is the path of the base file in the data folder dir.
func BasePath(dir string) string { return filepath.Join(dir, "portevoix.db") }

// open checks the base file, if any, before bbolt maps it: an empty file would become a
// fresh base and a truncated one would crash the process with SIGBUS.
func open(dir string, timeout time.Duration) (*Store, error) {
	path := BasePath(dir)
	if err := CheckFile(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	s, err := openFile(path, &bolt.Options{Timeout: timeout, InitialMmapSize: initialMmapSize()})
	if err != nil {
		return nil, err
	}
	if err := s.migrate(); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// openFile has bbolt open the base file at path with opts, and notes the file opened.
func openFile(path string, opts *bolt.Options) (*Store, error) {
	db, err := bolt.Open(path, 0o600, opts)
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w (%s)", ErrInUse, path)
	}
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", path, err)
	}
	s := &Store{db: db, Now: time.Now, PasswordCost: bcrypt.DefaultCost, published: &publishedIndex{}}
	if s.file, err = os.Stat(path); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// initialMmapSize maps 64 MB of the file from the start. bbolt otherwise maps the file at
// twice its size and remaps it as it grows, and each remap copies every node the current
// transaction has touched: importing 50,000 contacts spent a tenth of its time there. The
// mapping only reserves address space, except on Windows, where bbolt grows the file to
// the mapping's size: there the default stays.
func initialMmapSize() int {
	if runtime.GOOS == "windows" {
		return 0
	}
	return 64 << 20
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file's path.
func (s *Store) Path() string { return s.db.Path() }

// migrate creates every bucket and brings the schema to SchemaVersion. A bucket added
// later (sessions) needs no version step: creating it here is its migration.
func (s *Store) migrate() error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range topBuckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		idx := tx.Bucket(bucketIdx)
		for _, name := range indexBuckets {
			if _, err := idx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		version := 0
		if v := meta.Get([]byte("schema")); v != nil {
			version = int(binary.BigEndian.Uint64(v))
		}
		if version > SchemaVersion {
			return fmt.Errorf("la base est au schéma %d, plus récent que ce programme (%d) : mettez Porte-Voix à jour", version, SchemaVersion)
		}
		// Migrations, one step per version, inside this transaction.
		now := s.Now().UTC()
		steps := []struct {
			to  int
			run func(*bolt.Tx) error
		}{
			{2, rebuildMatches},
			{3, func(tx *bolt.Tx) error {
				if err := reconcileSuppression(tx, now); err != nil {
					return err
				}
				return migrateRegions(tx, now)
			}},
			{4, func(tx *bolt.Tx) error { return normaliseStoredLogos(tx, now) }},
			{5, indexDeliveryContacts},
			{6, indexBounces},
		}
		for _, step := range steps {
			if version >= step.to {
				continue
			}
			if err := step.run(tx); err != nil {
				return fmt.Errorf("migration vers le schéma %d : %w", step.to, err)
			}
		}
		return meta.Put([]byte("schema"), itob(SchemaVersion))
	})
}

// itob encodes an id as an 8-byte big-endian key, so keys sort by creation.
func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// pairKey joins two ids, for index buckets read by prefix.
func pairKey(a, b uint64) []byte {
	k := make([]byte, 16)
	binary.BigEndian.PutUint64(k, a)
	binary.BigEndian.PutUint64(k[8:], b)
	return k
}

func index(tx *bolt.Tx, name string) *bolt.Bucket {
	return tx.Bucket(bucketIdx).Bucket([]byte(name))
}
