package server

import (
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

func (s *Server) routePoles(g *gin.RouterGroup) {
	routeCRUD[storage.Pole](g, s.Store, crud[*storage.Pole]{path: "/poles"})
	g.GET("/poles/:id/logo", canRead, s.getPoleLogo)
	g.PUT("/poles/:id/logo", canWrite, s.putPoleLogo)
}

func (s *Server) routePeople(g *gin.RouterGroup) {
	routeCRUD[storage.Person](g, s.Store, crud[*storage.Person]{path: "/people", filter: func(c *gin.Context) (func(*storage.Person) bool, error) {
		poleID, err := uintQuery(c, "pole_id")
		if err != nil || poleID == 0 {
			return nil, err
		}
		return func(p *storage.Person) bool { return p.PoleID == poleID }, nil
	}})
}

func (s *Server) routeQuotes(g *gin.RouterGroup) {
	routeCRUD[storage.Quote](g, s.Store, crud[*storage.Quote]{path: "/quotes", filter: func(c *gin.Context) (func(*storage.Quote) bool, error) {
		personID, err := uintQuery(c, "person_id")
		f := storage.QuoteFilter{PersonID: personID, Status: c.Query("status"), Tag: c.Query("tag"), Kind: c.Query("kind")}
		return f.Match, err
	}})
	g.POST("/quotes/:id/approve", canWrite, s.approveQuote)
}

func (s *Server) routeMeasures(g *gin.RouterGroup) {
	routeCRUD[storage.Measure](g, s.Store, crud[*storage.Measure]{path: "/measures", filter: func(c *gin.Context) (func(*storage.Measure) bool, error) {
		axis := c.Query("axis")
		return func(m *storage.Measure) bool { return axis == "" || m.Axis == axis }, nil
	}})
}

func (s *Server) routeBoilerplates(g *gin.RouterGroup) {
	routeCRUD[storage.Boilerplate](g, s.Store, crud[*storage.Boilerplate]{path: "/boilerplates"})
}

func (s *Server) routeContacts(g *gin.RouterGroup) {
	routeCRUD[storage.Contact](g, s.Store, crud[*storage.Contact]{path: "/contacts", find: func(c *gin.Context, opts storage.ListOptions) (any, error) {
		f, err := contactFilter(c)
		if err != nil {
			return nil, err
		}
		return s.Store.FindContacts(f, opts)
	}})
}

// contactFilter reads GET /contacts' filters: ?q=&region=&kind=&tag=&pole_id=&opted_out=&bounced=.
func contactFilter(c *gin.Context) (storage.ContactFilter, error) {
	f := storage.ContactFilter{Region: c.Query("region"), Tag: c.Query("tag"), Kind: c.Query("kind"), Q: c.Query("q")}
	var err error
	if f.PoleID, err = idQuery(c, "pole_id"); err != nil {
		return f, err
	}
	if f.OptedOut, err = boolQuery(c, "opted_out"); err != nil {
		return f, err
	}
	f.Bounced, err = boolQuery(c, "bounced")
	return f, err
}

func (s *Server) routeLists(g *gin.RouterGroup) {
	routeCRUD[storage.List](g, s.Store, crud[*storage.List]{path: "/lists"})
	g.GET("/lists/:id/recipients", canRead, s.listRecipients)
}

// quoteApproval is the optional body of POST /quotes/{id}/approve: how the speaker
// approved ("email", "in_person"), as the staff pages record it.
type quoteApproval struct {
	ApprovedVia string `json:"approved_via"`
}

func (s *Server) approveQuote(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req quoteApproval
	if err := decodeOptional(c, &req); err != nil {
		fail(c, err)
		return
	}
	q, err := s.Store.ApproveQuote(actor(c), id, req.ApprovedVia)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, q)
}

// listRecipients pages through the resolved list.
func (s *Server) listRecipients(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	opts, err := listOptions(c)
	if err != nil {
		fail(c, err)
		return
	}
	page, err := s.Store.RecipientsPage(id, opts)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) getPoleLogo(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	data, typ, err := s.Store.PoleLogo(id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, typ, data)
}

// putPoleLogo takes the image as the raw request body (Content-Type image/png or image/jpeg).
func (s *Server) putPoleLogo(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, storage.MaxLogoSize))
	if err != nil {
		fail(c, storage.Errorf(codeTooLarge, "Logo trop lourd (1 Mo au plus)."))
		return
	}
	pole, err := s.Store.SetPoleLogo(actor(c), id, data)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, pole)
}
