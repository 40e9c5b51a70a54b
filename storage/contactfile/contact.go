package contactfile

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"portevoix/storage"
	"portevoix/storage/region"
)

// Field length limits, in characters. 320 is the longest address RFC 3696
// allows (64 + 1 + 255).
const (
	maxEmail    = 320
	maxName     = 200
	maxText     = 200
	maxPhone    = 50
	maxLanguage = 35
	maxItem     = 100 // one region or tag
	maxItems    = 50  // regions or tags on one contact
)

// draft is the raw text of one contact, cells already trimmed and unprotected,
// before validation.
type draft struct {
	firstName, lastName string
	fullName            string
	reversed            bool // fullName reads "Nom Prénom"
	email, phone        string
	organization, kind  string
	regions, tags       string // lists separated by , ; | or " ::: "
	language, source    string
	lawfulBasis         string
	optedOut, bounced   string
	// The address gives the region when regions is empty and the country is
	// France or blank: its region if one of ours (a state, a département name
	// are not), else its département or postal code.
	addressRegion string // regions separated by ","
	postalCode    string
	departement   string
	country       string
}

// validator turns drafts into contacts, collecting the errors of one row.
type validator struct {
	line  int
	errs  []RowError
	spare []string // room for the regions and tags of the coming rows
}

// spareChunk is the size of the chunks lists are carved from; it exceeds
// maxItems so that any list fits in one chunk.
const spareChunk = 1024

func (v *validator) add(field, value, message string) {
	v.errs = append(v.errs, RowError{Line: v.line, Field: field, Value: display(value), Message: message})
}

// contact validates d. It returns the contact and whether the row is valid;
// the problems are appended to v.errs.
func (v *validator) contact(d *draft) (storage.Contact, bool) {
	n := len(v.errs)
	first, last := d.firstName, d.lastName
	if first == "" && last == "" && d.fullName != "" {
		if hasControl(d.fullName) {
			last = d.fullName // refused below; splitting would turn a line break into a space
		} else {
			first, last = splitFullName(d.fullName, d.reversed)
		}
	}
	c := storage.Contact{
		FirstName:    v.text("first_name", first, maxName),
		LastName:     v.text("last_name", last, maxName),
		Email:        v.email(trimMailto(firstValue(d.email))),
		Phone:        v.phone(firstValue(d.phone)),
		Organization: v.text("organization", firstValue(d.organization), maxText),
		Kind:         v.kind(d.kind),
		Regions:      v.regions(d),
		Tags:         v.list("tags", d.tags),
		Language:     v.language(d.language),
		Source:       v.text("source", d.source, maxText),
		LawfulBasis:  v.text("lawful_basis", d.lawfulBasis, maxText),
		OptedOut:     v.yesNo("opted_out", d.optedOut),
		Bounced:      v.yesNo("bounced", d.bounced),
	}
	return c, len(v.errs) == n
}

// text checks a free-text value: no control characters, at most max runes.
func (v *validator) text(field, s string, max int) string {
	if s == "" {
		return ""
	}
	if hasControl(s) {
		v.add(field, s, "retour à la ligne ou caractère de contrôle interdit")
		return ""
	}
	if len(s) > max {
		if n := utf8.RuneCountInString(s); n > max {
			v.add(field, s, fmt.Sprintf("%d caractères au plus (%d saisis)", max, n))
			return ""
		}
	}
	return s
}

func (v *validator) email(s string) string {
	if s == "" {
		v.add("email", "", "ligne sans adresse e-mail")
		return ""
	}
	if s = v.text("email", s, maxEmail); s == "" {
		return ""
	}
	if why := storage.EmailProblem(s); why != "" {
		v.add("email", s, why)
		return ""
	}
	return s
}

// phone checks a phone number and undoes what Excel does to French numbers
// stored as numbers: the leading 0 dropped ("612345678"), or worse, scientific
// notation ("3,36123E+10"), which has lost digits for good.
func (v *validator) phone(s string) string {
	if s = v.text("phone", s, maxPhone); s == "" {
		return ""
	}
	digits := strings.Trim(s, "0123456789") == ""
	switch {
	case len(s) == 9 && digits && s[0] != '0':
		return "0" + s
	case s[0] >= '0' && s[0] <= '9' && (strings.Contains(s, "E+") || strings.Contains(s, "e+")):
		v.add("phone", s, "numéro abîmé par Excel (notation scientifique)\u00a0: mettez la colonne au format Texte, corrigez-la et exportez de nouveau")
		return ""
	}
	return s
}

