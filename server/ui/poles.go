package ui

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
)

func (u *UI) routePoles(g *gin.RouterGroup) {
	g.GET("/poles", u.poles)
	(&editor[storage.Pole, *storage.Pole]{
		u: u, path: "/app/poles", section: "poles", formPage: "pole_form",
		newTitle: "Nouveau pôle", editing: "Modifier le pôle",
		values: func(p *storage.Pole) url.Values {
			return url.Values{"name": {p.Name}, "short_name": {p.ShortName}, "regions": p.Regions,
				"website": {p.Website}, "description": {p.Description}}
		},
		record: func(f *Form, p *storage.Pole) {
			p.Name, p.ShortName, p.Regions, p.Website, p.Description = f.Get("name"), f.Get("short_name"), f.Words("regions"), f.Get("website"), f.Values.Get("description")
		},
		name:    func(p *storage.Pole) string { return "le pôle " + p.Name },
		created: "Pôle enregistré.", updated: "Pôle modifié.", deleted: "Pôle supprimé.",
	}).route(g)
	g.GET("/poles/:id/logo", u.poleLogo)
	canWrite := u.require(storage.RoleEditor)
	g.GET("/poles/:id/logo/edit", canWrite, u.logoForm)
	g.POST("/poles/:id/logo", canWrite, u.uploadLogo)
}

type polesPage struct {
	Poles []storage.Pole
}

func (u *UI) poles(c *gin.Context) {
	poles, err := all[storage.Pole](u.Store, nil)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.render(c, http.StatusOK, "poles", page{Title: "Pôles", Section: "poles", Data: polesPage{Poles: sortedBy(poles, func(p *storage.Pole) string { return p.Name })}})
}

// poleLogo serves a pôle's logo for the pages' previews.
func (u *UI) poleLogo(c *gin.Context) {
	data, typ, err := u.Store.PoleLogo(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-cache")
	c.Data(http.StatusOK, typ, data)
}

// logoPage shows the current logo and the upload form.
type logoPage struct {
	Pole    *storage.Pole
	Logo    string // URL of the current logo with its version, "" when none
	Form    *Form
	MaxSize int
}

func (u *UI) logoForm(c *gin.Context) { u.showLogo(c, http.StatusOK, newForm(nil)) }

func (u *UI) showLogo(c *gin.Context, status int, form *Form) {
	p, err := storage.Get[storage.Pole](u.Store, id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	data := logoPage{Pole: p, Form: form, MaxSize: storage.MaxLogoSize >> 20}
	if p.LogoType != "" {
		data.Logo = "/app/poles/" + c.Param("id") + "/logo?v=" + strconv.FormatInt(p.UpdatedAt.UnixNano(), 36)
	}
	u.render(c, status, "pole_logo", page{Title: "Logo de " + p.Name, Section: "poles", Data: data})
}

// uploadLogo stores the image through the same check as the API (decoded, PNG or JPEG,
// 1 MB at most), then shows the page again with the new logo as its preview.
func (u *UI) uploadLogo(c *gin.Context) {
	form := newForm(nil)
	data, err := uploaded(c, "logo", storage.MaxLogoSize)
	if err == nil {
		_, err = u.Store.SetPoleLogo(actor(c), id(c), data)
	}
	if form.Invalid(err) {
		u.showLogo(c, server.StatusOf(err), form)
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, "Logo enregistré.")
	redirect(c, "/app/poles/"+c.Param("id")+"/logo/edit")
}

// uploaded reads a file field of a multipart form, refusing more than max bytes.
func uploaded(c *gin.Context, field string, max int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, &storage.Error{Code: storage.EINVALID, Message: "Aucun fichier choisi.", Fields: []storage.FieldError{{Field: field, Message: "choisissez un fichier"}}}
	}
	if err != nil {
		return nil, err
	}
	if fh.Size > max {
		return nil, &storage.Error{Code: storage.EINVALID, Message: "Fichier trop lourd.", Fields: []storage.FieldError{{Field: field, Message: "fichier trop lourd (" + strconv.FormatInt(max>>20, 10) + "\u00a0Mo au plus)"}}}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max+1))
}
