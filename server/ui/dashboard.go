package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// dashboardPage is what needs attention: communiqués waiting for co-signers, quotes
// waiting for their speaker, sends under way and just finished, recent bounces.
type dashboardPage struct {
	Drafts  []draftItem
	Quotes  []quoteItem
	Sending []sendItem
	Sent    []sendItem
	Bounces []bounceItem
}

type draftItem struct {
	Title   string
	ID      uint64
	Waiting string // the pôles that have not approved yet, joined
}

type sendItem struct {
	ID      uint64
	Subject string
	Status  string
	Label   string // status in French
	Sent    int
	Failed  int
	Total   int
	At      string
	Reach   int // share of the recipients the message reached, in percent
}

type bounceItem struct {
	ID   uint64
	Name string
	At   string
}

// dashboardSize bounds each list of the dashboard.
const dashboardSize = 8

func (u *UI) dashboard(c *gin.Context) {
	var d dashboardPage
	var err error
	if d.Drafts, err = u.draftsAwaiting(); err == nil {
		if d.Quotes, err = u.quotesAwaiting(); err == nil {
			if d.Sending, d.Sent, err = u.sends(); err == nil {
				d.Bounces, err = u.recentBounces()
			}
		}
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "dashboard", page{Title: "Tableau de bord", Section: "dashboard", Data: d})
}

// draftsAwaiting lists the draft communiqués with the co-signers yet to approve them.
func (u *UI) draftsAwaiting() ([]draftItem, error) {
	drafts, err := all[storage.Communique](u.Store, func(v *storage.Communique) bool { return v.Status == storage.CommuniqueDraft })
	if err != nil {
		return nil, err
	}
	short, err := u.poleNames()
	if err != nil {
		return nil, err
	}
	var out []draftItem
	for _, v := range slices.Backward(drafts) {
		var waiting []string
		for _, id := range v.PoleIDs {
			if !slices.ContainsFunc(v.Approvals, func(a storage.Approval) bool { return a.PoleID == id }) {
				waiting = append(waiting, short[id])
			}
		}
		out = append(out, draftItem{ID: v.ID, Title: v.Title, Waiting: strings.Join(waiting, ", ")})
		if len(out) == dashboardSize {
			break
		}
	}
	return out, nil
}

func (u *UI) quotesAwaiting() ([]quoteItem, error) {
	pending, err := all[storage.Quote](u.Store, func(q *storage.Quote) bool { return q.Status == storage.QuotePending })
	if err != nil {
		return nil, err
	}
	return u.quoteItems(pending[max(0, len(pending)-dashboardSize):]) // the latest only
}

// sends splits the campaigns into those under way and the last finished ones.
func (u *UI) sends() (active, finished []sendItem, err error) {
	campaigns, err := all[storage.Campaign](u.Store, nil)
	if err != nil {
		return nil, nil, err
	}
	var done []storage.Campaign
	for _, v := range campaigns {
		switch v.Status {
		case storage.CampaignSending, storage.CampaignPaused, storage.CampaignScheduled:
			item, err := u.sendItem(&v)
			if err != nil {
				return nil, nil, err
			}
			active = append(active, item)
		case storage.CampaignDone, storage.CampaignCancelled:
			done = append(done, v)
		}
	}
	slices.SortFunc(done, func(a, b storage.Campaign) int { return cmp.Compare(b.UpdatedAt.UnixNano(), a.UpdatedAt.UnixNano()) })
	for _, v := range done[:min(len(done), dashboardSize)] {
		item, err := u.sendItem(&v)
		if err != nil {
			return nil, nil, err
		}
		finished = append(finished, item)
	}
	return active, finished, nil
}

var campaignLabels = map[string]string{
	storage.CampaignDraft: "brouillon", storage.CampaignScheduled: "programmée", storage.CampaignSending: "envoi en cours",
	storage.CampaignPaused: "en pause", storage.CampaignDone: "terminée", storage.CampaignCancelled: "annulée",
}

func (u *UI) sendItem(v *storage.Campaign) (sendItem, error) {
	counts, err := u.Store.CampaignCounts(v.ID)
	if err != nil {
		return sendItem{}, err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	at := v.FinishedAt
	if at == nil {
		at = v.StartedAt
	}
	return sendItem{ID: v.ID, Subject: v.Subject, Status: v.Status, Label: campaignLabels[v.Status], Sent: counts[storage.DeliverySent],
		Failed: counts[storage.DeliveryFailed], Total: total, At: frenchTime(at), Reach: percent(counts[storage.DeliverySent], total)}, nil
}

// recentBounces lists the contacts that bounced last, whatever else was logged since.
func (u *UI) recentBounces() ([]bounceItem, error) {
	bounces, err := u.Store.LatestBounces(dashboardSize)
	if err != nil {
		return nil, err
	}
	out := make([]bounceItem, 0, len(bounces))
	for _, b := range bounces {
		out = append(out, bounceItem{ID: b.Contact.ID, Name: contactName(&b.Contact), At: frenchTime(b.At)})
	}
	return out, nil
}

// contactName is a contact's full name, or its address when it has none.
func contactName(ct *storage.Contact) string { return cmp.Or(ct.FullName(), ct.Email) }

// percent is part's share of whole, rounded down; 0 when whole is.
func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return part * 100 / whole
}
