package templates

import (
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"portevoix/storage"
	"portevoix/templates/typo"
)

// view is what a communiqué template sees: the records, grouped the way documents show
// them. Strings are raw user text; the template passes each through a function below.
type view struct {
	Communique   storage.Communique
	Poles        []storage.Pole
	Axes         []axis
	Quotes       []QuoteWithSpeaker
	Boilerplates []storage.Boilerplate
	Contacts     []contactGroup
	Signatories  []signatory
}

// axis is a champ d'action: the measures sharing one Measure.Axis, numbered from 1.
type axis struct {
	Number   int
	Name     string
	Measures []storage.Measure
}

// contactGroup is the press contacts of one pôle (or, without a pôle, one organisation).
type contactGroup struct {
	Heading  string // "Atlanpole Biotherapies (Pays de la Loire)"
	Contacts []ContactWithPole
}

// signatory is one signature under a tribune: a person of a pôle, or a pôle alone.
type signatory struct {
	Name, Title, Pole string
}

func newView(in Input) view {
	return view{
		Communique:   in.Communique,
		Poles:        in.Poles,
		Axes:         groupAxes(in.Measures),
		Quotes:       in.Quotes,
		Boilerplates: in.Boilerplates,
		Contacts:     groupContacts(in.Contacts),
		Signatories:  signatories(in.Poles, in.Quotes),
	}
}

// groupAxes groups measures by axis, axes in the order they first appear, measures in
// their given order.
func groupAxes(measures []storage.Measure) []axis {
	var axes []axis
	index := make(map[string]int)
	for _, m := range measures {
		key := strings.TrimSpace(m.Axis)
		i, ok := index[key]
		if !ok {
			i = len(axes)
			index[key] = i
			axes = append(axes, axis{Number: i + 1, Name: key})
		}
		axes[i].Measures = append(axes[i].Measures, m)
	}
	return axes
}

// groupContacts groups contacts by pôle (or organisation when they have no pôle), in the
// order the groups first appear.
func groupContacts(contacts []ContactWithPole) []contactGroup {
	var groups []contactGroup
	index := make(map[string]int)
	for _, c := range contacts {
		key, heading := contactHeading(c)
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, contactGroup{Heading: heading})
		}
		groups[i].Contacts = append(groups[i].Contacts, c)
	}
	return groups
}

// contactHeading returns a grouping key and the heading of a contact's group: the pôle
// and its regions, else the organisation and the contact's regions.
func contactHeading(c ContactWithPole) (key, heading string) {
	name, regions := c.Pole.Name, c.Pole.Regions
	key = fmt.Sprintf("pole:%d", c.Pole.ID)
	if c.Pole.ID == 0 {
		name, regions = c.Contact.Organization, c.Contact.Regions
		key = "org:" + name
		if name == "" {
			name = "Autres contacts"
		}
	}
	if len(regions) > 0 {
		heading = name + " (" + frenchList(regions) + ")"
	} else {
		heading = name
	}
	return key, heading
}

// frenchList joins items as French does: "a", "a et b", "a, b et c".
func frenchList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " et " + items[len(items)-1]
}

// signatories lists the spokespeople of the quotes, once each, then the co-signing pôles
// that have no speaker among them.
func signatories(poles []storage.Pole, quotes []QuoteWithSpeaker) []signatory {
	var out []signatory
	seen := make(map[uint64]bool)
	represented := make(map[uint64]bool)
	for _, q := range quotes {
		if q.Quote.IsStatement() || seen[q.Person.ID] {
			// The author of a public statement quoted by the pôles signs nothing of theirs.
			continue
		}
		seen[q.Person.ID] = true
		represented[q.Pole.ID] = true
		out = append(out, speaker(q))
	}
	for _, p := range poles {
		if !represented[p.ID] {
			out = append(out, signatory{Pole: p.Name})
		}
	}
	return out
}

