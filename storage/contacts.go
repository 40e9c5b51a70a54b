package storage

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket implements Record.
func (*Contact) Bucket() string { return "contacts" }

// Validate implements Record.
func (v *Contact) Validate() error {
	var p Problems
	p.line("first_name", &v.FirstName, false, 200)
	p.line("last_name", &v.LastName, false, 200)
	p.email("email", &v.Email)
	p.line("phone", &v.Phone, false, 50)
	p.line("organization", &v.Organization, false, 200)
	if v.Kind == "" {
		v.Kind = KindJournalist
	}
	p.oneOf("kind", v.Kind, KindJournalist, KindPressOfficer, KindAgency, KindOther)
	p.regions("regions", &v.Regions)
	p.words("tags", &v.Tags)
	if v.Language == "" {
		v.Language = "fr"
	}
	p.line("language", &v.Language, false, 20)
	p.line("source", &v.Source, false, 300)
	p.line("lawful_basis", &v.LawfulBasis, false, 200)
	return p.Err()
}

// FullName is "First Last", or "" when neither is known.
func (v *Contact) FullName() string {
	return strings.TrimSpace(v.FirstName + " " + v.LastName)
}

func (v *Contact) checkRefs(tx *bolt.Tx) error {
	var p Problems
	missingRef(tx, &p, "pole_id", "poles", v.PoleID)
	return p.Err()
}

// keep: a bounce is set by the mailer, not by edits. An edit may opt a contact out (an
// admin recording a request); putIndexes refuses one that would opt it back in. An edit may
// change the source but not blank it.
func (v *Contact) keep(old Record) {
	o := old.(*Contact)
	v.Bounced = o.Bounced
	if v.Source == "" {
		v.Source = o.Source // the GDPR footer must always say where the address came from
	}
}

// putIndexes keeps the email unique (case-insensitively) and the contact in step with the
// suppression set, so that no edit and no re-creation makes an unsubscribed address
// mailable again. Returns ECONFLICT.
func (v *Contact) putIndexes(tx *bolt.Tx, old Record) error {
	ix := index(tx, "contact_email")
	key := []byte(NormalizeEmail(v.Email))
	if id := ix.Get(key); id != nil && btoi(id) != v.ID {
		var p Problems
		p.Add("email", "adresse déjà utilisée par le contact n°\u00a0"+itoa(btoi(id)))
		return &Error{Code: ECONFLICT, Message: "Cette adresse e-mail est déjà enregistrée.", Fields: p}
	}
	if old != nil {
		if err := checkStillOptedOut(v, old.(*Contact)); err != nil {
			return err
		}
		if err := ix.Delete([]byte(NormalizeEmail(old.(*Contact).Email))); err != nil {
			return err
		}
	}
	if err := applySuppression(tx, v, v.UpdatedAt); err != nil {
		return err
	}
	return ix.Put(key, itob(v.ID))
}

// checkStillOptedOut refuses an edit that would clear an opt-out: an unsubscription is for
// good. (An address changed to one in the suppression set is opted out by applySuppression.)
func checkStillOptedOut(v, old *Contact) error {
	if v.OptedOut || !old.OptedOut {
		return nil
	}
	var p Problems
	p.Add("opted_out", "désinscription définitive\u00a0: la valeur doit rester true")
	return &Error{Code: ECONFLICT, Message: "Ce contact s’est désinscrit\u00a0: une désinscription est définitive et ne peut pas être annulée.", Fields: p}
}

// applySuppression keeps a contact and the suppression set in step, the set being the
// truth: an opted-out contact puts its address in the set, and an address in the set makes
// its contact opted out since the first opt-out. Times sent by a client are ignored.
func applySuppression(tx *bolt.Tx, c *Contact, now time.Time) error {
	key := []byte(NormalizeEmail(c.Email))
	if c.OptedOut {
		if err := suppress(tx, key, now); err != nil {
			return err
		}
	}
	c.OptedOutAt = nil
	text := index(tx, "suppression").Get(key)
	if text == nil {
		return nil
	}
	at := time.Time{}
	if err := at.UnmarshalText(text); err != nil {
		return fmt.Errorf("suppression time of %s: %w", key, err)
	}
	c.OptedOut, c.OptedOutAt = true, &at
	return nil
}

// suppressed reports whether an address is in the suppression set.
func suppressed(tx *bolt.Tx, email string) bool {
	return index(tx, "suppression").Get([]byte(NormalizeEmail(email))) != nil
}

