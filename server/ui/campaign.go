package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/storage"
	"portevoix/templates/typo"
)

// progress is where a send stands: what left, what failed for good, what waits for
// another try after a temporary refusal, and what is still to go.
type progress struct {
	Status   string `json:"status"`
	Label    string `json:"label"`
	Sent     int    `json:"sent"`
	Failed   int    `json:"failed"`
	Retrying int    `json:"retrying"`
	Left     int    `json:"left"`
	Skipped  int    `json:"skipped"`
	Total    int    `json:"total"`
	// Handled is every recipient tried at least once (or skipped by a cancellation);
	// Percent is its share of Total: the bar's length.
	Handled int `json:"handled"`
	Percent int `json:"percent"`
}

func (u *UI) progress(v *storage.Campaign) (progress, error) {
	counts, err := u.Store.CampaignCounts(v.ID)
	if err != nil {
		return progress{}, err
	}
	retrying, err := u.Store.Retrying(v.ID)
	if err != nil {
		return progress{}, err
	}
	p := progress{Status: v.Status, Label: campaignLabels[v.Status], Sent: counts[storage.DeliverySent],
		Failed: counts[storage.DeliveryFailed], Retrying: retrying, Skipped: counts[storage.DeliverySkipped],
		Left: counts[storage.DeliveryPending] - retrying + counts[storage.DeliverySending]}
	p.Total = p.Sent + p.Failed + p.Retrying + p.Left + p.Skipped
	p.Handled = p.Total - p.Left
	p.Percent = percent(p.Handled, p.Total)
	return p, nil
}

// campaignPage is one send: before it leaves, the message and the buttons to test and
// send it; afterwards, its progress and the buttons to pause, resume or cancel it.
type campaignPage struct {
	Campaign   *storage.Campaign
	Communique string
	Lists      []string
	Greeting   string
	When       string
	Progress   progress
	Recipients int // before the start: the lists' recipients, each address once
	Text       string
	Problem    string // why the message cannot be shown
	Me         string
	CanSend    bool // e-mail is configured: a test can leave
	Send       *Form
	Test       *Form
}

// IsDraft says whether the send has not left yet (nor been scheduled).
func (p *campaignPage) IsDraft() bool { return p.Campaign.Status == storage.CampaignDraft }

// IsLive says whether the send is under way, so that the page follows its progress.
func (p *campaignPage) IsLive() bool {
	s := p.Campaign.Status
	return s == storage.CampaignSending || s == storage.CampaignPaused || s == storage.CampaignScheduled
}

func (u *UI) campaign(c *gin.Context) {
	u.showCampaign(c, http.StatusOK, newForm(nil), newForm(nil))
}

func (u *UI) showCampaign(c *gin.Context, status int, send, test *Form) {
	v, ok := u.loadCampaign(c)
	if !ok {
		return
	}
	p := campaignPage{Campaign: v, Greeting: greetingLabel(v.Greeting), When: campaignWhen(v), Me: currentUser(c).Email,
		CanSend: u.Messages != nil && u.Messages.Sender != nil, Send: send, Test: test}
	if communique, err := storage.Get[storage.Communique](u.Store, v.CommuniqueID); err == nil {
		p.Communique = communique.Title
	}
	for _, l := range v.ListIDs {
		if list, err := storage.Get[storage.List](u.Store, l); err == nil {
			p.Lists = append(p.Lists, list.Name)
		}
	}
	var err error
	if p.Progress, err = u.progress(v); err != nil {
		u.fail(c, err)
		return
	}
	if p.IsDraft() {
		p.Recipients, _ = u.Store.CountListsRecipients(v.ListIDs) // a deleted list shows as 0; starting says why
		if preview, err := u.preview(c, v); err != nil {
			p.Problem = previewProblem(err)
			u.Log.Warn("campaign preview", "campaign", v.ID, "err", err)
		} else {
			p.Text = preview.Text
		}
	}
	if send.Get("when") == "" {
		send.Values.Set("when", "now")
	}
	u.render(c, status, "campaign", page{Title: campaignTitle(v), Section: "campaigns", Data: &p})
}

// preview builds the message for the first recipient of the send's first list (or for the
// signed-in account when the list is empty), so that the greeting shown is a real one.
func (u *UI) preview(c *gin.Context, v *storage.Campaign) (campaignmsg.Preview, error) {
	if u.Messages == nil {
		return campaignmsg.Preview{}, storage.Errorf(storage.ECONFLICT, "La composition des messages n’est pas configurée sur ce serveur.")
	}
	me := currentUser(c)
	first, _, _ := strings.Cut(me.Name, " ")
	r := mailer.Recipient{Email: me.Email, FirstName: first}
	if len(v.ListIDs) > 0 {
		if list, err := u.Store.Recipients(v.ListIDs[0]); err == nil && len(list) > 0 {
			r = mailer.Recipient{Email: list[0].Email, FirstName: list[0].FirstName, LastName: list[0].LastName, Source: list[0].Source}
		}
	}
	return u.Messages.Preview(v, r)
}

