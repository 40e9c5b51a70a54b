package contactfile

import (
	"strings"

	"github.com/emersion/go-vcard"
)

// readVCards reads every card of a vCard file into res. Cards are cut out by
// their BEGIN/END lines first, so that each row knows its starting line and a
// broken card does not stop the others.
func readVCards(text string, res *Result) {
	seen := map[string]int{}
	start, startLine := -1, 0
	for pos, line := 0, 1; pos < len(text); line++ {
		next := len(text)
		if i := strings.IndexByte(text[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		t := strings.TrimSpace(text[pos:next])
		switch {
		case strings.EqualFold(t, "BEGIN:VCARD"):
			if start >= 0 {
				res.Errors = append(res.Errors, RowError{Line: startLine, Message: "fiche vCard sans END:VCARD"})
			}
			start, startLine = pos, line
		case strings.EqualFold(t, "END:VCARD") && start >= 0:
			readCard(text[start:next], startLine, res, seen)
			start = -1
		}
		pos = next
		if res.tooManyErrors(line) {
			start = -1 // the open card, if any, is not reported past the limit
			break
		}
	}
	if start >= 0 {
		res.Errors = append(res.Errors, RowError{Line: startLine, Message: "fiche vCard sans END:VCARD"})
	}
	res.dropDuplicates()
}

// unfolder joins folded vCard lines (RFC 6350 §3.2). go-vcard unfolds too, but
// by repeated string concatenation, quadratic in the number of folded lines.
var unfolder = strings.NewReplacer("\r\n ", "", "\r\n\t", "", "\n ", "", "\n\t", "")

// readCard decodes one BEGIN…END block starting on line.
func readCard(block string, line int, res *Result, seen map[string]int) {
	card, err := vcard.NewDecoder(strings.NewReader(legacyCard(unfolder.Replace(block)))).Decode()
	if err != nil {
		res.Errors = append(res.Errors, RowError{Line: line, Message: "fiche vCard illisible"})
		return
	}
	d := cardDraft(card)
	v := validator{line: line, errs: res.Errors}
	c, ok := v.contact(&d)
	res.Errors = v.errs
	if ok {
		res.addRow(line, c, seen)
	}
}

// cardDraft maps vCard properties to a draft: N (or FN), EMAIL, TEL, ORG,
// CATEGORIES as tags, the address of ADR for the regions (see draft), LANG.
// NOTE and the rest are ignored.
func cardDraft(card vcard.Card) draft {
	d := draft{
		fullName:     strings.TrimSpace(card.PreferredValue(vcard.FieldFormattedName)),
		email:        strings.TrimSpace(card.PreferredValue(vcard.FieldEmail)),
		phone:        strings.TrimSpace(strings.TrimPrefix(card.PreferredValue(vcard.FieldTelephone), "tel:")),
		organization: strings.TrimSpace(firstComponent(card.PreferredValue(vcard.FieldOrganization))),
		tags:         strings.Join(card.Values(vcard.FieldCategories), ","),
		language:     strings.TrimSpace(card.PreferredValue(vcard.FieldLanguage)),
	}
	if n := card.Name(); n != nil {
		d.firstName = strings.TrimSpace(n.GivenName)
		d.lastName = strings.TrimSpace(n.FamilyName)
	}
	if isOrganization(card) {
		// A newsroom's card: its FN is the outlet's name, not a person's.
		if d.organization == "" {
			d.organization = d.fullName
		}
		d.fullName = ""
	}
	var regions []string
	for _, a := range card.Addresses() {
		regions = append(regions, a.Region)
		if d.postalCode == "" {
			d.postalCode, d.country = strings.TrimSpace(a.PostalCode), strings.TrimSpace(a.Country)
		}
	}
	d.addressRegion = strings.Join(regions, ",")
	return d
}

// isOrganization reports a card for an organisation rather than a person:
// KIND:org (vCard 4) or Apple's X-ABShowAs:COMPANY.
func isOrganization(card vcard.Card) bool {
	return card.Kind() == vcard.KindOrganization || strings.EqualFold(card.Value("X-ABSHOWAS"), "COMPANY")
}

// firstComponent returns the organisation name of an ORG value
// ("Le Monde;Service santé" → "Le Monde").
func firstComponent(s string) string {
	name, _, _ := strings.Cut(s, ";")
	return name
}
