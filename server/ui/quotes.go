package ui

import (
	"cmp"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
	"portevoix/templates/typo"
)

var quoteLabels = map[string]string{
	storage.QuoteDraft: "brouillon", storage.QuotePending: "à faire valider",
	storage.QuoteApproved: "approuvée", storage.QuoteWithdrawn: "retirée",
}

var approvalLabels = map[string]string{storage.ApprovalByEmail: "par courriel", storage.ApprovalInPerson: "de vive voix"}

func (u *UI) quoteEditor() *editor[storage.Quote, *storage.Quote] {
	return &editor[storage.Quote, *storage.Quote]{
		u: u, path: "/app/quotes", section: "quotes", formPage: "quote_form",
		newTitle: "Nouvelle citation", editing: "Modifier la citation",
		values: func(q *storage.Quote) url.Values {
			return url.Values{"kind": {cmp.Or(q.Kind, storage.QuoteSpokesperson)}, "person_id": {idString(q.PersonID)}, "text": {q.Text}, "date": {q.Date},
				"tags": {joinWords(q.Tags)}, "source": {q.Source}, "status": {q.Status},
				"speaker": {q.Speaker}, "speaker_title": {q.SpeakerTitle}, "source_url": {q.SourceURL}}
		},
		record:  recordQuote,
		choices: func() (any, error) { return u.quoteChoices("Choisir…") },
		name:    func(q *storage.Quote) string { return "la citation «\u202f" + typo.Excerpt(q.Text, 60) + "\u202f»" },
		created: "Citation enregistrée.", updated: "Citation modifiée.", deleted: "Citation supprimée.",
	}
}

// recordQuote fills a quote from its form. The form holds the fields of both kinds (the
// script only hides those of the other kind): only the chosen kind's are kept.
func recordQuote(f *Form, q *storage.Quote) {
	q.Kind, q.Text, q.Date, q.Tags, q.Source = f.Get("kind"), f.Values.Get("text"), f.Get("date"), f.Words("tags"), f.Get("source")
	q.PersonID, q.Speaker, q.SpeakerTitle, q.SourceURL = f.ID("person_id"), "", "", ""
	if q.Kind == storage.QuoteStatement {
		q.PersonID, q.Speaker, q.SpeakerTitle, q.SourceURL = 0, f.Get("speaker"), f.Get("speaker_title"), f.Get("source_url")
	}
	if status := f.Get("status"); status != storage.QuoteApproved { // approval is its own action
		q.Status = status
	}
}

// quoteChoices are the speakers and statuses a quote's form offers.
type quoteChoices struct {
	People   []Option
	Statuses []Option
	Poles    []Option
	Kinds    []Option // the listing's filter
}

func (u *UI) quoteChoices(none string) (quoteChoices, error) {
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		return quoteChoices{}, err
	}
	people, err := u.personOptions(none, poleLabels(poles))
	return quoteChoices{People: people, Poles: poleChoices(poles, "Tous les pôles"), Statuses: []Option{
		{storage.QuoteDraft, "Brouillon"}, {storage.QuotePending, "À faire valider par son auteur"}, {storage.QuoteWithdrawn, "Retirée"},
	}}, err
}

func (u *UI) routeQuotes(g *gin.RouterGroup) {
	g.GET("/quotes", u.quotes)
	u.quoteEditor().route(g)
	canWrite := u.require(storage.RoleEditor)
	g.GET("/quotes/:id/approve", canWrite, u.approveForm)
	g.POST("/quotes/:id/approve", canWrite, u.approveQuote)
}

// quoteItem is a quote as the pages list it.
type quoteItem struct {
	ID      uint64
	Text    string
	Excerpt string
	Speaker string
	Pole    string
	// A public statement's speaker is outside the pôles: Speaker is then the quote's own,
	// with the title and the source it is quoted from.
	Statement    bool
	SpeakerTitle string
	Source       string
	SourceURL    string
	Date         string
	Tags         string
	Status       string
	Label        string
	Approval     string // how, when and by whom the approval was recorded
}

// quotesPage is the quote bank, filtered.
type quotesPage struct {
	Filter  *Form
	Choices quoteChoices
	Quotes  []quoteItem
	Next    string
}

