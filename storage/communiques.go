package storage

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"
)

// Bucket implements Record.
func (*Communique) Bucket() string { return "communiques" }

// Validate implements Record. An empty slug is made from the title.
func (v *Communique) Validate() error {
	var p Problems
	p.line("title", &v.Title, true, 300)
	p.line("subtitle", &v.Subtitle, false, 300)
	p.line("place", &v.Place, false, 100)
	p.date("date", &v.Date, true)
	p.text("lede", &v.Lede, false, 3000)
	p.text("body", &v.Body, false, 200000)
	p.line("template", &v.Template, true, 50)
	p.line("slug", &v.Slug, false, 120)
	if v.Slug == "" {
		v.Slug = Slugify(v.Title)
	}
	if v.Slug != "" && !slugRe.MatchString(v.Slug) {
		p.Add("slug", "lettres minuscules sans accent, chiffres et tirets uniquement")
	}
	if v.Place == "" {
		v.Place = "Paris"
	}
	if len(v.PoleIDs) == 0 {
		p.Add("pole_ids", "au moins un pôle signataire")
	}
	for _, ids := range []*[]uint64{&v.PoleIDs, &v.MeasureIDs, &v.QuoteIDs, &v.BoilerplateIDs, &v.ContactIDs} {
		*ids = uniqueIDs(*ids)
	}
	return p.Err()
}

// Slugify turns a title into a URL slug: "Souveraineté sanitaire !" → "souverainete-sanitaire".
func Slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(title)) {
		if b.Len() >= 80 {
			break
		}
		switch {
		case unicode.Is(unicode.Mn, r): // accents removed by NFD
		case r == 'œ':
			b.WriteString("oe")
			dash = false
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// idRefs lists a communiqué's references with their JSON field and bucket.
func (v *Communique) idRefs() []struct {
	field, kind string
	ids         []uint64
} {
	return []struct {
		field, kind string
		ids         []uint64
	}{
		{"pole_ids", "poles", v.PoleIDs},
		{"measure_ids", "measures", v.MeasureIDs},
		{"quote_ids", "quotes", v.QuoteIDs},
		{"boilerplate_ids", "boilerplates", v.BoilerplateIDs},
		{"contact_ids", "contacts", v.ContactIDs},
	}
}

func (v *Communique) checkRefs(tx *bolt.Tx) error {
	var p Problems
	for _, ref := range v.idRefs() {
		for i, id := range ref.ids {
			missingRef(tx, &p, fmt.Sprintf("%s[%d]", ref.field, i), ref.kind, id)
		}
	}
	return p.Err()
}

func (v *Communique) checkCreate() error {
	v.Status, v.Approvals, v.PastApprovals, v.PublishedAt = CommuniqueDraft, []Approval{}, nil, nil
	v.WithdrawnAt, v.WithdrawnBy, v.WithdrawalReason = nil, "", ""
	return nil
}

// keep: status and approvals change only through Approve and Publish; an edit clears the
// approvals, since the co-signers approved another text.
func (v *Communique) keep(old Record) {
	o := old.(*Communique)
	v.Revision, v.PublishedAt = o.Revision, o.PublishedAt
	v.Status, v.Approvals = CommuniqueDraft, []Approval{}
	v.PastApprovals = pastApprovals(o.PastApprovals, o.Approvals)
	v.WithdrawnAt, v.WithdrawnBy, v.WithdrawalReason = o.WithdrawnAt, o.WithdrawnBy, o.WithdrawalReason
	if o.frozen() {
		v.Status = o.Status
	}
}

// pastApprovals adds the approvals an edit clears to the earlier ones, keeping the latest
// of each pôle.
func pastApprovals(past, cleared []Approval) []Approval {
	out := append([]Approval(nil), cleared...)
	for _, a := range past {
		if !containsApproval(out, a.PoleID) {
			out = append(out, a)
		}
	}
	return out
}

func containsApproval(list []Approval, poleID uint64) bool {
	for _, a := range list {
		if a.PoleID == poleID {
			return true
		}
	}
	return false
}

// frozen reports whether the communiqué was published: its text can change no more, and
// it stays in the records, withdrawn or not.
func (v *Communique) frozen() bool {
	return v.Status == CommuniquePublished || v.Status == CommuniqueWithdrawn
}

// putIndexes keeps slugs unique, refuses edits to a published communiqué and numbers the
// save's revision.
func (v *Communique) putIndexes(tx *bolt.Tx, old Record) error {
	if old != nil && old.(*Communique).frozen() {
		return Errorf(ECONFLICT, "Ce communiqué a été publié\u00a0: il ne peut plus être modifié. Rédigez un nouveau communiqué (rectificatif).")
	}
	ix := index(tx, "slug")
	if id := ix.Get([]byte(v.Slug)); id != nil && btoi(id) != v.ID {
		return &Error{Code: ECONFLICT, Message: "Cette adresse (slug) est déjà prise par un autre communiqué.",
			Fields: []FieldError{{Field: "slug", Message: "déjà utilisé par le communiqué n°\u00a0" + itoa(btoi(id))}}}
	}
	if old != nil {
		if err := ix.Delete([]byte(old.(*Communique).Slug)); err != nil {
			return err
		}
	}
	v.Revision++ // saved as a revision once stamped (putRevision)
	return ix.Put([]byte(v.Slug), itob(v.ID))
}

func (v *Communique) deleteIndexes(tx *bolt.Tx) error {
	if err := index(tx, "slug").Delete([]byte(v.Slug)); err != nil {
		return err
	}
	c := tx.Bucket([]byte("revisions")).Cursor()
	prefix := itob(v.ID)
	for k, _ := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

func (v *Communique) checkDelete(tx *bolt.Tx) error {
	if v.frozen() {
		return Errorf(ECONFLICT, "Ce communiqué a été publié\u00a0: il ne peut pas être supprimé (retirez-le de la salle de presse).")
	}
	return nil
}

// putRevision implements reviser: every save of a communiqué is kept as a revision.
func (v *Communique) putRevision(tx *bolt.Tx) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte("revisions")).Put(pairKey(v.ID, uint64(v.Revision)), data)
}

// Revisions returns every saved version of a communiqué, oldest first. Returns ENOTFOUND.
func (s *Store) Revisions(id uint64) ([]Communique, error) {
	out := []Communique{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if !exists(tx, "communiques", id) {
			return notFound("communiques", id)
		}
		c := tx.Bucket([]byte("revisions")).Cursor()
		prefix := string(itob(id))
		for k, data := c.Seek(itob(id)); k != nil && strings.HasPrefix(string(k), prefix); k, data = c.Next() {
			var rev Communique
			if err := json.Unmarshal(data, &rev); err != nil {
				return err
			}
			out = append(out, rev)
		}
		return nil
	})
	return out, err
}

