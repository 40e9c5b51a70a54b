package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/templates/typo"
)

func (u *UI) routeMeasures(g *gin.RouterGroup) {
	g.GET("/measures", u.measures)
	(&editor[storage.Measure, *storage.Measure]{
		u: u, path: "/app/measures", section: "measures", formPage: "measure_form",
		newTitle: "Nouvelle mesure", editing: "Modifier la mesure",
		values: func(m *storage.Measure) url.Values {
			return url.Values{"axis": {m.Axis}, "title": {m.Title}, "text": {m.Text}, "tags": {joinWords(m.Tags)}}
		},
		record: func(f *Form, m *storage.Measure) {
			if m.ID == 0 || m.Axis != f.Get("axis") {
				m.Rank = u.nextRank(f.Get("axis")) // a new measure, or one changing axis, comes last
			}
			m.Axis, m.Title, m.Text, m.Tags = f.Get("axis"), f.Get("title"), f.Values.Get("text"), f.Words("tags")
		},
		choices: u.axes,
		name: func(m *storage.Measure) string {
			return "la mesure «\u202f" + typo.Excerpt(cmp.Or(m.Title, m.Text), 60) + "\u202f»"
		},
		created: "Mesure enregistrée.", updated: "Mesure modifiée.", deleted: "Mesure supprimée.",
	}).route(g)
	g.POST("/measures/:id/move", u.require(storage.RoleEditor), u.moveMeasure)
}

// axisGroup is one axis (champ d'action) and its measures in order.
type axisGroup struct {
	Axis     string
	Measures []measureItem
}

// measureItem is a measure and whether it can move up or down.
type measureItem struct {
	storage.Measure
	First, Last bool
}

type measuresPage struct {
	Axes []axisGroup
}

func (u *UI) measures(c *gin.Context) {
	groups, err := u.measureGroups()
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "measures", page{Title: "Mesures", Section: "measures", Data: measuresPage{Axes: groups}})
}

// measureGroups groups the measures by axis, axes in the order of their first measure,
// measures by rank.
func (u *UI) measureGroups() ([]axisGroup, error) {
	measures, err := all[storage.Measure](u.Store, nil)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(measures, func(a, b storage.Measure) int { return cmp.Compare(a.Rank, b.Rank) })
	var groups []axisGroup
	at := map[string]int{}
	for _, m := range measures {
		i, ok := at[m.Axis]
		if !ok {
			i = len(groups)
			at[m.Axis] = i
			groups = append(groups, axisGroup{Axis: m.Axis})
		}
		groups[i].Measures = append(groups[i].Measures, measureItem{Measure: m})
	}
	for _, g := range groups {
		g.Measures[0].First, g.Measures[len(g.Measures)-1].Last = true, true
	}
	return groups, nil
}

// axes lists the existing axes, offered as suggestions in the form.
func (u *UI) axes() (any, error) {
	groups, err := u.measureGroups()
	var names []string
	for _, g := range groups {
		names = append(names, g.Axis)
	}
	return names, err
}

// moveMeasure moves a measure within its axis, then comes back to it: one place up or
// down (the buttons), or to a position, 0 first (a drag and drop, by the script).
func (u *UI) moveMeasure(c *gin.Context) {
	var err error
	if position, notNumber := strconv.Atoi(c.PostForm("position")); notNumber == nil {
		err = u.Store.PlaceMeasure(actor(c), id(c), position)
	} else {
		err = u.Store.MoveMeasure(actor(c), id(c), c.PostForm("direction") == "up")
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	redirect(c, "/app/measures#m-"+c.Param("id"))
}

// nextRank is the rank after the last measure of an axis (0 when the axis is new or
// cannot be read: the order can still be fixed with the buttons).
func (u *UI) nextRank(axis string) int {
	groups, _ := u.measureGroups()
	for _, g := range groups {
		if g.Axis == axis {
			return g.Measures[len(g.Measures)-1].Rank + 1
		}
	}
	return 0
}