// previewProblem says in French why the message cannot be shown; other errors are kept
// from the page (the server logs them when they reach fail).
func previewProblem(err error) string {
	if e := (*storage.Error)(nil); errors.As(err, &e) {
		return e.Message
	}
	return "Le message n’a pas pu être composé."
}

// campaignMessage is the HTML message alone, for the page's sandboxed frame.
func (u *UI) campaignMessage(c *gin.Context) {
	v, ok := u.loadCampaign(c)
	if !ok {
		return
	}
	preview, err := u.preview(c, v)
	if err != nil {
		u.fail(c, err)
		return
	}
	// The message's own inline styles apply; nothing in it runs, loads or navigates.
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; sandbox")
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(preview.HTML))
}

// testCampaign sends the message to the signed-in account's own address, marked as a test.
func (u *UI) testCampaign(c *gin.Context) {
	email := currentUser(c).Email
	if u.Messages == nil || u.Messages.Sender == nil {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "L’envoi d’e-mails n’est pas configuré sur ce serveur."))
		return
	}
	if _, err := u.Messages.SendTest(c.Request.Context(), id(c), email); err != nil {
		test := newForm(nil)
		if !test.Invalid(err) {
			u.Log.Error("campaign test", "campaign", id(c), "err", err)
			test.Summary = "Le message de test n’a pas pu partir. Vérifiez le serveur d’envoi (réglages) et réessayez."
		}
		u.showCampaign(c, http.StatusBadGateway, newForm(nil), test)
		return
	}
	u.flash(c, "Message de test envoyé à "+email+" (objet précédé de «\u202f[TEST]\u202f»).")
	redirect(c, "/app/campaigns/"+c.Param("id"))
}

// sendConfirm asks before anything leaves, with the number of recipients.
type sendConfirm struct {
	Campaign   *storage.Campaign
	Recipients int
	At         string // the datetime-local value, "" to send now
	When       string // in words
}

// loadCampaign loads the campaign of the :id parameter, or shows the error page.
func (u *UI) loadCampaign(c *gin.Context) (*storage.Campaign, bool) {
	v, err := storage.Get[storage.Campaign](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return nil, false
	}
	return v, true
}

// sendChoice loads the campaign with the send time its form chose; an invalid time shows
// the campaign's page again with why.
func (u *UI) sendChoice(c *gin.Context, form *Form) (*storage.Campaign, time.Time, bool) {
	at, ok := u.sendTime(form)
	if !ok {
		u.showCampaign(c, http.StatusUnprocessableEntity, form, newForm(nil))
		return nil, time.Time{}, false
	}
	v, ok := u.loadCampaign(c)
	return v, at, ok
}

// parisLayout is the value of a datetime-local control.
const parisLayout = "2006-01-02T15:04"

// sendTime reads the form's choice: zero time to send now, or a future time in Paris.
func (u *UI) sendTime(f *Form) (time.Time, bool) {
	if f.Get("when") != "later" {
		return time.Time{}, true
	}
	at, err := time.ParseInLocation(parisLayout, f.Get("at"), typo.Paris())
	switch {
	case f.Get("at") == "":
		f.Errors["at"] = "indiquez la date et l’heure de l’envoi"
	case err != nil:
		f.Errors["at"] = "date et heure attendues, par exemple 2026-12-01T09:30"
	case !at.After(u.Now()):
		f.Errors["at"] = "cette heure est passée\u00a0: choisissez une heure à venir ou «\u202fmaintenant\u202f»"
	default:
		return at, true
	}
	f.Summary = "L’heure d’envoi est invalide."
	return time.Time{}, false
}

func (u *UI) confirmSend(c *gin.Context) {
	form := newForm(c.Request.URL.Query())
	v, at, ok := u.sendChoice(c, form)
	if !ok {
		return
	}
	n, err := u.Store.CountListsRecipients(v.ListIDs)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := sendConfirm{Campaign: v, Recipients: n, When: "maintenant"}
	if !at.IsZero() {
		p.At, p.When = at.Format(parisLayout), "le "+frenchTime(at)+" (heure de Paris)"
	}
	u.render(c, http.StatusOK, "campaign_send", page{Title: "Confirmer l’envoi", Section: "campaigns", Data: p})
}

// startCampaign sends now, or at the time confirmed: the schedule is stored first.
func (u *UI) startCampaign(c *gin.Context) {
	form := newForm(postForm(c))
	if form.Get("at") != "" {
		form.Values.Set("when", "later")
	}
	v, at, ok := u.sendChoice(c, form)
	if !ok {
		return
	}
	if v.Status == storage.CampaignDraft && (v.ScheduledAt != nil || !at.IsZero()) {
		v.ScheduledAt = nil
		if !at.IsZero() {
			utc := at.UTC()
			v.ScheduledAt = &utc
		}
		if err := storage.Update(u.Store, actor(c), v); err != nil {
			u.fail(c, err)
			return
		}
	}
	v, err := u.Store.StartCampaign(actor(c), v.ID)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.wake()
	if v.Status == storage.CampaignScheduled {
		u.flash(c, "Envoi programmé le "+frenchTime(v.ScheduledAt)+".")
	} else {
		u.flash(c, "Envoi lancé.")
	}
	redirect(c, "/app/campaigns/"+c.Param("id"))
}