func (u *UI) quotes(c *gin.Context) {
	filter := newForm(c.Request.URL.Query())
	choices, err := u.quoteChoices("Toutes les personnes")
	if err != nil {
		u.fail(c, err)
		return
	}
	choices.Statuses = append([]Option{{"", "Tous les statuts"}, {storage.QuoteApproved, "Approuvée"}}, choices.Statuses...)
	choices.Kinds = []Option{{"", "Citations et déclarations"}, {storage.QuoteSpokesperson, "Citations de porte-parole"}, {storage.QuoteStatement, "Déclarations publiques"}}
	keep, err := u.quoteFilter(filter)
	if err != nil {
		u.fail(c, err)
		return
	}
	found, err := storage.Find[storage.Quote](u.Store, storage.ListOptions{Limit: 50, Cursor: filter.Get("cursor")}, keep)
	if err != nil {
		u.fail(c, err)
		return
	}
	items, err := u.quoteItems(found.Items)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := quotesPage{Filter: filter, Choices: choices, Quotes: items}
	if found.Next != "" {
		next := filter.Values
		next.Set("cursor", found.Next)
		p.Next = "/app/quotes?" + next.Encode()
	}
	u.render(c, http.StatusOK, "quotes", page{Title: "Citations", Section: "quotes", Data: p})
}

// quoteFilter is the storage filter of the listing's form, plus the speaker's pôle.
func (u *UI) quoteFilter(f *Form) (func(*storage.Quote) bool, error) {
	match := storage.QuoteFilter{PersonID: f.ID("person_id"), Status: f.Get("status"), Tag: f.Get("tag"), Kind: f.Get("kind")}.Match
	poleID := f.ID("pole_id")
	if poleID == 0 {
		return match, nil
	}
	people, err := all[storage.Person](u.Store, func(p *storage.Person) bool { return p.PoleID == poleID })
	if err != nil {
		return nil, err
	}
	speakers := map[uint64]bool{}
	for _, p := range people {
		speakers[p.ID] = true
	}
	return func(q *storage.Quote) bool { return speakers[q.PersonID] && match(q) }, nil
}

// quoteItems describes quotes with their speakers' names and pôles.
func (u *UI) quoteItems(quotes []storage.Quote) ([]quoteItem, error) {
	people, err := all[storage.Person](u.Store, nil)
	if err != nil {
		return nil, err
	}
	poleNames, err := u.poleNames()
	if err != nil {
		return nil, err
	}
	byID := map[uint64]storage.Person{}
	for _, p := range people {
		byID[p.ID] = p
	}
	items := make([]quoteItem, 0, len(quotes))
	for _, q := range quotes {
		speaker := byID[q.PersonID]
		item := quoteItem{ID: q.ID, Text: q.Text, Excerpt: typo.Excerpt(q.Text, 90), Speaker: speaker.Name, Pole: poleNames[speaker.PoleID],
			Date: frenchDate(q.Date), Tags: joinWords(q.Tags), Status: q.Status, Label: quoteLabels[q.Status], Approval: approval(&q)}
		if q.IsStatement() {
			item.Statement, item.Speaker, item.SpeakerTitle, item.Source, item.SourceURL = true, q.Speaker, q.SpeakerTitle, q.Source, q.SourceURL
			if q.Status == storage.QuoteDraft {
				item.Label = "sans validation" // a statement is quoted from its source, approved by nobody
			}
		}
		items = append(items, item)
	}
	return items, nil
}

// approval says how an approved quote was approved: "de vive voix, enregistrée par x le …".
func approval(q *storage.Quote) string {
	if q.Status != storage.QuoteApproved || q.ApprovedAt == nil {
		return ""
	}
	recorded := "enregistré par " + q.ApprovedBy + " le " + frenchTime(q.ApprovedAt)
	if how := approvalLabels[q.ApprovedVia]; how != "" {
		return "Accord donné " + how + ", " + recorded
	}
	return "Accord " + recorded
}

// approvePage asks how the speaker approved the quote.
type approvePage struct {
	Quote quoteItem
	Form  *Form
}

func (u *UI) approveForm(c *gin.Context) {
	u.showApprove(c, http.StatusOK, newForm(nil))
}

func (u *UI) showApprove(c *gin.Context, status int, form *Form) {
	q, err := storage.Get[storage.Quote](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	if q.IsStatement() {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "Une déclaration publique ne s’approuve pas : elle est citée telle que sa source l’a publiée."))
		return
	}
	items, err := u.quoteItems([]storage.Quote{*q})
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, status, "quote_approve", page{Title: "Enregistrer l’accord de l’auteur", Section: "quotes", Data: approvePage{Quote: items[0], Form: form}})
}

func (u *UI) approveQuote(c *gin.Context) {
	form := newForm(postForm(c))
	via := form.Get("approved_via")
	if via == "" {
		form.Summary = "Indiquez comment l’auteur a donné son accord."
		form.Errors["approved_via"] = "choisissez «\u202fpar courriel\u202f» ou «\u202fde vive voix\u202f»"
		u.showApprove(c, http.StatusUnprocessableEntity, form)
		return
	}
	q, err := u.Store.ApproveQuote(actor(c), id(c), via)
	if form.Invalid(err) {
		u.showApprove(c, server.StatusOf(err), form)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Accord enregistré\u00a0: la citation est approuvée ("+approvalLabels[q.ApprovedVia]+").")
	redirect(c, "/app/quotes")
}