func (v *Contact) deleteIndexes(tx *bolt.Tx) error {
	for _, name := range []string{"contact_match", "contact_bounce"} {
		if err := index(tx, name).Delete(itob(v.ID)); err != nil {
			return err
		}
	}
	return index(tx, "contact_email").Delete([]byte(NormalizeEmail(v.Email)))
}

// ContactByEmail returns the contact with that address (any case), or ENOTFOUND.
func (s *Store) ContactByEmail(email string) (*Contact, error) {
	c := &Contact{}
	err := s.db.View(func(tx *bolt.Tx) error {
		id := index(tx, "contact_email").Get([]byte(NormalizeEmail(email)))
		if id == nil {
			return Errorf(ENOTFOUND, "Aucun contact avec l’adresse %s.", email)
		}
		return load(tx, btoi(id), c)
	})
	return c, err
}

// OptOut unsubscribes a contact for good: the address enters the suppression set, which
// outlives the contact itself. Returns ENOTFOUND.
func (s *Store) OptOut(contactID uint64, actor string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		c := &Contact{}
		if err := load(tx, contactID, c); err != nil {
			return err
		}
		now := s.Now().UTC()
		c.OptedOut = true
		if err := applySuppression(tx, c, now); err != nil {
			return err
		}
		if err := put(tx, c, now, actor); err != nil {
			return err
		}
		return audit(tx, now, actor, "opt_out", c.Bucket(), c.ID)
	})
}

// MarkBounced records a hard bounce so the contact is never mailed again.
func (s *Store) MarkBounced(contactID uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		c := &Contact{}
		if err := load(tx, contactID, c); err != nil {
			return err
		}
		c.Bounced = true
		now := s.Now().UTC()
		if err := put(tx, c, now, "system"); err != nil {
			return err
		}
		return audit(tx, now, "system", "bounce", c.Bucket(), c.ID)
	})
}

// Suppressed reports whether the address ever unsubscribed.
func (s *Store) Suppressed(email string) bool {
	found := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		found = suppressed(tx, email)
		return nil
	})
	return found
}

// ContactFilter selects contacts for listings: every non-empty criterion must match.
type ContactFilter struct {
	Region, Tag, Kind string
	Q                 string // free text over names, email and organisation
	PoleID            uint64
	OptedOut, Bounced *bool // nil: either
}