// kindAliases maps folded kind names, French or English, to storage kinds.
var kindAliases = map[string]string{
	"journalist": storage.KindJournalist, "journalists": storage.KindJournalist,
	"journaliste": storage.KindJournalist, "journalistes": storage.KindJournalist,
	"pigiste": storage.KindJournalist, "redacteur": storage.KindJournalist,
	"redactrice": storage.KindJournalist, "reporter": storage.KindJournalist,
	"pressofficer": storage.KindPressOfficer, "attachedepresse": storage.KindPressOfficer,
	"attacheedepresse": storage.KindPressOfficer, "attacheepresse": storage.KindPressOfficer,
	"chargedecommunication": storage.KindPressOfficer, "chargeedecommunication": storage.KindPressOfficer,
	"chargedecom": storage.KindPressOfficer, "chargeedecom": storage.KindPressOfficer,
	"relationspresse": storage.KindPressOfficer, "responsablecommunication": storage.KindPressOfficer,
	"agency": storage.KindAgency, "agence": storage.KindAgency, "agencerp": storage.KindAgency,
	"agencedepresse": storage.KindAgency, "agencedecommunication": storage.KindAgency,
	"other": storage.KindOther, "autre": storage.KindOther, "autres": storage.KindOther,
}

// kindPrefixes are the keys of kindAliases, longest first, to read qualified
// kinds such as "Journaliste pigiste" or "Attachée de presse (pôle)".
var kindPrefixes = func() []string {
	keys := slices.Collect(maps.Keys(kindAliases))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return keys
}()

func (v *validator) kind(s string) string {
	if s == "" {
		return storage.KindJournalist
	}
	var buf [64]byte
	key := appendFold(buf[:0], s)
	if k, ok := kindAliases[string(key)]; ok {
		return k
	}
	folded := string(key)
	for _, p := range kindPrefixes {
		if strings.HasPrefix(folded, p) {
			return kindAliases[p]
		}
	}
	v.add("kind", s, "type inconnu\u00a0: "+quote(display(s))+" (journaliste, attaché de presse, agence ou autre)")
	return ""
}

// list splits a multi-valued cell, drops blanks and repeats (ignoring case) and
// Google's system labels ("* myContacts", "* starred").
func (v *validator) list(field, s string) []string {
	// Room for maxItems items of maxItem characters, each escaped (escapeList) and separated.
	if s == "" || v.text(field, s, maxItems*(2*maxItem+3)) == "" {
		return nil
	}
	start := len(v.spare)
	for rest := s; rest != ""; {
		item, tail := cutList(rest)
		rest = tail
		item = strings.TrimSpace(item)
		if item == "" || item[0] == '*' {
			continue
		}
		if item = unescapeList(item); containsFold(v.spare[start:], item) {
			continue
		}
		problem := ""
		if n := utf8.RuneCountInString(item); n > maxItem {
			problem = fmt.Sprintf("%d caractères au plus par valeur (%d saisis)", maxItem, n)
		} else if len(v.spare)-start == maxItems {
			problem, item = fmt.Sprintf("%d valeurs au plus", maxItems), s
		}
		if problem != "" {
			v.add(field, item, problem)
			v.spare = v.spare[:start]
			return nil
		}
		start = v.push(start, item)
	}
	if len(v.spare) == start {
		return nil
	}
	end := len(v.spare)
	return v.spare[start:end:end] // capped: appending to one list never touches the next
}

