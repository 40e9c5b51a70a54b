package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

func (u *UI) routeCampaigns(g *gin.RouterGroup) {
	canWrite := u.require(storage.RoleEditor)
	g.GET("/campaigns", u.campaigns)
	g.GET("/campaigns/new", canWrite, u.newCampaign)
	g.GET("/campaigns/count", u.countCampaignRecipients)
	g.POST("/campaigns", canWrite, u.createCampaign)
	g.GET("/campaigns/:id", u.campaign)
	g.GET("/campaigns/:id/edit", canWrite, u.editCampaign)
	g.POST("/campaigns/:id", canWrite, u.updateCampaign)
	g.GET("/campaigns/:id/message.html", u.campaignMessage)
	g.POST("/campaigns/:id/test", canWrite, u.testCampaign)
	g.GET("/campaigns/:id/send", canWrite, u.confirmSend)
	g.POST("/campaigns/:id/start", canWrite, u.startCampaign)
	g.POST("/campaigns/:id/pause", canWrite, u.campaignAction(u.Store.PauseCampaign, "Envoi mis en pause."))
	g.POST("/campaigns/:id/resume", canWrite, u.campaignAction(u.Store.StartCampaign, "Envoi repris."))
	g.GET("/campaigns/:id/cancel", canWrite, u.confirmCancel)
	g.POST("/campaigns/:id/cancel", canWrite, u.campaignAction(u.Store.CancelCampaign, "Envoi annulé\u00a0: les messages pas encore partis ne partiront pas."))
	g.GET("/campaigns/:id/events", u.campaignEvents)
	g.GET("/campaigns/:id/report", u.campaignReport)
	g.GET("/campaigns/:id/report.csv", u.campaignReportCSV)
	g.POST("/campaigns/:id/retry", canWrite, u.retryCampaign)
}

var greetingOptions = []Option{
	{storage.GreetingName, "«\u202fBonjour Prénom,\u202f» («\u202fMadame, Monsieur,\u202f» quand le prénom est inconnu)"},
	{storage.GreetingFormal, "«\u202fMadame, Monsieur,\u202f»"},
	{storage.GreetingNone, "Aucune formule (le texte d’accompagnement ouvre le message)"},
}

func greetingLabel(how string) string {
	for _, o := range greetingOptions {
		if o.Value == how {
			return o.Label
		}
	}
	return ""
}

// campaignRow is one send in the list of sends.
type campaignRow struct {
	ID         uint64
	Subject    string
	Communique string
	Status     string
	Label      string
	When       string
	Progress   progress
}

type campaignsPage struct {
	Campaigns  []campaignRow
	Sendable   []storage.Communique // communiqués that can be sent: the « Diffuser » entries
	Communique map[uint64]string
}

