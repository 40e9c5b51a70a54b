package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ImportRow is one contact read from a file, with its line number for messages.
type ImportRow struct {
	Line    int
	Contact Contact
}

// ImportProblem says what happened to one line that was not simply created or updated.
type ImportProblem struct {
	Line    int    `json:"line"`
	Field   string `json:"field,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// ImportLine says what an import does with one line it takes: which contact it creates,
// or which it updates and what changes.
type ImportLine struct {
	Line    int    `json:"line"`
	Email   string `json:"email"`
	Outcome string `json:"outcome"` // ImportCreated or ImportUpdated
	// ContactID is the contact updated (a dry run creates none, so a created line has none).
	ContactID uint64 `json:"contact_id,omitempty"`
	// Changed lists the fields an update changes, by their JSON names ("organization").
	Changed []string `json:"changed,omitempty"`
}

// What an import does with a line it takes.
const (
	ImportCreated = "created"
	ImportUpdated = "updated"
)

// ImportReport is the outcome of an import (or of a dry run: the same counts, nothing kept).
type ImportReport struct {
	DryRun  bool            `json:"dry_run"`
	Created int             `json:"created"`
	Updated int             `json:"updated"`
	Skipped int             `json:"skipped"`
	Lines   []ImportLine    `json:"lines"`         // each line created or updated, in file order
	Notes   []ImportProblem `json:"skipped_lines"` // why each skipped line was skipped
	Errors  []ImportProblem `json:"errors"`        // rejected lines (filled by the file reader too)
	// Warnings are lines taken whose address will get no message, being on the
	// suppression list.
	Warnings []ImportProblem `json:"warnings"`
}

var errDryRun = errors.New("dry run")

// importChunk is how many rows one transaction of an import takes. bbolt keeps the keys a
// transaction adds in unsplit nodes until it commits, and each key inserted out of order
// moves the node's tail: one transaction for 50,000 rows spends most of its time there
// (the email index is not in row order). Committing every few thousand rows keeps the
// nodes small.
const importChunk = 5000

// ImportContacts upserts contacts by normalised email: a new address is created, a known
// one updated (non-empty fields replace, regions and tags are merged, opt-out and bounce
// are kept and may be added, never cleared). An address in the suppression set is never
// created again, and a known one is reported in Warnings. A row that fails
// validation is reported with its line and field and the others go on. The rows are
// written in transactions of importChunk rows: when the store fails part-way, the chunks
// before stay, and importing the same rows again completes the work, since rows upsert.
// With dryRun nothing is written (one transaction, rolled back).
func (s *Store) ImportContacts(actor string, rows []ImportRow, dryRun bool) (*ImportReport, error) {
	report := &ImportReport{DryRun: dryRun, Lines: []ImportLine{}, Notes: []ImportProblem{}, Errors: []ImportProblem{}, Warnings: []ImportProblem{}}
	now := s.Now().UTC()
	if dryRun {
		err := s.db.Update(func(tx *bolt.Tx) error {
			if err := importRows(tx, rows, now, actor, report); err != nil {
				return err
			}
			return errDryRun
		})
		if errors.Is(err, errDryRun) {
			err = nil
		}
		return report, err
	}
	for start := 0; start == 0 || start < len(rows); start += importChunk {
		chunk, last := rows[start:min(start+importChunk, len(rows))], start+importChunk >= len(rows)
		err := s.db.Update(func(tx *bolt.Tx) error {
			packContactPages(tx)
			if err := importRows(tx, chunk, now, actor, report); err != nil || !last {
				return err
			}
			return auditDetail(tx, now, actor, "import", "contacts", 0,
				fmt.Sprintf("%d créés, %d mis à jour, %d ignorés, %d rejetés", report.Created, report.Updated, report.Skipped, len(report.Errors)))
		})
		if err != nil {
			return report, err
		}
	}
	return report, nil
}

// packContactPages has this transaction fill the pages of the buckets keyed by contact id
// to 90 % before splitting them, instead of bbolt's 50 %. New contacts only append to
// these buckets, so pages split half full stay half empty: an import of 50,000 contacts
// wrote a 114 MB file, pages of "contacts" 38 % full, for 40 MB of records; packed, 54 MB,
// which halves the pages written and synced. (The setting lasts for the transaction.)
func packContactPages(tx *bolt.Tx) {
	tx.Bucket([]byte("contacts")).FillPercent = 0.9
	index(tx, "contact_match").FillPercent = 0.9
}

func importRows(tx *bolt.Tx, rows []ImportRow, now time.Time, actor string, report *ImportReport) error {
	for i := range rows {
		if err := importRow(tx, &rows[i], now, actor, report); err != nil {
			return fmt.Errorf("import line %d: %w", rows[i].Line, err)
		}
	}
	return nil
}

func importRow(tx *bolt.Tx, row *ImportRow, now time.Time, actor string, report *ImportReport) error {
	c := row.Contact
	if err := c.Validate(); err != nil {
		addRowErrors(report, row.Line, err)
		return nil
	}
	key := []byte(NormalizeEmail(c.Email))
	if c.OptedOut {
		// A file that says "unsubscribed" adds to the suppression set; nothing removes from it.
		if err := suppress(tx, key, now); err != nil {
			return err
		}
	}
	id := index(tx, "contact_email").Get(key)
	if id == nil {
		if index(tx, "suppression").Get(key) != nil {
			report.Skipped++
			report.Notes = append(report.Notes, ImportProblem{Line: row.Line, Field: "email", Value: c.Email,
				Message: "adresse désinscrite : elle ne sera plus jamais ajoutée"})
			return nil
		}
		return importNew(tx, &c, now, actor, row.Line, report)
	}
	old := &Contact{}
	if err := load(tx, btoi(id), old); err != nil {
		return err
	}
	warnUnmailable(tx, report, row.Line, key, c.Email)
	merged := mergeContact(*old, c)
	var changed []string
	if !contactEqual(old, &merged) { // a tenth of changedFields' cost, for the rows already up to date
		changed = changedFields(old, &merged)
	}
	if len(changed) == 0 {
		report.Skipped++
		report.Notes = append(report.Notes, ImportProblem{Line: row.Line, Message: "déjà à jour"})
		return nil
	}
	if err := save(tx, &merged, old, now, actor); err != nil {
		addRowErrors(report, row.Line, err)
		return nil
	}
	report.Updated++
	report.Lines = append(report.Lines, ImportLine{Line: row.Line, Email: merged.Email, Outcome: ImportUpdated, ContactID: old.ID, Changed: changed})
	return nil
}

// warnUnmailable tells the report when the known address of a line is on the suppression
// list: the line still updates the contact, which no campaign will mail.
func warnUnmailable(tx *bolt.Tx, report *ImportReport, line int, key []byte, email string) {
	if index(tx, "suppression").Get(key) != nil {
		report.Warnings = append(report.Warnings, ImportProblem{Line: line, Field: "email", Value: email,
			Message: "adresse sur la liste des désinscrits\u00a0: la fiche est à jour, mais elle ne recevra aucun envoi"})
	}
}

// importNew creates a contact. A bounced flag in the file is kept: the address failed.
func importNew(tx *bolt.Tx, c *Contact, now time.Time, actor string, line int, report *ImportReport) error {
	c.OptedOut, c.OptedOutAt = false, nil // putIndexes sets the opt-out from the suppression set
	seq, err := tx.Bucket([]byte("contacts")).NextSequence()
	if err != nil {
		return err
	}
	c.ID, c.CreatedAt = seq, now
	if err := save(tx, c, nil, now, actor); err != nil {
		if ErrorCode(err) == EINTERNAL {
			return err
		}
		addRowErrors(report, line, err)
		return nil
	}
	report.Created++
	created := ImportLine{Line: line, Email: c.Email, Outcome: ImportCreated}
	if !report.DryRun {
		created.ContactID = c.ID
	}
	report.Lines = append(report.Lines, created)
	return nil
}

// mergeContact applies an imported row to a stored contact. An opt-out or a bounce in the
// file is kept; a file can never clear one.
func mergeContact(old, in Contact) Contact {
	m := old
	if in.OptedOut && !m.OptedOut {
		m.OptedOut = true
	}
	if in.Bounced {
		m.Bounced = true
	}
	for _, f := range []struct{ dst, src *string }{
		{&m.FirstName, &in.FirstName}, {&m.LastName, &in.LastName}, {&m.Phone, &in.Phone},
		{&m.Organization, &in.Organization}, {&m.Source, &in.Source}, {&m.LawfulBasis, &in.LawfulBasis},
	} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if in.Kind != "" && in.Kind != KindJournalist {
		m.Kind = in.Kind // journalist is also the reader's default: it never demotes another kind
	}
	if in.PoleID != 0 {
		m.PoleID = in.PoleID
	}
	m.Regions = mergeWords(old.Regions, in.Regions)
	m.Tags = mergeWords(old.Tags, in.Tags)
	return m
}

func mergeWords(a, b []string) []string {
	out := slices.Clone(a)
	for _, w := range b {
		if !containsFold(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// contactEqual compares two contacts' JSON, written by their own appendJSON (json.Marshal's
// bytes, faster).
func contactEqual(a, b *Contact) bool {
	x, _ := a.appendJSON(nil)
	y, _ := b.appendJSON(nil)
	return string(x) == string(y)
}

// changedFields lists the JSON names of the fields that differ between two versions of a
// contact, record metadata aside, in name order.
func changedFields(old, merged *Contact) []string {
	a, b := contactFields(old), contactFields(merged)
	var out []string
	for name, v := range b {
		if !reflect.DeepEqual(a[name], v) {
			out = append(out, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// contactFields is a contact's fields by JSON name, without the record's metadata and the
// opt-out's date (which follows the opt-out).
func contactFields(c *Contact) map[string]any {
	data, _ := json.Marshal(c)
	var m map[string]any
	_ = json.Unmarshal(data, &m) // our own JSON
	for _, meta := range []string{"id", "created_at", "updated_at", "updated_by", "version", "opted_out_at"} {
		delete(m, meta)
	}
	return m
}

func addRowErrors(report *ImportReport, line int, err error) {
	var e *Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			report.Errors = append(report.Errors, ImportProblem{Line: line, Field: f.Field, Message: f.Message})
		}
		return
	}
	report.Errors = append(report.Errors, ImportProblem{Line: line, Message: err.Error()})
}

// AllContacts returns every contact in creation order, for exports.
func (s *Store) AllContacts() ([]Contact, error) {
	var out []Contact
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("contacts")).ForEach(func(_, data []byte) error {
			var c Contact
			if err := decodeRecord(data, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}
