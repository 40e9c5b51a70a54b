package ui

import (
	"cmp"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/templates/diff"
	"portevoix/templates/typo"
)

// revisionsPage lists a communiqué's revisions and compares two of them word by word.
type revisionsPage struct {
	ID        uint64
	Title     string
	Revisions []revisionItem
	From, To  int
	Changes   []fieldChange
}

type revisionItem struct {
	Number int
	At     string
	By     string
}

// fieldChange is one field that differs between two revisions, as HTML with <ins> and <del>.
type fieldChange struct {
	Label string
	HTML  template.HTML
}

func (u *UI) revisions(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	revs, err := u.Store.Revisions(v.ID)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := revisionsPage{ID: v.ID, Title: v.Title}
	for i := len(revs) - 1; i >= 0; i-- {
		p.Revisions = append(p.Revisions, revisionItem{Number: revs[i].Revision, At: frenchTime(revs[i].UpdatedAt), By: revs[i].UpdatedBy})
	}
	last := v.Revision
	p.To = clampRevision(c.Query("to"), last, last)
	p.From = clampRevision(c.Query("from"), last, max(p.To-1, 1))
	if p.Changes, err = u.compareRevisions(revs, p.From, p.To); err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "revisions", page{Title: "Révisions — " + v.Title, Section: "communiques", Data: p})
}

// clampRevision reads a revision number between 1 and last, def when absent or wrong.
func clampRevision(s string, last, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > last {
		return def
	}
	return n
}

// compareRevisions lists the fields that differ between the revisions numbered from and to.
func (u *UI) compareRevisions(revs []storage.Communique, from, to int) ([]fieldChange, error) {
	a, b := numbered(revs, from), numbered(revs, to)
	if a == nil || b == nil {
		return nil, nil
	}
	n, err := u.recordNames()
	if err != nil {
		return nil, err
	}
	old, cur := n.fields(a), n.fields(b)
	var out []fieldChange
	for i := range cur {
		if chunks := diff.Words(old[i].text, cur[i].text); diff.Changed(chunks) {
			out = append(out, fieldChange{Label: cur[i].label, HTML: diffHTML(chunks)})
		}
	}
	return out, nil
}

func numbered(revs []storage.Communique, n int) *storage.Communique {
	for i := range revs {
		if revs[i].Revision == n {
			return &revs[i]
		}
	}
	return nil
}

// recordNames names the records a communiqué refers to, for comparing its revisions.
type recordNames struct {
	poles, measures, quotes, extras, contacts map[uint64]string
}

func (u *UI) recordNames() (*recordNames, error) {
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		return nil, err
	}
	measures, err := all[storage.Measure](u.Store, nil)
	if err != nil {
		return nil, err
	}
	quotes, err := all[storage.Quote](u.Store, nil)
	if err != nil {
		return nil, err
	}
	extras, err := all[storage.Boilerplate](u.Store, nil)
	if err != nil {
		return nil, err
	}
	contacts, err := all[storage.Contact](u.Store, func(c *storage.Contact) bool { return c.Kind == storage.KindPressOfficer })
	if err != nil {
		return nil, err
	}
	return &recordNames{
		poles:    names(poles, func(p *storage.Pole) uint64 { return p.ID }, func(p *storage.Pole) string { return p.Name }),
		measures: names(measures, func(m *storage.Measure) uint64 { return m.ID }, func(m *storage.Measure) string { return cmp.Or(m.Title, m.Text) }),
		quotes:   names(quotes, func(q *storage.Quote) uint64 { return q.ID }, func(q *storage.Quote) string { return "«\u202f" + q.Text + "\u202f»" }),
		extras:   names(extras, func(b *storage.Boilerplate) uint64 { return b.ID }, func(b *storage.Boilerplate) string { return b.Title }),
		contacts: names(contacts, func(c *storage.Contact) uint64 { return c.ID }, func(c *storage.Contact) string { return c.FirstName + " " + c.LastName }),
	}, nil
}

type labelledText struct{ label, text string }

// fields is a revision as texts to compare, in the order of the form.
func (n *recordNames) fields(v *storage.Communique) []labelledText {
	embargo := ""
	if v.EmbargoUntil != nil {
		embargo = typo.Embargo(*v.EmbargoUntil)
	}
	list := func(ids []uint64, names map[uint64]string) string {
		lines := make([]string, 0, len(ids))
		for _, id := range ids {
			lines = append(lines, cmp.Or(names[id], "n°\u00a0"+idString(id)))
		}
		return strings.Join(lines, "\n")
	}
	return []labelledText{{"Titre", v.Title}, {"Sous-titre", v.Subtitle}, {"Lieu", v.Place}, {"Date", frenchDate(v.Date)},
		{"Embargo", embargo}, {"Chapeau", v.Lede}, {"Texte", v.Body}, {"Pôles signataires", list(v.PoleIDs, n.poles)},
		{"Mesures", list(v.MeasureIDs, n.measures)}, {"Citations", list(v.QuoteIDs, n.quotes)},
		{"Textes «\u202fÀ propos\u202f»", list(v.BoilerplateIDs, n.extras)}, {"Contacts presse", list(v.ContactIDs, n.contacts)},
		{"Modèle", v.Template}}
}

// diffHTML writes chunks as HTML: insertions in <ins>, deletions in <del>, each also
// announced in words to screen readers; line breaks kept.
func diffHTML(chunks []diff.Chunk) template.HTML {
	var b strings.Builder
	for i, ch := range chunks {
		if i > 0 {
			b.WriteByte(' ')
		}
		text := strings.ReplaceAll(template.HTMLEscapeString(ch.Text), "\n", "<br>")
		switch ch.Kind {
		case diff.Insert:
			b.WriteString(`<ins><span class="sr">[ajouté&nbsp;: </span>` + text + `<span class="sr">]</span></ins>`)
		case diff.Delete:
			b.WriteString(`<del><span class="sr">[supprimé&nbsp;: </span>` + text + `<span class="sr">]</span></del>`)
		default:
			b.WriteString(text)
		}
	}
	return template.HTML(b.String()) // every text was escaped above
}
