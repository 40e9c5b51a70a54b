package ui

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

func (u *UI) routeBoilerplates(g *gin.RouterGroup) {
	g.GET("/boilerplates", u.boilerplates)
	(&editor[storage.Boilerplate, *storage.Boilerplate]{
		u: u, path: "/app/boilerplates", section: "boilerplates", formPage: "boilerplate_form",
		newTitle: "Nouveau texte «\u202fÀ propos\u202f»", editing: "Modifier le texte «\u202fÀ propos\u202f»",
		values:  func(b *storage.Boilerplate) url.Values { return url.Values{"title": {b.Title}, "text": {b.Text}} },
		record:  func(f *Form, b *storage.Boilerplate) { b.Title, b.Text = f.Get("title"), f.Values.Get("text") },
		name:    func(b *storage.Boilerplate) string { return "le texte «\u202f" + b.Title + "\u202f»" },
		created: "Texte enregistré.", updated: "Texte modifié.", deleted: "Texte supprimé.",
	}).route(g)
}

type boilerplatesPage struct {
	Boilerplates []storage.Boilerplate
}

func (u *UI) boilerplates(c *gin.Context) {
	list, err := all[storage.Boilerplate](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "boilerplates", page{Title: "Textes «\u202fÀ propos\u202f»", Section: "boilerplates", Data: boilerplatesPage{Boilerplates: list}})
}
