package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Resolving a list looks at every contact, and encoding/json needs about 7 µs to decode
// one: 400 ms for 50,000. The index bucket contact_match therefore keeps a copy of each
// contact in a compact binary record, the fields that list rules look at first: a list
// resolves by scanning these records, and decodes whole contacts from them (about ten
// times faster than from JSON) only for the recipients it returns. put keeps the record in
// step with every write of a contact (create, update, import, opt-out, bounce) and
// deleteIndexes removes it. The JSON in "contacts" stays the record of truth.

// matchRecord is a decoded contact_match record. Its byte slices point into bbolt's
// memory: valid only inside the transaction. rest holds the fields matching ignores.
type matchRecord struct {
	optedOut, bounced                    bool
	kind, email, normalized, first, last []byte
	regions, tags                        [][]byte
	nilRegions, nilTags                  bool
	rest                                 []byte
}

const (
	flagOptedOut = 1 << iota
	flagBounced
)

var errBadMatchRecord = errors.New("contact_match: corrupt record")

func encodeMatch(c *Contact) ([]byte, error) {
	var flags byte
	if c.OptedOut {
		flags |= flagOptedOut
	}
	if c.Bounced {
		flags |= flagBounced
	}
	b := make([]byte, 1, 256)
	b[0] = flags
	for _, s := range []string{c.Kind, c.Email, NormalizeEmail(c.Email), c.FirstName, c.LastName} {
		b = appendString(b, s)
	}
	b = appendList(appendList(b, c.Regions), c.Tags)
	for _, s := range []string{c.Phone, c.Organization, c.Language, c.Source, c.LawfulBasis} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, c.PoleID)
	for _, t := range [...]*time.Time{&c.CreatedAt, &c.UpdatedAt, c.OptedOutAt} {
		if t == nil {
			b = append(b, 0)
			continue
		}
		// A time's binary form is at most 16 bytes: its length fits the one-byte uvarint.
		n := len(b)
		var err error
		if b, err = t.AppendBinary(append(b, 0)); err != nil {
			return nil, err
		}
		b[n] = byte(len(b) - n - 1)
	}
	return appendString(binary.AppendUvarint(b, c.Version), c.UpdatedBy), nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendList writes the length plus one, zero standing for nil, so that JSON's null and
// [] come back as they were.
func appendList(b []byte, list []string) []byte {
	if list == nil {
		return binary.AppendUvarint(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(list))+1)
	for _, s := range list {
		b = appendString(b, s)
	}
	return b
}

// decode fills the fields matching needs from data, reusing m's slices.
func (m *matchRecord) decode(data []byte) error {
	if len(data) == 0 {
		return errBadMatchRecord
	}
	m.optedOut, m.bounced = data[0]&flagOptedOut != 0, data[0]&flagBounced != 0
	r := matchReader{data: data[1:]}
	for _, f := range []*[]byte{&m.kind, &m.email, &m.normalized, &m.first, &m.last} {
		*f = r.bytes()
	}
	m.regions, m.nilRegions = r.list(m.regions[:0])
	m.tags, m.nilTags = r.list(m.tags[:0])
	m.rest = r.data
	if r.bad {
		return errBadMatchRecord
	}
	return nil
}

// matchKind is the kind in a contact_match record, read without decoding the rest; ok is
// false for a corrupt record.
func matchKind(data []byte) (kind []byte, ok bool) {
	if len(data) == 0 {
		return nil, false
	}
	r := matchReader{data: data[1:]}
	kind = r.bytes()
	return kind, !r.bad
}