// Match reports whether c passes the filter; comparisons ignore case.
func (f ContactFilter) Match(c *Contact) bool {
	if f.Region != "" && !containsFold(c.Regions, f.Region) {
		return false
	}
	if f.Tag != "" && !containsFold(c.Tags, f.Tag) {
		return false
	}
	if f.Kind != "" && c.Kind != f.Kind || f.PoleID != 0 && c.PoleID != f.PoleID {
		return false
	}
	if f.OptedOut != nil && c.OptedOut != *f.OptedOut || f.Bounced != nil && c.Bounced != *f.Bounced {
		return false
	}
	if f.Q != "" {
		hay := strings.ToLower(c.FirstName + " " + c.LastName + " " + c.Email + " " + c.Organization)
		if !strings.Contains(hay, strings.ToLower(f.Q)) {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// Recipients resolves a list: its rule's matches plus its explicit members, deduplicated by
// email, never opted-out or bounced contacts, ordered by contact id. Returns ENOTFOUND.
func (s *Store) Recipients(listID uint64) ([]Contact, error) {
	var out []Contact
	err := s.db.View(func(tx *bolt.Tx) error {
		l := &List{}
		if err := load(tx, listID, l); err != nil {
			return err
		}
		var err error
		out, err = resolve(tx, []*List{l})
		return err
	})
	return out, err
}

// CountRecipients counts the recipients a list would have with that rule and those
// members, without storing it, so that a form can show the number as the rule is built.
func (s *Store) CountRecipients(l *List) (int, error) {
	rule := *l
	rule.Regions, _ = canonicalRegions(l.Regions) // unsaved, so not yet put in canonical form
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		return scanRecipients(tx, []*List{&rule}, 0, func(uint64, *matchRecord) error { n++; return nil })
	})
	return n, err
}

// RecipientsPage is one page of Recipients(listID), for the API. A page resumes the
// list's resolution at its cursor, the id of the first recipient the page before did not
// return, so that paging through a list costs one resolution in all. Returns ENOTFOUND, or
// EINVALID for a bad cursor.
func (s *Store) RecipientsPage(listID uint64, opts ListOptions) (Page[Contact], error) {
	opts, from, err := opts.Normalized()
	if err != nil {
		return Page[Contact]{}, err
	}
	page := Page[Contact]{Items: []Contact{}}
	err = s.db.View(func(tx *bolt.Tx) error {
		l := &List{}
		if err := load(tx, listID, l); err != nil {
			return err
		}
		return scanRecipients(tx, []*List{l}, from, func(id uint64, m *matchRecord) error {
			if len(page.Items) == opts.Limit {
				page.Next = itoa(id)
				return errStop
			}
			c, err := m.contact(id)
			page.Items = append(page.Items, c)
			return err
		})
	})
	return page, err
}

func (l *List) hasRule() bool { return len(l.Regions)+len(l.Tags)+len(l.Kinds) > 0 }

// suppress adds a normalised address to the suppression set, keeping the first opt-out time.
func suppress(tx *bolt.Tx, key []byte, at time.Time) error {
	ix := index(tx, "suppression")
	if ix.Get(key) != nil {
		return nil
	}
	text, _ := at.MarshalText()
	return ix.Put(key, text)
}

// FindContacts lists the contacts passing f, in creation order. It reads the compact
// contact_match records rather than the JSON, so that a filtered page over tens of
// thousands of contacts stays fast. Returns EINVALID for a bad cursor or an unknown region.
func (s *Store) FindContacts(f ContactFilter, opts ListOptions) (Page[Contact], error) {
	opts, from, err := opts.Normalized()
	if err == nil {
		err = f.canonicalRegion()
	}
	if err != nil {
		return Page[Contact]{}, err
	}
	page := Page[Contact]{Items: []Contact{}}
	err = s.db.View(func(tx *bolt.Tx) error {
		var m matchRecord
		c := index(tx, "contact_match").Cursor()
		for k, data := c.Seek(itob(from)); k != nil; k, data = c.Next() {
			if err := m.decode(data); err != nil {
				return err
			}
			ct, err := m.contact(btoi(k))
			if err != nil {
				return err
			}
			if !f.Match(&ct) {
				continue
			}
			if len(page.Items) == opts.Limit {
				page.Next = itoa(btoi(k))
				return nil
			}
			page.Items = append(page.Items, ct)
		}
		return nil
	})
	return page, err
}

// reconcileSuppression brings contacts stored before the suppression set was the one truth
// into step with it: an opted-out contact's address joins the set (at its opt-out time),
// and a contact whose address is in the set reads as opted out.
func reconcileSuppression(tx *bolt.Tx, now time.Time) error {
	var changed []*Contact
	err := tx.Bucket([]byte("contacts")).ForEach(func(k, data []byte) error {
		c := &Contact{}
		if err := json.Unmarshal(data, c); err != nil {
			return fmt.Errorf("decode contact %d: %w", btoi(k), err)
		}
		before, at := *c, now
		if c.OptedOutAt != nil {
			at = *c.OptedOutAt
		}
		if err := applySuppression(tx, c, at); err != nil {
			return err
		}
		if !contactEqual(&before, c) {
			changed = append(changed, c)
		}
		return nil
	})
	for _, c := range changed {
		if err == nil {
			err = put(tx, c, now, "system") // after ForEach, which must not see its bucket change
		}
	}
	return err
}

// ContactDeliveries lists the deliveries to one contact, the newest first, through the
// delivery_contact index.
func (s *Store) ContactDeliveries(contactID uint64) ([]Delivery, error) {
	var out []Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		return eachIndexedDelivery(tx, "delivery_contact", contactID, func(d *Delivery) error {
			out = append(out, *d)
			return nil
		})
	})
	slices.Reverse(out)
	return out, err
}

// indexDeliveryContacts (schema 5) fills the delivery_contact index from the deliveries
// stored before it existed, so that ContactDeliveries need not read them all.
func indexDeliveryContacts(tx *bolt.Tx) error {
	idx := index(tx, "delivery_contact")
	return tx.Bucket([]byte("deliveries")).ForEach(func(k, data []byte) error {
		var d Delivery
		if err := decodeDelivery(data, &d); err != nil {
			return err
		}
		return idx.Put(pairKey(d.ContactID, btoi(k)), nil)
	})
}
