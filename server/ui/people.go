package ui

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

func (u *UI) routePeople(g *gin.RouterGroup) {
	g.GET("/people", u.people)
	(&editor[storage.Person, *storage.Person]{
		u: u, path: "/app/people", section: "people", formPage: "person_form",
		newTitle: "Nouveau porte-parole", editing: "Modifier le porte-parole",
		values: func(p *storage.Person) url.Values {
			return url.Values{"name": {p.Name}, "title": {p.Title}, "pole_id": {idString(p.PoleID)}}
		},
		record: func(f *Form, p *storage.Person) {
			p.Name, p.Title, p.PoleID = f.Get("name"), f.Get("title"), f.ID("pole_id")
		},
		choices: func() (any, error) { return u.poleOptions("Choisir…") },
		name:    func(p *storage.Person) string { return p.Name },
		created: "Porte-parole enregistré.", updated: "Porte-parole modifié.", deleted: "Porte-parole supprimé.",
	}).route(g)
}

// personItem is a spokesperson as the list shows them.
type personItem struct {
	ID          uint64
	Name, Title string
	Pole        string
	Quotes      int
}

type peoplePage struct {
	Filter *Form
	Poles  []Option
	People []personItem
}

func (u *UI) people(c *gin.Context) {
	filter := newForm(c.Request.URL.Query())
	poleID := filter.ID("pole_id")
	people, err := all[storage.Person](u.Store, func(p *storage.Person) bool { return poleID == 0 || p.PoleID == poleID })
	if err != nil {
		u.fail(c, err)
		return
	}
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	quotes, err := all[storage.Quote](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	count := map[uint64]int{}
	for _, q := range quotes {
		count[q.PersonID]++
	}
	poleNames := poleLabels(poles)
	p := peoplePage{Filter: filter, Poles: poleChoices(poles, "Tous les pôles")}
	for _, v := range sortedBy(people, func(p *storage.Person) string { return p.Name }) {
		p.People = append(p.People, personItem{ID: v.ID, Name: v.Name, Title: v.Title, Pole: poleNames[v.PoleID], Quotes: count[v.ID]})
	}
	u.render(c, http.StatusOK, "people", page{Title: "Porte-parole", Section: "people", Data: p})
}