// regions reads the regions cell into canonical region names, refusing the row
// for an unknown one. Without regions, the address gives one (derivedRegion).
func (v *validator) regions(d *draft) []string {
	if d.regions == "" {
		return derivedRegion(d)
	}
	items := v.list("regions", d.regions)
	out := items[:0]
	for _, item := range items {
		name, ok := region.Canonical(item)
		if !ok {
			v.add("regions", item, storage.UnknownRegion(display(item)))
			return nil
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// frenchCountries are the folded country names under which a postal code or
// département is French: overseas regions are often written as the country.
var frenchCountries = map[string]bool{
	"france": true, "fr": true, "fra": true, "republiquefrancaise": true, "francemetropolitaine": true,
	"guadeloupe": true, "martinique": true, "guyane": true, "guyanefrancaise": true,
	"reunion": true, "lareunion": true, "mayotte": true,
}

// derivedRegion is the region of the draft's address (see draft); nil when it
// names no French region (a foreign address, a blank, a US state).
func derivedRegion(d *draft) []string {
	var buf [64]byte
	if d.country != "" && !frenchCountries[string(appendFold(buf[:0], d.country))] {
		return nil // a foreign postal code would give a French département
	}
	var out []string
	for rest := d.addressRegion; rest != ""; {
		var r string
		r, rest, _ = strings.Cut(rest, ",")
		if name, ok := region.Canonical(r); ok && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if out != nil {
		return out
	}
	if name, ok := region.FromDepartement(d.departement); ok {
		return []string{name}
	}
	if name, ok := region.FromPostalCode(d.postalCode); ok {
		return []string{name}
	}
	return nil
}

// push appends item to the list being built at v.spare[start:], moving the
// list to a fresh chunk when the current one is full, and returns its start.
// Sharing chunks between rows saves an allocation per list.
func (v *validator) push(start int, item string) int {
	if len(v.spare) == cap(v.spare) {
		chunk := make([]string, 0, spareChunk)
		v.spare = append(chunk, v.spare[start:]...)
		start = 0
	}
	v.spare = append(v.spare, item)
	return start
}

// cutList splits s at the first list separator: , ; | or ":::". A backslash
// escapes a separator (see escapeList); item keeps its escapes, for unescapeList.
func cutList(s string) (item, rest string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && isListEscape(s[i+1]):
			i++ // an escaped character belongs to the item
		case c == ',' || c == ';' || c == '|':
			return s[:i], s[i+1:]
		case c == ':' && strings.HasPrefix(s[i:], ":::"):
			return s[:i], s[i+3:]
		}
	}
	return s, ""
}

// isListEscape reports the characters escapeList escapes: the separators, the
// backslash itself, and the "*" that starts Google's system labels.
func isListEscape(c byte) bool {
	return c == ',' || c == ';' || c == '|' || c == ':' || c == '\\' || c == '*'
}

// escapeList escapes in a list item what cutList would take for a separator
// or a system label, so that the item survives a round trip whole.
func escapeList(item string) string {
	if !needsEscape(item) {
		return item
	}
	var b strings.Builder
	writeEscaped(&b, item)
	return b.String()
}

func needsEscape(item string) bool {
	for i := range len(item) {
		if escapedAt(item, i) {
			return true
		}
	}
	return false
}

// escapedAt reports whether escapeList puts a backslash before item[i].
func escapedAt(item string, i int) bool {
	switch item[i] {
	case ',', ';', '|', '\\':
		return true
	case '*':
		return i == 0
	case ':':
		return strings.HasPrefix(item[i:], ":::")
	}
	return false
}

// writeEscaped writes item to b with the escapes of escapeList.
func writeEscaped(b *strings.Builder, item string) {
	for i := range len(item) {
		if escapedAt(item, i) {
			b.WriteByte('\\')
		}
		b.WriteByte(item[i])
	}
}

// unescapeList undoes escapeList. A backslash before any other character is
// kept: "C\dossier" stays as typed.
func unescapeList(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isListEscape(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func containsFold(items []string, s string) bool {
	for _, it := range items {
		if strings.EqualFold(it, s) {
			return true
		}
	}
	return false
}

// languageAliases maps folded language names to ISO 639-1 codes.
var languageAliases = map[string]string{
	"fr": "fr", "francais": "fr", "french": "fr", "fra": "fr", "fre": "fr",
	"en": "en", "anglais": "en", "english": "en", "eng": "en",
	"de": "de", "allemand": "de", "german": "de", "deutsch": "de",
	"es": "es", "espagnol": "es", "spanish": "es", "espanol": "es",
	"it": "it", "italien": "it", "italian": "it", "italiano": "it",
	"nl": "nl", "neerlandais": "nl", "dutch": "nl",
	"pt": "pt", "portugais": "pt", "portuguese": "pt",
}

// language returns the ISO code of a known language, else the text as typed.
func (v *validator) language(s string) string {
	if s == "" {
		return ""
	}
	var buf [64]byte
	if code, ok := languageAliases[string(appendFold(buf[:0], s))]; ok {
		return code
	}
	return v.text("language", s, maxLanguage)
}

// yesNoValues maps folded yes/no answers, and the words of the opt-out and
// bounce columns that mean yes.
var yesNoValues = map[string]bool{
	"oui": true, "o": true, "yes": true, "y": true, "true": true, "vrai": true, "1": true, "x": true,
	"desinscrit": true, "desinscrite": true, "optedout": true, "unsubscribed": true,
	"rejete": true, "rejetee": true, "enechec": true, "bounced": true, "npai": true,
	"non": false, "n": false, "no": false, "false": false, "faux": false, "0": false,
}

// yesNo reads a yes/no cell; blank is no.
func (v *validator) yesNo(field, s string) bool {
	if s == "" {
		return false
	}
	var buf [64]byte
	yes, ok := yesNoValues[string(appendFold(buf[:0], s))]
	if !ok {
		v.add(field, s, "valeur inattendue\u00a0: "+quote(display(s))+" (oui ou non)")
	}
	return yes
}

// hasControl reports C0 and C1 control characters (CR, LF and tab included),
// DEL, and the Unicode line and paragraph separators.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c-0x20 < 0x7f-0x20 { // printable ASCII, the common case: one comparison
			continue
		}
		switch {
		case c < 0x20 || c == 0x7f:
			return true
		case c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f:
			return true
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9):
			return true
		}
	}
	return false
}

// display shortens a value for an error report and blanks its control
// characters, so that a message stays on one line.
func display(s string) string {
	const max = 80
	if len(s) > max {
		if n := utf8.RuneCountInString(s); n > max {
			s = string([]rune(s)[:max]) + "…"
		}
	}
	if !hasControl(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
