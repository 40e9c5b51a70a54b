package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/templates"
)

func (s *Server) routeCommuniques(g *gin.RouterGroup) {
	routeCRUD[storage.Communique](g, s.Store, crud[*storage.Communique]{
		path:  "/communiques",
		check: checkTemplate,
		filter: func(c *gin.Context) (func(*storage.Communique) bool, error) {
			status := c.Query("status")
			return func(v *storage.Communique) bool { return status == "" || v.Status == status }, nil
		},
	})
	g.GET("/communiques/:id/revisions", canRead, s.communiqueRevisions)
	g.GET("/communiques/:id/preview", canRead, s.communiquePreview)
	g.GET("/communiques/:id/pdf", canRead, s.communiquePDF)
	g.POST("/communiques/:id/approve", canWrite, s.approveCommunique)
	g.POST("/communiques/:id/publish", canWrite, s.publishCommunique)
	g.POST("/communiques/:id/withdraw", canWrite, s.withdrawCommunique)
	g.GET("/templates", canRead, func(c *gin.Context) { c.JSON(http.StatusOK, templateList{Items: templateNames()}) })
}

type templateList struct {
	Items []string `json:"items"`
}

func templateNames() []string { return templates.Names() }

// checkTemplate refuses a template that does not exist, before anything is stored.
func checkTemplate(v *storage.Communique) error {
	if v.Template == "" {
		v.Template = templates.DefaultTemplate
	}
	for _, name := range templates.Names() {
		if name == v.Template {
			return nil
		}
	}
	var p storage.Problems
	p.Add("template", "modèle inconnu, modèles disponibles\u00a0: "+strings.Join(templates.Names(), ", "))
	return p.Err()
}

func (s *Server) communiqueRevisions(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	revs, err := s.Store.Revisions(id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, storage.Page[storage.Communique]{Items: revs})
}

// compose loads a communiqué with its records and composes it. The document's creation time
// is the communiqué's last change, so the same revision always gives the same PDF bytes.
func (s *Server) compose(id uint64) (*templates.Document, *storage.Communique, error) {
	b, err := s.Store.CommuniqueBundle(id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := templates.Compose(templates.InputFromBundle(b, b.Communique.UpdatedAt))
	return doc, &b.Communique, err
}

// previewCSP is the preview page's own policy (inline style, data: logos, nothing else) as
// a header, where frame-ancestors also works: only this site may frame the preview.
const previewCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

func (s *Server) communiquePreview(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	doc, _, err := s.compose(id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Security-Policy", previewCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", templates.PreviewPage(doc))
}

func (s *Server) communiquePDF(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	doc, v, err := s.compose(id)
	if err != nil {
		fail(c, err)
		return
	}
	s.writePDF(c, doc, v.Slug)
}

// writePDF renders into a buffer first, so a failure still gets a proper error answer.
func (s *Server) writePDF(c *gin.Context, doc *templates.Document, slug string) {
	var buf bytes.Buffer
	if err := s.PDF.Render(doc, &buf); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="`+slug+`.pdf"`)
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}

type approveRequest struct {
	PoleID uint64 `json:"pole_id"`
}

func (s *Server) approveCommunique(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req approveRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := s.Store.ApproveCommunique(actor(c), id, req.PoleID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) publishCommunique(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := s.Store.PublishCommunique(actor(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

// withdrawCommunique takes a published communiqué off the public pages and cancels its
// unfinished campaigns (see storage.WithdrawCommunique).
func (s *Server) withdrawCommunique(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req withdrawRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	v, err := s.Store.WithdrawCommunique(actor(c), id, req.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	if s.Wake != nil {
		s.Wake() // its campaigns may have been cancelled
	}
	c.JSON(http.StatusOK, v)
}
