package ui

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

var kindLabels = map[string]string{
	storage.KindJournalist: "journaliste", storage.KindPressOfficer: "attaché(e) de presse",
	storage.KindAgency: "agence", storage.KindOther: "autre",
}

// kindOptions are the contact kinds to pick from, after an empty choice when none is set.
func kindOptions(none string) []Option {
	opts := []Option{}
	if none != "" {
		opts = append(opts, Option{"", none})
	}
	for _, k := range []string{storage.KindJournalist, storage.KindPressOfficer, storage.KindAgency, storage.KindOther} {
		opts = append(opts, Option{k, kindLabels[k]})
	}
	return opts
}

func (u *UI) routeContacts(g *gin.RouterGroup) {
	g.GET("/contacts", u.contacts)
	(&editor[storage.Contact, *storage.Contact]{
		u: u, path: "/app/contacts", section: "contacts", formPage: "contact_form",
		newTitle: "Nouveau contact", editing: "Modifier le contact",
		values: func(ct *storage.Contact) url.Values {
			return url.Values{"first_name": {ct.FirstName}, "last_name": {ct.LastName}, "email": {ct.Email}, "phone": {ct.Phone},
				"organization": {ct.Organization}, "kind": {ct.Kind}, "regions": ct.Regions, "tags": {joinWords(ct.Tags)},
				"pole_id": {idString(ct.PoleID)}, "language": {ct.Language}, "source": {ct.Source}, "lawful_basis": {ct.LawfulBasis}}
		},
		record: func(f *Form, ct *storage.Contact) {
			ct.FirstName, ct.LastName, ct.Email, ct.Phone, ct.Organization = f.Get("first_name"), f.Get("last_name"), f.Get("email"), f.Get("phone"), f.Get("organization")
			ct.Kind, ct.Regions, ct.Tags, ct.PoleID = f.Get("kind"), f.Words("regions"), f.Words("tags"), f.ID("pole_id")
			ct.Language, ct.Source, ct.LawfulBasis = f.Get("language"), f.Get("source"), f.Get("lawful_basis")
		},
		choices: func() (any, error) {
			poles, err := u.poleOptions("Aucun")
			return contactChoices{Kinds: kindOptions(""), Poles: poles}, err
		},
		name:    func(ct *storage.Contact) string { return "le contact " + contactName(ct) },
		created: "Contact enregistré.", updated: "Contact modifié.", deleted: "Contact supprimé.",
	}).route(g)
	g.GET("/contacts/:id", u.contact)
	g.POST("/contacts/:id/opt-out", u.require(storage.RoleEditor), u.optOut)
}

type contactChoices struct {
	Kinds, Poles, Regions, YesNo []Option
}

// contactsPerPage is the length of a page of contacts.
const contactsPerPage = 50

type contactsPage struct {
	Filter   *Form
	Choices  contactChoices
	Contacts []contactItem
	Next     string
	First    string // the first page, when this one is not
}

type contactItem struct {
	storage.Contact
	Name, Kind, Pole string
}

func (u *UI) contacts(c *gin.Context) {
	filter := newForm(c.Request.URL.Query())
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	found, err := u.Store.FindContacts(contactFilter(filter), storage.ListOptions{Limit: contactsPerPage, Cursor: filter.Get("cursor")})
	if err != nil {
		u.fail(c, err)
		return
	}
	poleNames := poleLabels(poles)
	p := contactsPage{Filter: filter}
	for _, ct := range found.Items {
		p.Contacts = append(p.Contacts, contactItem{Contact: ct, Name: contactName(&ct), Kind: kindLabels[ct.Kind], Pole: poleNames[ct.PoleID]})
	}
	pageURL := func(cursor string) string {
		q := url.Values{}
		for k, v := range filter.Values {
			if k != "cursor" && v[0] != "" {
				q[k] = v
			}
		}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		return "/app/contacts?" + q.Encode()
	}
	if found.Next != "" {
		p.Next = pageURL(found.Next)
	}
	if filter.Get("cursor") != "" {
		p.First = pageURL("")
	}
	p.Choices = contactChoices{Kinds: kindOptions("Tous les types"), Poles: poleChoices(poles, "Tous les pôles"), Regions: regionOptions("Toutes les régions"),
		YesNo: []Option{{"", "Peu importe"}, {"yes", "Oui"}, {"no", "Non"}}}
	u.render(c, http.StatusOK, "contacts", page{Title: "Contacts", Section: "contacts", Data: p})
}

// contactFilter reads the listing's form: ?q=&region=&kind=&tag=&pole_id=&opted_out=&bounced=.
func contactFilter(f *Form) storage.ContactFilter {
	return storage.ContactFilter{Q: f.Get("q"), Region: f.Get("region"), Kind: f.Get("kind"), Tag: f.Get("tag"),
		PoleID: f.ID("pole_id"), OptedOut: yesNo(f.Get("opted_out")), Bounced: yesNo(f.Get("bounced"))}
}

func yesNo(v string) *bool {
	b := v == "yes"
	if v != "yes" && v != "no" {
		return nil
	}
	return &b
}

// contactPage is one contact, its sends and their outcome.
type contactPage struct {
	Contact contactItem
	Sends   []sendRow
}

type sendRow struct {
	CampaignID                        uint64
	Subject, Status, Label, At, Error string
}

func (u *UI) contact(c *gin.Context) {
	ct, err := storage.Get[storage.Contact](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	deliveries, err := u.Store.ContactDeliveries(ct.ID)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := contactPage{Contact: contactItem{Contact: *ct, Name: contactName(ct), Kind: kindLabels[ct.Kind]}}
	if ct.PoleID != 0 {
		if pole, err := storage.Get[storage.Pole](u.Store, ct.PoleID); err == nil {
			p.Contact.Pole = pole.Name
		}
	}
	for _, d := range deliveries {
		subject := "Campagne n° " + idString(d.CampaignID)
		if v, err := storage.Get[storage.Campaign](u.Store, d.CampaignID); err == nil {
			subject = v.Subject
		}
		p.Sends = append(p.Sends, sendRow{CampaignID: d.CampaignID, Subject: subject, Status: d.Status, Label: deliveryLabels[d.Status], At: frenchTime(d.At), Error: d.LastError})
	}
	u.render(c, http.StatusOK, "contact", page{Title: p.Contact.Name, Section: "contacts", Data: p})
}

// optOut unsubscribes a contact for good, as its unsubscribe link would.
func (u *UI) optOut(c *gin.Context) {
	if err := u.Store.OptOut(id(c), actor(c)); err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Contact désinscrit\u00a0: il ne recevra plus aucun envoi.")
	redirect(c, "/app/contacts/"+c.Param("id"))
}
