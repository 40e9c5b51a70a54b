package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/typo"
)

// routeCommuniques registers the composer: the list, a new communiqué from a template or
// a copy, the composing page with its preview and PDF, revisions, approvals, publication
// and withdrawal.
func (u *UI) routeCommuniques(g *gin.RouterGroup) {
	canWrite := u.require(storage.RoleEditor)
	g.GET("/communiques", u.communiques)
	g.GET("/communiques/new", canWrite, u.newCommuniqueForm)
	g.POST("/communiques", canWrite, u.createCommunique)
	g.GET("/communiques/:id", u.composeForm)
	g.POST("/communiques/:id", canWrite, u.saveCommunique)
	g.GET("/communiques/:id/preview", u.previewPage)
	g.POST("/communiques/:id/preview", canWrite, u.livePreview)
	g.GET("/communiques/:id/pdf", u.communiquePDF)
	g.GET("/communiques/:id/revisions", u.revisions)
	g.GET("/communiques/:id/approve", canWrite, u.approveCommuniqueForm)
	g.POST("/communiques/:id/approve", canWrite, u.approveCommunique)
	g.GET("/communiques/:id/publish", canWrite, u.publishForm)
	g.POST("/communiques/:id/publish", canWrite, u.publishCommunique)
	g.GET("/communiques/:id/withdraw", canWrite, u.withdrawForm)
	g.POST("/communiques/:id/withdraw", canWrite, u.withdrawCommunique)
	g.GET("/communiques/:id/delete", canWrite, u.confirmDeleteCommunique)
	g.POST("/communiques/:id/delete", canWrite, u.deleteCommunique)
}

// communiqueStatuses are the list's sections, in the order of a communiqué's life.
var communiqueStatuses = []string{storage.CommuniqueDraft, storage.CommuniqueApproved, storage.CommuniquePublished, storage.CommuniqueWithdrawn}

// communiqueItem is a communiqué as the list shows it.
type communiqueItem struct {
	ID        uint64
	Title     string
	Signers   string // the co-signing pôles, joined
	Date      string
	Updated   string
	Published string
	Waiting   string // the co-signers whose approval is missing
}

// statusGroup is one status's communiqués.
type statusGroup struct {
	Status, Label string
	Items         []communiqueItem
}

func (u *UI) communiques(c *gin.Context) {
	list, err := all[storage.Communique](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	poles, err := u.poleNames()
	if err != nil {
		u.fail(c, err)
		return
	}
	slices.SortStableFunc(list, func(a, b storage.Communique) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	var groups []statusGroup
	for _, status := range communiqueStatuses {
		g := statusGroup{Status: status, Label: communiqueLabel(status)}
		for _, v := range list {
			if v.Status == status {
				g.Items = append(g.Items, communiqueListItem(&v, poles))
			}
		}
		groups = append(groups, g)
	}
	u.render(c, http.StatusOK, "communiques", page{Title: "Communiqués", Section: "communiques", Data: groups})
}

func communiqueListItem(v *storage.Communique, poles map[uint64]string) communiqueItem {
	item := communiqueItem{ID: v.ID, Title: v.Title, Signers: signerNames(v.PoleIDs, poles), Date: frenchDate(v.Date),
		Updated: frenchTime(v.UpdatedAt), Published: frenchTime(v.PublishedAt)}
	var waiting []uint64
	for _, id := range v.PoleIDs {
		if !approvedBy(v, id) {
			waiting = append(waiting, id)
		}
	}
	if v.Status == storage.CommuniqueDraft {
		item.Waiting = signerNames(waiting, poles)
	}
	return item
}

// communiqueLabel is a status in French, plural for the list's headings.
func communiqueLabel(status string) string {
	return map[string]string{storage.CommuniqueDraft: "Brouillons", storage.CommuniqueApproved: "Approuvés, à publier",
		storage.CommuniquePublished: "Publiés", storage.CommuniqueWithdrawn: "Retirés"}[status]
}

// poleNames labels every pôle by id.
func (u *UI) poleNames() (map[uint64]string, error) {
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		return nil, err
	}
	return poleLabels(poles), nil
}

func signerNames(ids []uint64, poles map[uint64]string) string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, poles[id])
	}
	return strings.Join(out, ", ")
}

func approvedBy(v *storage.Communique, poleID uint64) bool {
	return slices.ContainsFunc(v.Approvals, func(a storage.Approval) bool { return a.PoleID == poleID })
}

