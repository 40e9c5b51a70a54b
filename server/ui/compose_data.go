package ui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"portevoix/storage"
	"portevoix/templates/typo"
)

// composePage is the composing page: the form, what it picks from, the approvals.
type composePage struct {
	ID        uint64
	Version   uint64
	Status    string
	Label     string
	Slug      string
	CanEdit   bool
	Form      *Form
	Templates []Option
	Poles     []choice
	Measures  picker
	Quotes    picker
	Extras    []choice // boilerplates
	Contacts  []choice
	Approvals []approvalRow
	Saved     string // « Enregistré à 15 h 04 »
	Revision  int
	PublicURL string
	Withdrawn string // when and why, for a withdrawn communiqué
}

// choice is one checkbox: a record that may be picked.
type choice struct {
	ID      uint64
	Label   string
	Detail  string
	Checked bool
}

// picker is an ordered choice: the picked records in their order, then the others
// grouped (measures by axis, quotes approved first).
type picker struct {
	Field   string // "measure_ids"
	ID      string // the section's id, "measures"
	Heading string
	Noun    string // "mesure"
	Error   string
	Picked  []pickItem
	Groups  []pickGroup
}

type pickGroup struct {
	Label string
	Items []pickItem
}

// pickItem is a record offered by a picker.
type pickItem struct {
	Field   string // the form field, "measure_ids"
	ID      uint64
	Label   string
	Detail  string
	Blocked string // why it blocks approval (a quote its speaker has not approved), or ""
	First   bool
	Last    bool
}

// approvalRow is one co-signer's approval, given or awaited.
type approvalRow struct {
	PoleID   uint64
	Pole     string
	Given    string // « par courriel (Jeanne Roux), enregistré par … le … », "" when awaited
	Past     string // the earlier approval an edit cleared, same wording
	Revision int    // the revision of the past approval, to compare with now
}

func (u *UI) composeData(v *storage.Communique, form *Form) (*composePage, error) {
	d := &composePage{ID: v.ID, Version: v.Version, Status: v.Status, Label: storage.StatusLabel(v.Bucket(), v.Status),
		Slug: v.Slug, Form: form, Templates: templateOptions(), Saved: typo.Clock(v.UpdatedAt), Revision: v.Revision}
	if form.Get(versionField) == "" {
		form.setVersion(v)
	}
	if v.Status == storage.CommuniquePublished {
		d.PublicURL = u.publicURL(v)
	}
	if v.WithdrawnAt != nil {
		d.Withdrawn = "Retiré le " + frenchTime(v.WithdrawnAt) + " par " + v.WithdrawnBy + "\u00a0: " + v.WithdrawalReason
	}
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		return nil, err
	}
	d.Poles = choices(form, "pole_ids", sortedBy(poles, func(p *storage.Pole) string { return p.Name }),
		func(p *storage.Pole) (uint64, string, string) { return p.ID, p.Name, strings.Join(p.Regions, ", ") })
	d.Approvals = approvalRows(v, poleLabels(poles))
	if d.Measures, err = u.measurePicker(form); err != nil {
		return nil, err
	}
	if d.Quotes, err = u.quotePicker(form); err != nil {
		return nil, err
	}
	extras, err := all[storage.Boilerplate](u.Store, nil)
	if err != nil {
		return nil, err
	}
	d.Extras = choices(form, "boilerplate_ids", extras, func(b *storage.Boilerplate) (uint64, string, string) { return b.ID, b.Title, "" })
	contacts, err := all[storage.Contact](u.Store, func(c *storage.Contact) bool {
		return c.Kind == storage.KindPressOfficer || slices.Contains(form.Values["contact_ids"], idString(c.ID))
	})
	if err != nil {
		return nil, err
	}
	poleNames := poleLabels(poles)
	d.Contacts = choices(form, "contact_ids", contacts, func(c *storage.Contact) (uint64, string, string) {
		return c.ID, strings.TrimSpace(c.FirstName + " " + c.LastName), strings.Trim(poleNames[c.PoleID]+" · "+c.Email, " ·")
	})
	return d, nil
}

// choices lists records as checkboxes, checked when the form holds their id.
func choices[T any](f *Form, field string, list []T, describe func(*T) (uint64, string, string)) []choice {
	out := make([]choice, 0, len(list))
	for i := range list {
		id, label, detail := describe(&list[i])
		out = append(out, choice{ID: id, Label: label, Detail: detail, Checked: slices.Contains(f.Values[field], idString(id))})
	}
	return out
}