// contact decodes the whole contact id from m.
func (m *matchRecord) contact(id uint64) (Contact, error) {
	c := Contact{Meta: Meta{ID: id}, Kind: string(m.kind), Email: string(m.email), FirstName: string(m.first),
		LastName: string(m.last), OptedOut: m.optedOut, Bounced: m.bounced,
		Regions: stringList(m.regions, m.nilRegions), Tags: stringList(m.tags, m.nilTags)}
	r := matchReader{data: m.rest}
	for _, f := range []*string{&c.Phone, &c.Organization, &c.Language, &c.Source, &c.LawfulBasis} {
		*f = string(r.bytes())
	}
	c.PoleID = r.uvarint()
	for _, t := range []*time.Time{&c.CreatedAt, &c.UpdatedAt} {
		if err := t.UnmarshalBinary(r.bytes()); err != nil {
			return c, errBadMatchRecord
		}
	}
	if data := r.bytes(); len(data) > 0 {
		c.OptedOutAt = new(time.Time)
		if err := c.OptedOutAt.UnmarshalBinary(data); err != nil {
			return c, errBadMatchRecord
		}
	}
	if len(r.data) > 0 { // a record written before versions existed ends here
		c.Version, c.UpdatedBy = r.uvarint(), string(r.bytes())
	}
	c.settle() // as load does: a contact copied from JSON without a version (schema 1) has 0
	if r.bad {
		return c, errBadMatchRecord
	}
	return c, nil
}

func stringList(list [][]byte, isNil bool) []string {
	if isNil {
		return nil
	}
	out := make([]string, len(list))
	for i, b := range list {
		out[i] = string(b)
	}
	return out
}

type matchReader struct {
	data []byte
	bad  bool
}

func (r *matchReader) uvarint() uint64 {
	n, k := binary.Uvarint(r.data)
	if k <= 0 {
		r.bad, r.data = true, nil
		return 0
	}
	r.data = r.data[k:]
	return n
}

func (r *matchReader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.data)) {
		r.bad, r.data = true, nil
		return nil
	}
	out := r.data[:n]
	r.data = r.data[n:]
	return out
}

func (r *matchReader) list(dst [][]byte) ([][]byte, bool) {
	n := r.uvarint()
	if n == 0 {
		return dst, true
	}
	if n-1 > uint64(len(r.data)) {
		r.bad = true
		return dst, true
	}
	for range n - 1 {
		dst = append(dst, r.bytes())
	}
	return dst, false
}

func putMatch(tx *bolt.Tx, c *Contact) error {
	data, err := encodeMatch(c)
	if err != nil {
		return err
	}
	return index(tx, "contact_match").Put(itob(c.ID), data)
}

// rebuildMatches fills contact_match from the contacts, for bases written before it.
func rebuildMatches(tx *bolt.Tx) error {
	return tx.Bucket([]byte("contacts")).ForEach(func(_, data []byte) error {
		c := &Contact{}
		if err := json.Unmarshal(data, c); err != nil {
			return err
		}
		return putMatch(tx, c)
	})
}

// rule is a list's rule with its values as bytes, for matching without allocation.
type rule struct {
	regions, tags, kinds [][]byte
}

func compileRules(lists []*List) []rule {
	var out []rule
	for _, l := range lists {
		regions := knownRegions(l.Regions)
		if !l.hasRule() || len(l.Regions) > 0 && len(regions) == 0 {
			continue // a rule naming only unknown regions (from before schema 3) matches nobody
		}
		out = append(out, rule{regions: toBytes(regions), tags: toBytes(l.Tags), kinds: toBytes(l.Kinds)})
	}
	return out
}

func toBytes(list []string) [][]byte {
	out := make([][]byte, len(list))
	for i, s := range list {
		out[i] = []byte(s)
	}
	return out
}

// matches: within a criterion any value may match; every non-empty criterion must.
func (r *rule) matches(m *matchRecord) bool {
	return anyFoldBytes(r.regions, m.regions) && anyFoldBytes(r.tags, m.tags) &&
		(len(r.kinds) == 0 || anyFoldBytes(r.kinds, [][]byte{m.kind}))
}

func anyFoldBytes(want, have [][]byte) bool {
	if len(want) == 0 {
		return true
	}
	for _, w := range want {
		for _, h := range have {
			if bytes.EqualFold(w, h) {
				return true
			}
		}
	}
	return false
}

// recipient is a resolved contact: what a delivery needs.
type recipient struct {
	ID    uint64
	Email string
	Name  string // "First Last", or "" when neither is known
}

