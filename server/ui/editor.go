package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

// editor is one record type's writing pages: a form to create, the same form to edit, a
// confirmation before deleting. Every write goes through storage.Create, Update and
// Delete, as the API's do: the same validation, the same audit entry.
type editor[T any, P storage.RecordPtr[T]] struct {
	u        *UI
	path     string // "/app/quotes"
	section  string // navigation entry
	formPage string // the template of the form
	newTitle string // "Nouvelle citation"
	editing  string // "Modifier la citation"
	// values fills the form from a record, record the record from the form.
	values func(P) url.Values
	record func(*Form, P)
	// choices is what the form offers to pick from (speakers, pôles), nil when nothing.
	choices func() (any, error)
	// name says which record a confirmation or a message is about.
	name                      func(P) string
	created, updated, deleted string // flash messages
}

// editForm is the data of a record's form page.
type editForm struct {
	Form    *Form
	Action  string
	Cancel  string
	ID      uint64
	Choices any
}

func (e *editor[T, P]) route(g *gin.RouterGroup) {
	canWrite := e.u.require(storage.RoleEditor)
	path := strings.TrimPrefix(e.path, "/app") // the group adds it back
	g.GET(path+"/new", canWrite, e.newForm)
	g.POST(path, canWrite, e.create)
	g.GET(path+"/:id/edit", canWrite, e.editForm)
	g.POST(path+"/:id", canWrite, e.update)
	g.GET(path+"/:id/delete", canWrite, e.confirmDelete)
	g.POST(path+"/:id/delete", canWrite, e.delete)
}

// url is the address of one of the record type's pages.
func (e *editor[T, P]) url(suffix string) string { return e.path + suffix }

func (e *editor[T, P]) newForm(c *gin.Context) {
	var v P = new(T)
	form := newForm(e.values(v))
	for k, vals := range c.Request.URL.Query() { // preset fields: /app/quotes/new?person_id=3
		form.Values[k] = vals
	}
	e.showForm(c, http.StatusOK, form, 0)
}

func (e *editor[T, P]) showForm(c *gin.Context, status int, form *Form, id uint64) {
	title, action := e.newTitle, e.url("")
	if id != 0 {
		title, action = e.editing, e.url("/"+strconv.FormatUint(id, 10))
	}
	data := editForm{Form: form, Action: action, Cancel: e.url(""), ID: id}
	if e.choices != nil {
		choices, err := e.choices()
		if err != nil {
			e.u.fail(c, err)
			return
		}
		data.Choices = choices
	}
	e.u.render(c, status, e.formPage, page{Title: title, Section: e.section, Data: data})
}

func (e *editor[T, P]) create(c *gin.Context) {
	form := newForm(postForm(c))
	var v P = new(T)
	e.record(form, v)
	if err := storage.Create(e.u.Store, actor(c), v); err != nil {
		e.invalid(c, form, 0, err)
		return
	}
	e.u.flash(c, e.created)
	redirect(c, e.url(""))
}

func (e *editor[T, P]) editForm(c *gin.Context) {
	v, ok := e.load(c)
	if !ok {
		return
	}
	form := newForm(e.values(v))
	form.setVersion(v)
	e.showForm(c, http.StatusOK, form, id(c))
}

func (e *editor[T, P]) update(c *gin.Context) {
	v, ok := e.load(c)
	if !ok {
		return
	}
	form := newForm(postForm(c))
	e.record(form, v)
	if err := storage.UpdateIf(e.u.Store, actor(c), v, form.ID(versionField)); err != nil {
		e.invalid(c, form, id(c), err)
		return
	}
	e.u.flash(c, e.updated)
	redirect(c, e.url(""))
}

// invalid shows the form again with the errors beside their fields and what was typed;
// other errors get the error page.
func (e *editor[T, P]) invalid(c *gin.Context, form *Form, id uint64, err error) {
	if !form.Invalid(err) && !form.Stale(err, e.url("/"+strconv.FormatUint(id, 10)+"/edit")) {
		e.u.fail(c, err)
		return
	}
	e.showForm(c, server.StatusOf(err), form, id)
}

// confirmPage asks before a deletion; the form posts to Action, with the version of the
// record shown (when not 0) so that a record changed in the meantime is not deleted unseen.
type confirmPage struct {
	Heading, Text, Action, Cancel, Button string
	Version                               uint64
}

func (e *editor[T, P]) confirmDelete(c *gin.Context) {
	v, ok := e.load(c)
	if !ok {
		return
	}
	e.u.render(c, http.StatusOK, "confirm", page{Title: "Confirmer la suppression", Section: e.section, Data: confirmPage{
		Heading: "Supprimer " + e.name(v) + "\u202f?",
		Text:    "La suppression est définitive. Elle est inscrite au journal des modifications.",
		Action:  e.url("/" + c.Param("id") + "/delete"), Cancel: e.url(""), Button: "Supprimer définitivement",
		Version: storage.VersionOf(v),
	}})
}

func (e *editor[T, P]) delete(c *gin.Context) {
	if err := storage.DeleteIf[T, P](e.u.Store, actor(c), id(c), newForm(postForm(c)).ID(versionField)); err != nil {
		e.u.fail(c, err)
		return
	}
	e.u.flash(c, e.deleted)
	redirect(c, e.url(""))
}

// load reads the record of the :id parameter, or shows the error page.
func (e *editor[T, P]) load(c *gin.Context) (P, bool) {
	v, err := storage.Get[T, P](e.u.Store, id(c))
	if err != nil {
		e.u.fail(c, err)
		return nil, false
	}
	return v, true
}

// id is the :id path parameter, 0 (which no record has) when it is not a number.
func id(c *gin.Context) uint64 {
	n, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	return n
}

// postForm is the submitted form, urlencoded or multipart.
func postForm(c *gin.Context) url.Values {
	_ = c.Request.ParseMultipartForm(maxUpload) // also parses urlencoded bodies; checkCSRF has read it
	return c.Request.PostForm
}
