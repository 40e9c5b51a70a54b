package storage

import (
	"fmt"
	"net/url"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Bucket implements Record.
func (*Pole) Bucket() string { return "poles" }

// Validate implements Record.
func (v *Pole) Validate() error {
	var p Problems
	p.line("name", &v.Name, true, 200)
	p.line("short_name", &v.ShortName, false, 60)
	p.regions("regions", &v.Regions)
	p.line("website", &v.Website, false, 300)
	p.text("description", &v.Description, false, 5000)
	return p.Err()
}

func (v *Pole) keep(old Record) { v.LogoType = old.(*Pole).LogoType }

func (v *Pole) checkDelete(tx *bolt.Tx) error {
	if hasPrefix(index(tx, "person_pole"), itob(v.ID)) {
		return Errorf(ECONFLICT, "Ce pôle a encore des porte-parole\u00a0: supprimez-les ou rattachez-les à un autre pôle d’abord.")
	}
	return nil
}

func (v *Pole) deleteIndexes(tx *bolt.Tx) error { return tx.Bucket([]byte("logos")).Delete(itob(v.ID)) }

func (v *Pole) putIndexes(*bolt.Tx, Record) error { return nil }

// Bucket implements Record.
func (*Person) Bucket() string { return "people" }

// Validate implements Record.
func (v *Person) Validate() error {
	var p Problems
	p.line("name", &v.Name, true, 200)
	p.line("title", &v.Title, false, 200)
	if v.PoleID == 0 {
		p.Add("pole_id", "champ obligatoire")
	}
	return p.Err()
}

func (v *Person) checkRefs(tx *bolt.Tx) error {
	var p Problems
	missingRef(tx, &p, "pole_id", "poles", v.PoleID)
	return p.Err()
}

func (v *Person) putIndexes(tx *bolt.Tx, old Record) error {
	ix := index(tx, "person_pole")
	if old != nil {
		if err := ix.Delete(pairKey(old.(*Person).PoleID, v.ID)); err != nil {
			return err
		}
	}
	return ix.Put(pairKey(v.PoleID, v.ID), nil)
}

func (v *Person) deleteIndexes(tx *bolt.Tx) error {
	return index(tx, "person_pole").Delete(pairKey(v.PoleID, v.ID))
}

func (v *Person) checkDelete(tx *bolt.Tx) error {
	if hasPrefix(index(tx, "quote_person"), itob(v.ID)) {
		return Errorf(ECONFLICT, "Cette personne a encore des citations\u00a0: supprimez-les d’abord.")
	}
	return nil
}

// Bucket implements Record.
func (*Quote) Bucket() string { return "quotes" }

// Validate implements Record. A new quote starts as a draft, a spokesperson's unless
// its kind says otherwise.
func (v *Quote) Validate() error {
	var p Problems
	if v.Kind == "" {
		v.Kind = QuoteSpokesperson
	}
	p.oneOf("kind", v.Kind, QuoteSpokesperson, QuoteStatement)
	p.text("text", &v.Text, true, 3000)
	p.date("date", &v.Date, v.IsStatement())
	p.words("tags", &v.Tags)
	p.line("source", &v.Source, v.IsStatement(), 300)
	p.line("speaker", &v.Speaker, v.IsStatement(), 200)
	p.line("speaker_title", &v.SpeakerTitle, false, 300)
	p.line("source_url", &v.SourceURL, v.IsStatement(), 500)
	if v.Status == "" {
		v.Status = QuoteDraft
	}
	switch v.Kind {
	case QuoteStatement:
		v.validateStatement(&p)
	case QuoteSpokesperson:
		v.validateSpokesperson(&p)
	}
	return p.Err()
}

// validateSpokesperson: a spokesperson's quote names a person of a pôle and goes through
// approval.
func (v *Quote) validateSpokesperson(p *Problems) {
	if v.PersonID == 0 {
		p.Add("person_id", "champ obligatoire")
	}
	for _, f := range []struct{ field, value string }{{"speaker", v.Speaker}, {"speaker_title", v.SpeakerTitle}, {"source_url", v.SourceURL}} {
		if f.value != "" {
			p.Add(f.field, "réservé aux déclarations publiques (kind «\u202fstatement\u202f»)\u00a0: l’auteur d’une citation est son porte-parole")
		}
	}
	p.oneOf("status", v.Status, QuoteDraft, QuotePending, QuoteApproved, QuoteWithdrawn)
}

// validateStatement: a public statement is said by someone outside the pôles, needs no
// approval, and must say where it comes from.
func (v *Quote) validateStatement(p *Problems) {
	if v.PersonID != 0 {
		p.Add("person_id", "une déclaration publique est d’une personne extérieure aux pôles\u00a0: renseignez speaker, pas person_id")
	}
	if v.SourceURL != "" && !isWebURL(v.SourceURL) {
		p.Add("source_url", "adresse web complète attendue (https://…)")
	}
	p.oneOf("status", v.Status, QuoteDraft, QuoteWithdrawn)
}

// isWebURL reports whether s is an absolute http or https URL with a host.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t")
}