func (u *UI) campaigns(c *gin.Context) {
	list, err := all[storage.Campaign](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	communiques, err := all[storage.Communique](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	titles := names(communiques, func(v *storage.Communique) uint64 { return v.ID }, func(v *storage.Communique) string { return v.Title })
	var p campaignsPage
	for _, v := range slices.Backward(list) {
		pr, err := u.progress(&v)
		if err != nil {
			u.fail(c, err)
			return
		}
		p.Campaigns = append(p.Campaigns, campaignRow{ID: v.ID, Subject: v.Subject, Communique: titles[v.CommuniqueID],
			Status: v.Status, Label: campaignLabels[v.Status], When: campaignWhen(&v), Progress: pr})
	}
	for _, v := range slices.Backward(communiques) {
		if v.Status == storage.CommuniquePublished || v.Status == storage.CommuniqueApproved {
			p.Sendable = append(p.Sendable, v)
		}
	}
	u.render(c, http.StatusOK, "campaigns", page{Title: "Envois", Section: "campaigns", Data: p})
}

// campaignWhen says when a send left, will leave, or finished.
func campaignWhen(v *storage.Campaign) string {
	switch {
	case v.FinishedAt != nil:
		return "terminé le " + frenchTime(v.FinishedAt)
	case v.StartedAt != nil:
		return "parti le " + frenchTime(v.StartedAt)
	case v.ScheduledAt != nil:
		return "prévu le " + frenchTime(v.ScheduledAt)
	}
	return "pas encore envoyé"
}

// listChoice is a list to tick, with its number of recipients.
type listChoice struct {
	ID         uint64
	Name       string
	Recipients int
}

// campaignForm is the data of the form that prepares a send.
type campaignForm struct {
	Form       *Form
	Action     string
	Cancel     string
	Communique *storage.Communique
	Lists      []listChoice
	Total      int // recipients of the ticked lists, each address once
	Greetings  []Option
}

func (u *UI) newCampaign(c *gin.Context) {
	form := newForm(url.Values{"communique_id": {c.Query("communique")}, "greeting": {storage.GreetingName}})
	if v, err := storage.Get[storage.Communique](u.Store, form.ID("communique_id")); err == nil {
		form.Values.Set("subject", v.Title)
	}
	u.showCampaignForm(c, http.StatusOK, form, 0)
}

func (u *UI) editCampaign(c *gin.Context) {
	v, ok := u.loadCampaign(c)
	if !ok {
		return
	}
	form := newForm(url.Values{"communique_id": {idString(v.CommuniqueID)}, "subject": {v.Subject}, "pitch": {v.Pitch}, "greeting": {v.Greeting}})
	for _, l := range v.ListIDs {
		form.Values.Add("list_ids", idString(l))
	}
	u.showCampaignForm(c, http.StatusOK, form, v.ID)
}

func (u *UI) showCampaignForm(c *gin.Context, status int, form *Form, campaignID uint64) {
	communique, err := storage.Get[storage.Communique](u.Store, form.ID("communique_id"))
	if err != nil {
		u.fail(c, storage.Errorf(storage.ENOTFOUND, "Choisissez d’abord le communiqué à diffuser, depuis la liste des envois."))
		return
	}
	p := campaignForm{Form: form, Action: "/app/campaigns", Cancel: "/app/campaigns", Communique: communique, Greetings: greetingOptions}
	if campaignID != 0 {
		p.Action, p.Cancel = "/app/campaigns/"+idString(campaignID), "/app/campaigns/"+idString(campaignID)
	}
	lists, err := all[storage.List](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	for _, l := range sortedBy(lists, func(l *storage.List) string { return l.Name }) {
		item, err := u.listItem(&l)
		if err != nil {
			u.fail(c, err)
			return
		}
		p.Lists = append(p.Lists, listChoice{ID: l.ID, Name: l.Name, Recipients: item.Recipients})
	}
	if p.Total, err = u.Store.CountListsRecipients(formIDs(form, "list_ids")); err != nil && storage.ErrorCode(err) != storage.ENOTFOUND {
		u.fail(c, err)
		return
	}
	title := "Diffuser «\u202f" + communique.Title + "\u202f»"
	u.render(c, status, "campaign_form", page{Title: title, Section: "campaigns", Data: p})
}

// fillCampaign copies the form into a campaign.
func fillCampaign(f *Form, v *storage.Campaign) {
	v.CommuniqueID, v.ListIDs = f.ID("communique_id"), formIDs(f, "list_ids")
	v.Subject, v.Pitch, v.Greeting = f.Get("subject"), f.Get("pitch"), f.Get("greeting")
}

func (u *UI) createCampaign(c *gin.Context) {
	form := newForm(postForm(c))
	v := &storage.Campaign{}
	fillCampaign(form, v)
	if err := storage.Create(u.Store, actor(c), v); err != nil {
		u.campaignFormError(c, form, 0, err)
		return
	}
	u.flash(c, "Envoi préparé. Relisez le message, envoyez-vous un test, puis lancez l’envoi.")
	redirect(c, "/app/campaigns/"+idString(v.ID))
}

func (u *UI) updateCampaign(c *gin.Context) {
	form := newForm(postForm(c))
	v, ok := u.loadCampaign(c)
	if !ok {
		return
	}
	fillCampaign(form, v)
	if err := storage.Update(u.Store, actor(c), v); err != nil {
		u.campaignFormError(c, form, v.ID, err)
		return
	}
	u.flash(c, "Envoi modifié.")
	redirect(c, "/app/campaigns/"+idString(v.ID))
}

func (u *UI) campaignFormError(c *gin.Context, form *Form, campaignID uint64, err error) {
	if !form.Invalid(err) {
		u.fail(c, err)
		return
	}
	for field, msg := range form.Errors {
		if strings.HasPrefix(field, "list_ids[") {
			form.Errors["list_ids"] = msg // a list deleted meanwhile: shown beside the lists
		}
	}
	u.showCampaignForm(c, server.StatusOf(err), form, campaignID)
}

// countCampaignRecipients answers the form's script: the recipients of ?list_ids=…,
// each address counted once.
func (u *UI) countCampaignRecipients(c *gin.Context) {
	n, err := u.Store.CountListsRecipients(formIDs(newForm(c.Request.URL.Query()), "list_ids"))
	if err != nil {
		u.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, recipientCount{Count: n, Label: recipientsLabel(n)})
}

// recipientsLabel: "1 destinataire", "12 destinataires".
func recipientsLabel(n int) string { return plural(n, "destinataire", "destinataires") }

// campaignAction runs a status change, wakes the sender and goes back to the send's page.
func (u *UI) campaignAction(do func(actor string, id uint64) (*storage.Campaign, error), done string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if _, err := do(actor(c), id(c)); err != nil {
			u.fail(c, err)
			return
		}
		u.wake()
		u.flash(c, done)
		redirect(c, "/app/campaigns/"+c.Param("id"))
	}
}

// wake tells the sender to look at the campaigns now.
func (u *UI) wake() {
	if u.Wake != nil {
		u.Wake()
	}
}

func (u *UI) confirmCancel(c *gin.Context) {
	v, ok := u.loadCampaign(c)
	if !ok {
		return
	}
	u.render(c, http.StatusOK, "confirm", page{Title: "Annuler l’envoi", Section: "campaigns", Data: confirmPage{
		Heading: "Annuler l’envoi «\u202f" + v.Subject + "\u202f»\u202f?",
		Text:    "Les messages déjà partis le restent\u00a0; les autres ne partiront pas. Un envoi annulé ne peut pas reprendre.",
		Action:  "/app/campaigns/" + idString(v.ID) + "/cancel", Button: "Oui, annuler l’envoi", Cancel: "/app/campaigns/" + idString(v.ID),
	}})
}

// campaignTitle names a send in a page title.
func campaignTitle(v *storage.Campaign) string {
	return cmp.Or(v.Subject, "Envoi n°\u00a0"+idString(v.ID))
}