// CommuniqueBySlug returns the communiqué with that slug, or ENOTFOUND.
func (s *Store) CommuniqueBySlug(slug string) (*Communique, error) {
	v := &Communique{}
	err := s.db.View(func(tx *bolt.Tx) error {
		id := index(tx, "slug").Get([]byte(slug))
		if id == nil {
			return Errorf(ENOTFOUND, "Aucun communiqué à cette adresse.")
		}
		return load(tx, btoi(id), v)
	})
	return v, err
}

// ApproveCommunique records a co-signing pôle's approval; the communiqué becomes approved
// once every co-signer has approved. Returns ENOTFOUND, EINVALID (not a co-signer) or
// ECONFLICT (a quote not approved by its speaker, a missing record, already published).
func (s *Store) ApproveCommunique(actor string, id, poleID uint64) (*Communique, error) {
	return s.RecordApproval(actor, id, Approval{PoleID: poleID})
}

// RecordApproval is ApproveCommunique saying how the pôle approved (a.Via, a.Approver);
// the account, the time and the revision approved are filled in. Via must be "",
// ApprovalAsMember, ApprovalByEmail or ApprovalInPerson; an approval on the pôle's behalf
// names its Approver.
func (s *Store) RecordApproval(actor string, id uint64, a Approval) (*Communique, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	poleID := a.PoleID
	v := &Communique{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, v); err != nil {
			return err
		}
		if v.frozen() {
			return Errorf(ECONFLICT, "Ce communiqué a déjà été publié.")
		}
		if !containsID(v.PoleIDs, poleID) {
			return &Error{Code: EINVALID, Message: "Seuls les pôles signataires approuvent ce communiqué.",
				Fields: []FieldError{{Field: "pole_id", Message: fmt.Sprintf("le pôle n°\u00a0%d n’est pas signataire", poleID)}}}
		}
		if err := checkPublishable(tx, v); err != nil {
			return err
		}
		now := s.Now().UTC()
		if !v.approvedBy(poleID) {
			a.By, a.At, a.Revision = actor, now, v.Revision
			v.Approvals = append(v.Approvals, a)
		}
		if v.allApproved() {
			v.Status = CommuniqueApproved
		}
		if err := put(tx, v, now, actor); err != nil {
			return err
		}
		return auditDetail(tx, now, actor, "approve", v.Bucket(), id, fmt.Sprintf("pôle n°\u00a0%d", poleID))
	})
	return v, err
}