// templateFuncs turn raw user text into escaped, typographed Markdown.
var templateFuncs = template.FuncMap{
	"inline":     inline,
	"paragraphs": paragraphs,
	"markdown":   typo.Markdown,
	"quote":      quote,
	"contact":    contact,
	"speaker":    speaker,
	"statement":  statement,
	"source":     source,
}

// statement reports whether q is a public statement, quoted from its source.
func statement(q QuoteWithSpeaker) bool { return q.Quote.IsStatement() }

// source is a public statement's attribution in Markdown: who said it, where, when, and
// the link to the source: "Déclaration d’**Agnès Pannier-Runacher**, ministre déléguée
// chargée de l’Industrie, lors du bilan…, le 7 octobre 2020, https://…".
func source(q QuoteWithSpeaker) string {
	st := q.Quote
	parts := []string{"Déclaration " + elidedDe(st.Speaker) + "**" + inline(st.Speaker) + "**"}
	for _, v := range []string{st.SpeakerTitle, st.Source} {
		if t := inline(v); t != "" {
			parts = append(parts, t)
		}
	}
	if day, err := time.ParseInLocation(time.DateOnly, st.Date, typo.Paris()); err == nil {
		parts = append(parts, "le "+typo.Date(day))
	}
	if u := strings.TrimSpace(st.SourceURL); u != "" {
		// The address itself is the link's text, so that a printed copy keeps it; the same
		// bytes both sides, so that plain text shows it once.
		dest := webDestination(u)
		parts = append(parts, "["+escapeInline(dest)+"]("+dest+")")
	}
	return strings.Join(parts, ", ")
}

// elidedDe is "de " before a name, "d’" before one that starts with a vowel sound
// (« d’Agnès », « d’Olivier »); an initial h is left alone, aspirated or not.
func elidedDe(name string) string {
	first, _ := utf8.DecodeRuneInString(strings.ToLower(strings.TrimSpace(name)))
	if strings.ContainsRune("aàâäeéèêëiîïoôöuùûüyœæ", first) {
		return "d’"
	}
	return "de "
}

// webDestination is a Markdown link destination for a web address, with every byte that
// could end or alter the destination percent-encoded.
func webDestination(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c >= 0x7f || strings.IndexByte("<>()\\`\"", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// speaker is the signature of a quote: its speaker's name and title, and pôle.
func speaker(q QuoteWithSpeaker) signatory {
	return signatory{Name: q.Person.Name, Title: q.Person.Title, Pole: q.Pole.Name}
}

// inline is one line of user text, typographed then escaped.
func inline(s string) string {
	return escapeInline(typo.Text(s))
}

// paragraphs is multi-paragraph plain user text (paragraphs separated by blank lines).
func paragraphs(s string) string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = inline(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

// quote is a quote's text in « guillemets », without the guillemets the user may have
// typed around it.
func quote(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(s, "«"), "\""))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "»"), "\""))
	return "«\u202F" + inline(s) + "\u202F»"
}

// contact is a press contact's paragraph: name (and agency), email link, phone, one per
// line with hard line breaks. The organisation is left out when the group's heading
// already names it.
func contact(c ContactWithPole) string {
	name := strings.TrimSpace(c.Contact.FirstName + " " + c.Contact.LastName)
	if org := c.Contact.Organization; org != "" && c.Pole.ID != 0 && org != c.Pole.Name {
		name = strings.TrimPrefix(name+", "+org, ", ")
	}
	lines := []string{inline(name)}
	if email := strings.TrimSpace(c.Contact.Email); email != "" {
		lines = append(lines, "["+escapeInline(email)+"]("+mailto(email)+")")
	}
	if phone := inline(c.Contact.Phone); phone != "" {
		lines = append(lines, phone)
	}
	return strings.Join(lines, "\\\n")
}

// mailto is a Markdown link destination for an email address, with every byte that
// could end or alter the destination percent-encoded.
func mailto(email string) string {
	var b strings.Builder
	b.WriteString("mailto:")
	for i := 0; i < len(email); i++ {
		c := email[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("@.-_+", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