// resolveRecipients is the lists' recipients, as much as a delivery needs of them.
func resolveRecipients(tx *bolt.Tx, lists []*List) ([]recipient, error) {
	out := []recipient{}
	err := scanRecipients(tx, lists, 0, func(id uint64, m *matchRecord) error {
		out = append(out, recipient{ID: id, Email: string(m.email), Name: fullName(m.first, m.last)})
		return nil
	})
	return out, err
}

// resolve is the lists' recipients as whole contacts.
func resolve(tx *bolt.Tx, lists []*List) ([]Contact, error) {
	out := []Contact{}
	err := scanRecipients(tx, lists, 0, func(id uint64, m *matchRecord) error {
		c, err := m.contact(id)
		out = append(out, c)
		return err
	})
	return out, err
}

// errStop, returned by scanRecipients' found, ends the scan without an error.
var errStop = errors.New("stop")

// scanRecipients walks contact_match in contact id order, from contact id from on, once for
// all lists, and calls found for each recipient: a contact that is neither opted out nor
// bounced, is an explicit member or matches a rule, whose address is not suppressed and
// that is the first such contact with its normalised address (the lowest id wins).
// Whether a contact is a recipient depends on no contact after it, so a page of
// recipients can resume the walk at the id of the first recipient it has not returned.
func scanRecipients(tx *bolt.Tx, lists []*List, from uint64, found func(id uint64, m *matchRecord) error) error {
	r := newResolution(tx, lists)
	seen := map[string]bool{}
	var m matchRecord
	c := index(tx, "contact_match").Cursor()
	for k, data := c.Seek(itob(from)); k != nil; k, data = c.Next() {
		if err := m.decode(data); err != nil {
			return err
		}
		id := btoi(k)
		if !r.wants(id, &m) {
			continue
		}
		// Only a wanted contact claims its address, so these checks can come last.
		if seen[string(m.normalized)] || r.suppressed.Get(m.normalized) != nil {
			continue
		}
		seen[string(m.normalized)] = true
		claimed, err := r.claimedBefore(id, from, m.normalized)
		if err == nil && !claimed {
			err = found(id, &m)
		}
		if errors.Is(err, errStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// resolution is what deciding on a contact needs: the lists' members and rules.
type resolution struct {
	tx                 *bolt.Tx
	members            map[uint64]bool
	rules              []rule
	suppressed, owners *bolt.Bucket
}

func newResolution(tx *bolt.Tx, lists []*List) *resolution {
	members := map[uint64]bool{}
	for _, l := range lists {
		for _, id := range l.MemberIDs {
			members[id] = true
		}
	}
	return &resolution{tx: tx, members: members, rules: compileRules(lists),
		suppressed: index(tx, "suppression"), owners: index(tx, "contact_email")}
}

// wants reports whether the lists want contact id: a member or a rule's match, and
// neither opted out nor bounced.
func (r *resolution) wants(id uint64, m *matchRecord) bool {
	return !m.optedOut && !m.bounced && (r.members[id] || anyRule(r.rules, m))
}

// claimedBefore reports whether a wanted contact before contact id from has the address.
// Every write through the store keeps one contact per address (contact_email refuses a
// second), so the contact that contact_email names is the only one with its address and
// no scan is needed. A contact it does not name was written by other means: the contacts
// before from are then scanned for its address.
func (r *resolution) claimedBefore(id, from uint64, normalized []byte) (bool, error) {
	if from == 0 {
		return false, nil
	}
	if owner := r.owners.Get(normalized); owner != nil && btoi(owner) == id {
		return false, nil
	}
	var m matchRecord
	c := index(r.tx, "contact_match").Cursor()
	for k, data := c.First(); k != nil && btoi(k) < from; k, data = c.Next() {
		if err := m.decode(data); err != nil {
			return false, err
		}
		if bytes.Equal(m.normalized, normalized) && r.wants(btoi(k), &m) {
			return true, nil
		}
	}
	return false, nil
}

func anyRule(rules []rule, m *matchRecord) bool {
	for i := range rules {
		if rules[i].matches(m) {
			return true
		}
	}
	return false
}

// fullName is Contact.FullName over the record's bytes.
func fullName(first, last []byte) string {
	return strings.TrimSpace(string(first) + " " + string(last))
}