// PublishCommunique makes an approved communiqué public (the newsroom still honours its
// embargo). Returns ENOTFOUND or ECONFLICT naming what is missing.
func (s *Store) PublishCommunique(actor string, id uint64) (*Communique, error) {
	v := &Communique{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, v); err != nil {
			return err
		}
		if v.Status == CommuniquePublished {
			return nil
		}
		if v.Status == CommuniqueWithdrawn {
			return Errorf(ECONFLICT, "Ce communiqué a été retiré\u00a0: il ne peut pas être publié de nouveau. Rédigez un nouveau communiqué (rectificatif).")
		}
		if err := checkPublishable(tx, v); err != nil {
			return err
		}
		if v.Status != CommuniqueApproved {
			return Errorf(ECONFLICT, "Ce communiqué attend encore l’approbation de\u00a0: %s.", strings.Join(missingApprovals(tx, v), ", "))
		}
		now := s.Now().UTC()
		v.Status, v.PublishedAt = CommuniquePublished, &now
		tx.OnCommit(func() { s.published.gen.Add(1) })
		if err := put(tx, v, now, actor); err != nil {
			return err
		}
		if err := putSnapshot(tx, v); err != nil {
			return err
		}
		return audit(tx, now, actor, "publish", v.Bucket(), id)
	})
	return v, err
}

// checkPublishable refuses a communiqué whose references are gone, whose spokespeople's
// quotes are not approved by their speakers or whose statements were withdrawn.
func checkPublishable(tx *bolt.Tx, v *Communique) error {
	if err := v.checkRefs(tx); err != nil {
		return err
	}
	for i, qid := range v.QuoteIDs {
		q := &Quote{}
		if err := load(tx, qid, q); err != nil {
			return err
		}
		if q.IsStatement() && q.Status == QuoteWithdrawn {
			return &Error{Code: ECONFLICT,
				Message: fmt.Sprintf("La déclaration n°\u00a0%d (%s) a été retirée.", qid, q.Speaker),
				Fields:  []FieldError{{Field: fmt.Sprintf("quote_ids[%d]", i), Message: "déclaration retirée"}}}
		}
		if !q.IsStatement() && q.Status != QuoteApproved {
			person := &Person{}
			_ = load(tx, q.PersonID, person)
			return &Error{Code: ECONFLICT,
				Message: fmt.Sprintf("La citation n°\u00a0%d de %s n’est pas approuvée par son auteur (statut\u00a0: %s).", qid, person.Name, StatusLabel(q.Bucket(), q.Status)),
				Fields:  []FieldError{{Field: fmt.Sprintf("quote_ids[%d]", i), Message: "citation non approuvée"}}}
		}
	}
	return nil
}

// check refuses an unknown way of approving, or an approval on a pôle's behalf that does
// not say who gave it.
func (a *Approval) check() error {
	var p Problems
	a.Approver = strings.TrimSpace(a.Approver)
	switch a.Via {
	case "", ApprovalAsMember:
		a.Approver = ""
	case ApprovalByEmail, ApprovalInPerson:
		if a.Approver == "" {
			p.Add("approver", "indiquez qui a donné l’accord du pôle")
		}
		p.line("approver", &a.Approver, false, 200)
	default:
		p.Add("via", "choisissez comment le pôle a donné son accord")
	}
	return p.Err()
}

func (v *Communique) approvedBy(poleID uint64) bool { return containsApproval(v.Approvals, poleID) }

func (v *Communique) allApproved() bool {
	for _, id := range v.PoleIDs {
		if !v.approvedBy(id) {
			return false
		}
	}
	return true
}

func missingApprovals(tx *bolt.Tx, v *Communique) []string {
	var names []string
	for _, id := range v.PoleIDs {
		if !v.approvedBy(id) {
			p := &Pole{}
			_ = load(tx, id, p)
			names = append(names, p.Name)
		}
	}
	return names
}

