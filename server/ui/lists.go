package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

func (u *UI) routeLists(g *gin.RouterGroup) {
	g.GET("/lists", u.lists)
	(&editor[storage.List, *storage.List]{
		u: u, path: "/app/lists", section: "lists", formPage: "list_form",
		newTitle: "Nouvelle liste", editing: "Modifier la liste",
		values: func(l *storage.List) url.Values {
			return url.Values{"name": {l.Name}, "regions": l.Regions, "tags": {joinWords(l.Tags)}, "kinds": l.Kinds}
		},
		record: func(f *Form, l *storage.List) {
			l.Name, l.Regions, l.Tags, l.Kinds = f.Get("name"), f.Words("regions"), f.Words("tags"), f.Values["kinds"]
		},
		choices: func() (any, error) { return kindOptions(""), nil },
		name:    func(l *storage.List) string { return "la liste «\u202f" + l.Name + "\u202f»" },
		created: "Liste enregistrée.", updated: "Liste modifiée.", deleted: "Liste supprimée.",
	}).route(g)
	g.GET("/lists/count", u.countRecipients)
	g.GET("/lists/:id", u.list)
	canWrite := u.require(storage.RoleEditor)
	g.POST("/lists/:id/members", canWrite, u.addMember)
	g.POST("/lists/:id/members/:contact/remove", canWrite, u.removeMember)
}

// listItem is a list with its rule in words and its number of recipients.
type listItem struct {
	storage.List
	Rule       string
	Recipients int
}

type listsPage struct {
	Lists []listItem
}

func (u *UI) lists(c *gin.Context) {
	lists, err := all[storage.List](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	var p listsPage
	for _, l := range lists {
		item, err := u.listItem(&l)
		if err != nil {
			u.fail(c, err)
			return
		}
		p.Lists = append(p.Lists, item)
	}
	u.render(c, http.StatusOK, "lists", page{Title: "Listes de diffusion", Section: "lists", Data: p})
}

// listItem counts the list's recipients without reading each one's record.
func (u *UI) listItem(l *storage.List) (listItem, error) {
	n, err := u.Store.CountRecipients(l)
	return listItem{List: *l, Rule: ruleText(l), Recipients: n}, err
}

// ruleText says a list's rule in French: "journaliste · Bretagne, Pays de la Loire · santé".
func ruleText(l *storage.List) string {
	var kinds []string
	for _, k := range l.Kinds {
		kinds = append(kinds, kindLabels[k])
	}
	var parts []string
	for _, p := range [][]string{kinds, l.Regions, l.Tags} {
		if len(p) > 0 {
			parts = append(parts, joinWords(p))
		}
	}
	if len(parts) == 0 {
		return "aucune règle\u00a0: membres ajoutés un à un"
	}
	return strings.Join(parts, " · ")
}

// listPage is one list: its rule, its explicit members and the form to add one.
type listPage struct {
	List    listItem
	Members []contactItem
	Form    *Form
}

func (u *UI) list(c *gin.Context) { u.showList(c, http.StatusOK, newForm(nil)) }

func (u *UI) showList(c *gin.Context, status int, form *Form) {
	l, err := storage.Get[storage.List](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	item, err := u.listItem(l)
	if err != nil {
		u.fail(c, err)
		return
	}
	members, err := u.Store.ContactsByID(l.MemberIDs)
	if err != nil {
		u.fail(c, err)
		return
	}
	p := listPage{List: item, Form: form}
	for _, id := range l.MemberIDs {
		if ct, ok := members[id]; ok {
			p.Members = append(p.Members, contactItem{Contact: ct, Name: contactName(&ct), Kind: kindLabels[ct.Kind]})
		}
	}
	u.render(c, status, "list", page{Title: l.Name, Section: "lists", Data: p})
}

// addMember adds a contact, found by its address, to the list's explicit members.
func (u *UI) addMember(c *gin.Context) {
	form := newForm(postForm(c))
	ct, err := u.Store.ContactByEmail(form.Get("email"))
	if storage.ErrorCode(err) == storage.ENOTFOUND {
		err = &storage.Error{Code: storage.EINVALID, Message: "Aucun contact avec cette adresse.",
			Fields: []storage.FieldError{{Field: "email", Message: "aucun contact avec cette adresse\u00a0: créez-le d’abord"}}}
	}
	if err == nil {
		err = u.changeMembers(c, func(l *storage.List) { l.MemberIDs = append(l.MemberIDs, ct.ID) })
	}
	if form.Invalid(err) {
		u.showList(c, server.StatusOf(err), form)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, contactName(ct)+" ajouté à la liste.")
	redirect(c, "/app/lists/"+c.Param("id"))
}

func (u *UI) removeMember(c *gin.Context) {
	contact, _ := strconv.ParseUint(c.Param("contact"), 10, 64)
	err := u.changeMembers(c, func(l *storage.List) {
		l.MemberIDs = slices.DeleteFunc(l.MemberIDs, func(id uint64) bool { return id == contact })
	})
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Contact retiré de la liste.")
	redirect(c, "/app/lists/"+c.Param("id"))
}

// changeMembers applies change to the stored list and saves it through storage.Update.
func (u *UI) changeMembers(c *gin.Context, change func(*storage.List)) error {
	l, err := storage.Get[storage.List](u.Store, id(c))
	if err != nil {
		return err
	}
	change(l)
	return storage.Update(u.Store, actor(c), l)
}

// recipientCount answers the list form's script with the number of recipients of the rule
// being built.
type recipientCount struct {
	Count int    `json:"count"`
	Label string `json:"label"`
}

// countRecipients counts the recipients of ?kinds=&regions=&tags=, plus the explicit
// members of list ?id= when given.
func (u *UI) countRecipients(c *gin.Context) {
	f := newForm(c.Request.URL.Query())
	l := &storage.List{Kinds: f.Values["kinds"], Regions: f.Words("regions"), Tags: f.Words("tags")}
	if id := f.ID("id"); id != 0 {
		stored, err := storage.Get[storage.List](u.Store, id)
		if err != nil {
			u.fail(c, err)
			return
		}
		l.MemberIDs = stored.MemberIDs
	}
	n, err := u.Store.CountRecipients(l)
	if err != nil {
		u.fail(c, err)
		return
	}
	label := strconv.Itoa(n) + " destinataires"
	if n < 2 {
		label = strconv.Itoa(n) + " destinataire"
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, recipientCount{Count: n, Label: label})
}
