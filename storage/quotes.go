package storage

import bolt "go.etcd.io/bbolt"

// ApproveQuote records that the speaker approved the quote, how (via: ApprovalByEmail,
// ApprovalInPerson or "" when not said), and who recorded it when. Returns ENOTFOUND,
// EINVALID for another via, or ECONFLICT for a withdrawn quote or a public statement.
func (s *Store) ApproveQuote(actor string, id uint64, via string) (*Quote, error) {
	var p Problems
	p.oneOf("approved_via", via, "", ApprovalByEmail, ApprovalInPerson)
	if err := p.Err(); err != nil {
		return nil, err
	}
	q := &Quote{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, q); err != nil {
			return err
		}
		if q.Status == QuoteWithdrawn {
			return Errorf(ECONFLICT, "Cette citation a été retirée\u00a0: elle ne peut plus être approuvée.")
		}
		if q.IsStatement() {
			return Errorf(ECONFLICT, "Une déclaration publique ne s’approuve pas\u00a0: elle est citée d’après sa source, sans l’accord de son auteur.")
		}
		now := s.Now().UTC()
		q.Status, q.ApprovedBy, q.ApprovedAt, q.ApprovedVia = QuoteApproved, actor, &now, via
		if err := put(tx, q, now, actor); err != nil {
			return err
		}
		return audit(tx, now, actor, "approve", q.Bucket(), id)
	})
	return q, err
}

// QuoteFilter selects quotes in listings.
type QuoteFilter struct {
	PersonID uint64
	Status   string
	Tag      string
	Kind     string // QuoteSpokesperson or QuoteStatement
}

// Match reports whether q passes every non-empty criterion.
func (f QuoteFilter) Match(q *Quote) bool {
	return (f.PersonID == 0 || q.PersonID == f.PersonID) &&
		(f.Kind == "" || f.Kind == q.Kind || f.Kind == QuoteSpokesperson && q.Kind == "") &&
		(f.Status == "" || q.Status == f.Status) &&
		(f.Tag == "" || containsFold(q.Tags, f.Tag))
}