func containsID(ids []uint64, id uint64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// SpokenQuote is a quote with its speaker and the speaker's pôle.
type SpokenQuote struct {
	Quote  Quote
	Person Person
	Pole   Pole
}

// PoleContact is a press contact with the pôle it speaks for (zero Pole when none).
type PoleContact struct {
	Contact Contact
	Pole    Pole
}

// Logo is an uploaded pôle logo.
type Logo struct {
	Data []byte
	Type string
}

// Bundle is a communiqué with every record it refers to, read in one transaction, in the
// communiqué's order: what composition needs.
type Bundle struct {
	Communique   Communique
	Poles        []Pole
	Logos        map[uint64]Logo
	Measures     []Measure
	Quotes       []SpokenQuote
	Boilerplates []Boilerplate
	Contacts     []PoleContact
}

// CommuniqueBundle loads a communiqué and its records. A published communiqué comes back
// exactly as it was published, whatever happened to its records since. A reference to a
// deleted record is an EINVALID error naming the field; ENOTFOUND when the communiqué itself
// is missing.
func (s *Store) CommuniqueBundle(id uint64) (*Bundle, error) {
	b := &Bundle{Logos: map[uint64]Logo{}}
	err := s.db.View(func(tx *bolt.Tx) error { return communiqueBundle(tx, id, b) })
	return b, err
}

// DraftBundle is CommuniqueBundle for a communiqué as being written, not stored: the live
// preview of the staff pages composes it exactly as the PDF of the saved one. A reference
// to a missing record is an EINVALID error naming the field.
func (s *Store) DraftBundle(c Communique) (*Bundle, error) {
	b := &Bundle{Communique: c, Logos: map[uint64]Logo{}}
	err := s.db.View(func(tx *bolt.Tx) error { return b.fill(tx) })
	return b, err
}

func communiqueBundle(tx *bolt.Tx, id uint64, b *Bundle) error {
	if err := load(tx, id, &b.Communique); err != nil {
		return err
	}
	if data := tx.Bucket([]byte("published")).Get(itob(id)); data != nil {
		return json.Unmarshal(data, b)
	}
	return b.fill(tx)
}

// putSnapshot freezes what a communiqué shows at publication: journalists and the newsroom
// must see the published words even if a quote or a contact is edited or deleted later.
func putSnapshot(tx *bolt.Tx, v *Communique) error {
	return putBundle(tx, "published", v.ID, v)
}

// putBundle stores c with its records, as they are now, under key in bucket.
func putBundle(tx *bolt.Tx, bucket string, key uint64, c *Communique) error {
	b := &Bundle{Communique: *c, Logos: map[uint64]Logo{}}
	if err := b.fill(tx); err != nil {
		return err
	}
	data, err := json.Marshal(b)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte(bucket)).Put(itob(key), data)
}

func (b *Bundle) fill(tx *bolt.Tx) error {
	c := &b.Communique
	if err := c.checkRefs(tx); err != nil {
		return err
	}
	logos := tx.Bucket([]byte("logos"))
	for _, id := range c.PoleIDs {
		p := Pole{}
		_ = load(tx, id, &p)
		b.Poles = append(b.Poles, p)
		if data := logos.Get(itob(id)); data != nil {
			b.Logos[id] = Logo{Data: append([]byte(nil), data...), Type: p.LogoType}
		}
	}
	for _, id := range c.MeasureIDs {
		m := Measure{}
		_ = load(tx, id, &m)
		b.Measures = append(b.Measures, m)
	}
	for _, id := range c.QuoteIDs {
		sq := SpokenQuote{}
		_ = load(tx, id, &sq.Quote)
		_ = load(tx, sq.Quote.PersonID, &sq.Person)
		_ = load(tx, sq.Person.PoleID, &sq.Pole)
		b.Quotes = append(b.Quotes, sq)
	}
	for _, id := range c.BoilerplateIDs {
		bp := Boilerplate{}
		_ = load(tx, id, &bp)
		b.Boilerplates = append(b.Boilerplates, bp)
	}
	for _, id := range c.ContactIDs {
		pc := PoleContact{}
		_ = load(tx, id, &pc.Contact)
		if pc.Contact.PoleID != 0 {
			_ = load(tx, pc.Contact.PoleID, &pc.Pole)
		}
		b.Contacts = append(b.Contacts, pc)
	}
	return nil
}