func (v *Quote) checkRefs(tx *bolt.Tx) error {
	var p Problems
	missingRef(tx, &p, "person_id", "people", v.PersonID)
	return p.Err()
}

func (v *Quote) checkCreate() error {
	var p Problems
	if v.Status == QuoteApproved {
		p.Add("status", "une citation s’approuve une fois enregistrée, par son action «\u202fapprouver\u202f»")
	}
	return p.Err()
}

// keep: approval is recorded only by Approve; editing an approved quote's words or speaker
// sends it back to pending, since the speaker approved other words.
func (v *Quote) keep(old Record) {
	o := old.(*Quote)
	v.ApprovedBy, v.ApprovedAt, v.ApprovedVia = o.ApprovedBy, o.ApprovedAt, o.ApprovedVia
	if v.Status == QuoteApproved && o.Status != QuoteApproved {
		v.Status = o.Status
	}
	if o.Status == QuoteApproved && (v.Text != o.Text || v.PersonID != o.PersonID) {
		v.Status, v.ApprovedBy, v.ApprovedAt, v.ApprovedVia = QuotePending, "", nil, ""
	}
}

// putIndexes indexes a spokesperson's quote under its person; a statement has none.
func (v *Quote) putIndexes(tx *bolt.Tx, old Record) error {
	ix := index(tx, "quote_person")
	if old != nil {
		if err := ix.Delete(pairKey(old.(*Quote).PersonID, v.ID)); err != nil {
			return err
		}
	}
	if v.PersonID == 0 {
		return nil
	}
	return ix.Put(pairKey(v.PersonID, v.ID), nil)
}

func (v *Quote) deleteIndexes(tx *bolt.Tx) error {
	return index(tx, "quote_person").Delete(pairKey(v.PersonID, v.ID))
}

// Bucket implements Record.
func (*Measure) Bucket() string { return "measures" }

// Validate implements Record.
func (v *Measure) Validate() error {
	var p Problems
	p.text("axis", &v.Axis, true, 500)
	p.text("text", &v.Text, true, 3000)
	p.line("title", &v.Title, false, 200)
	p.words("tags", &v.Tags)
	if v.Rank < 0 {
		p.Add("rank", "doit être positif ou nul")
	}
	return p.Err()
}

// Bucket implements Record.
func (*Boilerplate) Bucket() string { return "boilerplates" }

// Validate implements Record.
func (v *Boilerplate) Validate() error {
	var p Problems
	p.line("title", &v.Title, true, 200)
	p.text("text", &v.Text, true, 10000)
	return p.Err()
}

// Bucket implements Record.
func (*List) Bucket() string { return "lists" }

// Validate implements Record.
func (v *List) Validate() error {
	var p Problems
	p.line("name", &v.Name, true, 200)
	p.regions("regions", &v.Regions)
	p.words("tags", &v.Tags)
	p.words("kinds", &v.Kinds)
	for _, k := range v.Kinds {
		p.oneOf("kinds", k, KindJournalist, KindPressOfficer, KindAgency, KindOther)
	}
	v.MemberIDs = uniqueIDs(v.MemberIDs)
	return p.Err()
}

func (v *List) checkRefs(tx *bolt.Tx) error {
	var p Problems
	for i, id := range v.MemberIDs {
		missingRef(tx, &p, fmt.Sprintf("member_ids[%d]", i), "contacts", id)
	}
	return p.Err()
}

// hasPrefix reports whether an index bucket holds a key starting with prefix.
func hasPrefix(b *bolt.Bucket, prefix []byte) bool {
	k, _ := b.Cursor().Seek(prefix)
	return k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix)
}