// newCommuniquePage offers the templates and the earlier communiqués to copy.
type newCommuniquePage struct {
	Form      *Form
	Templates []Option
	Copies    []Option
}

func (u *UI) newCommuniqueForm(c *gin.Context) {
	u.showNewCommunique(c, http.StatusOK, newForm(c.Request.URL.Query()))
}

func (u *UI) showNewCommunique(c *gin.Context, status int, form *Form) {
	list, err := all[storage.Communique](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	copies := []Option{{"", "Choisissez un communiqué"}}
	for _, v := range sortedBy(list, func(v *storage.Communique) string { return v.Title }) {
		copies = append(copies, Option{idString(v.ID), v.Title + " (" + storage.StatusLabel(v.Bucket(), v.Status) + ")"})
	}
	u.render(c, status, "communique_new", page{Title: "Nouveau communiqué", Section: "communiques",
		Data: newCommuniquePage{Form: form, Templates: templateOptions(), Copies: copies}})
}

// templateOptions are the communiqué templates, by name: one per embedded file.
func templateOptions() []Option {
	var out []Option
	for _, name := range templates.Names() {
		out = append(out, Option{name, templateLabel(name)})
	}
	return out
}

func templateLabel(name string) string {
	return cmp.Or(map[string]string{"mesures": "Mesures (communiqué de propositions)", "tribune": "Tribune"}[name], name)
}

// createCommunique starts a draft from a template, or from a copy of an earlier communiqué
// (its text and choices, not its approvals), then opens it.
func (u *UI) createCommunique(c *gin.Context) {
	form := newForm(postForm(c))
	v, ok := u.startingPoint(c, form)
	if !ok {
		return
	}
	if err := storage.Create(u.Store, actor(c), v); err != nil {
		if !form.Invalid(err) {
			u.fail(c, err)
			return
		}
		u.showNewCommunique(c, http.StatusUnprocessableEntity, form)
		return
	}
	u.flash(c, "Brouillon créé. Il est enregistré automatiquement pendant que vous écrivez.")
	redirect(c, "/app/communiques/"+idString(v.ID))
}

// startingPoint is the new draft: a copy of the communiqué named by "copy", or an empty one
// of the chosen template co-signed by every pôle until the author chooses.
func (u *UI) startingPoint(c *gin.Context, form *Form) (*storage.Communique, bool) {
	title := cmp.Or(form.Get("title"), "Nouveau communiqué")
	if id := form.ID("copy"); id != 0 {
		old, err := storage.Get[storage.Communique](u.Store, id)
		if err != nil {
			u.fail(c, err)
			return nil, false
		}
		v := *old
		v.Meta, v.Slug, v.EmbargoUntil, v.Title = storage.Meta{}, "", nil, cmp.Or(form.Get("title"), "Copie de "+old.Title)
		return &v, true
	}
	name := form.Get("template")
	if !slices.Contains(templates.Names(), name) {
		form.Errors["template"] = "choisissez un modèle"
		u.showNewCommunique(c, http.StatusUnprocessableEntity, form)
		return nil, false
	}
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return nil, false
	}
	v := &storage.Communique{Title: title, Template: name, Date: u.Now().In(typo.Paris()).Format("2006-01-02")}
	for _, p := range poles {
		v.PoleIDs = append(v.PoleIDs, p.ID)
	}
	return v, true
}

func (u *UI) confirmDeleteCommunique(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	u.render(c, http.StatusOK, "confirm", page{Title: "Confirmer la suppression", Section: "communiques", Data: confirmPage{
		Heading: "Supprimer le brouillon «\u202f" + v.Title + "\u202f»\u202f?",
		Text:    "Le brouillon et toutes ses révisions sont supprimés définitivement. La suppression est inscrite au journal des modifications.",
		Action:  communiqueURL(v.ID, "/delete"), Cancel: communiqueURL(v.ID, ""), Button: "Supprimer définitivement",
	}})
}

func (u *UI) deleteCommunique(c *gin.Context) {
	if err := storage.Delete[storage.Communique](u.Store, actor(c), id(c)); err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Brouillon supprimé.")
	redirect(c, "/app/communiques")
}

// communique loads the communiqué of the :id parameter, or shows the error page.
func (u *UI) communique(c *gin.Context) (*storage.Communique, bool) {
	v, err := storage.Get[storage.Communique](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return nil, false
	}
	return v, true
}

func communiqueURL(id uint64, suffix string) string {
	return "/app/communiques/" + strconv.FormatUint(id, 10) + suffix
}