// pick splits items into the picked ones, in the form's order, and the others.
func pick(f *Form, field string, items []pickItem) (picked []pickItem, rest []pickItem) {
	byID := map[string]pickItem{}
	for _, it := range items {
		byID[idString(it.ID)] = it
	}
	for _, id := range f.Values[field] {
		if it, ok := byID[id]; ok {
			picked = append(picked, it)
			delete(byID, id)
		}
	}
	for i := range picked {
		picked[i].First, picked[i].Last, picked[i].Field = i == 0, i == len(picked)-1, field
	}
	for _, it := range items {
		if _, ok := byID[idString(it.ID)]; ok {
			rest = append(rest, it)
		}
	}
	return picked, rest
}

// measurePicker offers the measures by axis, in their order.
func (u *UI) measurePicker(f *Form) (picker, error) {
	groups, err := u.measureGroups()
	if err != nil {
		return picker{}, err
	}
	var items []pickItem
	axisOf := map[uint64]string{}
	for _, g := range groups {
		for _, m := range g.Measures {
			items = append(items, pickItem{ID: m.ID, Label: cmp.Or(m.Title, typo.Excerpt(m.Text, 80)), Detail: g.Axis})
			axisOf[m.ID] = g.Axis
		}
	}
	p := picker{Field: "measure_ids", ID: "measures", Heading: "Mesures", Noun: "mesure", Error: f.Errors["measure_ids"]}
	var rest []pickItem
	p.Picked, rest = pick(f, p.Field, items)
	for _, it := range rest {
		if n := len(p.Groups); n == 0 || p.Groups[n-1].Label != axisOf[it.ID] {
			p.Groups = append(p.Groups, pickGroup{Label: axisOf[it.ID]})
		}
		g := &p.Groups[len(p.Groups)-1]
		g.Items = append(g.Items, it)
	}
	return p, nil
}

// quotePicker offers the quotes, approved ones first; one its speaker has not approved
// says that it blocks the communiqué's approval.
func (u *UI) quotePicker(f *Form) (picker, error) {
	quotes, err := all[storage.Quote](u.Store, func(q *storage.Quote) bool {
		return q.Status != storage.QuoteWithdrawn || slices.Contains(f.Values["quote_ids"], idString(q.ID))
	})
	if err != nil {
		return picker{}, err
	}
	described, err := u.quoteItems(quotes)
	if err != nil {
		return picker{}, err
	}
	var approved, others []pickItem
	for i, q := range described {
		it := pickItem{ID: q.ID, Label: "«\u202f" + q.Excerpt + "\u202f»", Detail: strings.Trim(cmp.Or(q.Speaker, quotes[i].Speaker)+", "+q.Pole, ", ")}
		if quotes[i].IsStatement() || q.Status == storage.QuoteApproved {
			approved = append(approved, it)
			continue
		}
		it.Blocked = "non approuvée par son auteur (" + q.Label + ")\u00a0: bloque l’approbation"
		others = append(others, it)
	}
	p := picker{Field: "quote_ids", ID: "quotes", Heading: "Citations", Noun: "citation", Error: f.Errors["quote_ids"]}
	var rest []pickItem
	p.Picked, rest = pick(f, p.Field, append(approved, others...))
	var ok, blocked []pickItem
	for _, it := range rest {
		if it.Blocked == "" {
			ok = append(ok, it)
		} else {
			blocked = append(blocked, it)
		}
	}
	for _, g := range []pickGroup{{"Approuvées", ok}, {"À faire valider", blocked}} {
		if len(g.Items) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	return p, nil
}

var approvalVia = map[string]string{storage.ApprovalAsMember: "par un membre du pôle", storage.ApprovalByEmail: "par courriel",
	storage.ApprovalInPerson: "de vive voix", "": "par l’API"}

// approvalRows lists each co-signer's approval, given or awaited, with the approval an
// edit cleared.
func approvalRows(v *storage.Communique, poles map[uint64]string) []approvalRow {
	var rows []approvalRow
	for _, id := range v.PoleIDs {
		row := approvalRow{PoleID: id, Pole: poles[id]}
		for _, a := range v.Approvals {
			if a.PoleID == id {
				row.Given = approvalText(a)
			}
		}
		for _, a := range v.PastApprovals {
			if a.PoleID == id && row.Given == "" {
				row.Past, row.Revision = approvalText(a), a.Revision
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// approvalText says how, by whom and when: « par courriel (Jeanne Roux), enregistré par
// claire@example.org le 12 mai 2020 à 9 h 30 ».
func approvalText(a storage.Approval) string {
	how := approvalVia[a.Via]
	if a.Approver != "" {
		how += " (" + a.Approver + ")"
	}
	return how + ", enregistré par " + a.By + " le " + frenchTime(a.At) + ", révision " + strconv.Itoa(a.Revision)
}
