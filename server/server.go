// Package server is Porte-Voix's HTTP side: the JSON API under /api/v1 and the public pages.
// Handlers parse, validate through storage, store, and answer; errors become
// application/problem+json in exactly one place (fail).
package server

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server/campaignmsg"
	"portevoix/storage"
	"portevoix/templates/pdf"
)

// Mail says where the server's e-mail goes, for the settings shown to staff.
type Mail struct {
	Mode string // "smtp" or "outbox"
	Info string // where messages go, in French
}

// Server holds what the handlers need.
type Server struct {
	Store *storage.Store
	PDF   *pdf.Renderer // fonts parsed once, shared by every request
	Log   *slog.Logger
	Now   func() time.Time
	Mail  Mail
	// Messages composes campaign messages, for test sends; New leaves it without a transport
	// (serve gives it one, and hands the same composer to the sender).
	Messages *campaignmsg.Composer
	// BaseURL is the public address of the site, for absolute links (feed, e-mails), from
	// PORTEVOIX_BASE_URL.
	BaseURL string
	// Wake tells the sender that a campaign changed state (nil when no sender runs).
	Wake func()
	// EventInterval is how often campaign progress events are checked.
	EventInterval time.Duration
	// Pages registers the staff web UI's routes (package server/ui), when set, and
	// PagesNotFound answers an unknown address under /app with one of its pages.
	Pages         func(r *gin.Engine)
	PagesNotFound gin.HandlerFunc
}

// New returns a Server over an open store.
func New(store *storage.Store, log *slog.Logger) (*Server, error) {
	renderer, err := pdf.New()
	if err != nil {
		return nil, err
	}
	return &Server{Store: store, PDF: renderer, Log: log, Now: time.Now, BaseURL: "http://127.0.0.1:8080", EventInterval: 500 * time.Millisecond,
		Messages: &campaignmsg.Composer{Store: store, PDF: renderer, Now: time.Now}}, nil
}

// Handler builds the gin engine with explicit middleware and every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(s.recoverer(), s.accessLog())
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) {
		if s.PagesNotFound != nil && (c.Request.URL.Path == "/app" || strings.HasPrefix(c.Request.URL.Path, "/app/")) {
			s.PagesNotFound(c)
			return
		}
		fail(c, storage.Errorf(storage.ENOTFOUND, "Adresse inconnue."))
	})
	r.NoMethod(func(c *gin.Context) {
		c.Header("Content-Type", "application/problem+json")
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, Problem{Type: "about:blank", Title: "Method Not Allowed",
			Status: http.StatusMethodNotAllowed, Detail: "Méthode non autorisée sur cette adresse.", Errors: []storage.FieldError{}})
	})
	r.GET("/healthz", s.healthz)

	api := r.Group("/api/v1", s.authenticate())
	s.routeMe(api)
	s.routeSettings(api)
	s.routeUsers(api)
	s.routePoles(api)
	s.routePeople(api)
	s.routeQuotes(api)
	s.routeMeasures(api)
	s.routeBoilerplates(api)
	s.routeContactFiles(api) // before /contacts/:id, for clarity: static segments win anyway
	s.routeContacts(api)
	s.routeLists(api)
	s.routeCommuniques(api)
	s.routeCampaigns(api)
	s.routePublic(r)
	if s.Pages != nil {
		s.Pages(r)
	}
	return r
}

type health struct {
	Status string `json:"status"`
}

func (s *Server) healthz(c *gin.Context) { c.JSON(http.StatusOK, health{Status: "ok"}) }

// recoverer turns a panic into a logged 500 problem instead of a dropped connection.
func (s *Server) recoverer() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, err any) {
		s.Log.Error("panic", "path", c.Request.URL.Path, "err", err)
		fail(c, storage.Errorf(storage.EINTERNAL, "Erreur interne du serveur."))
	})
}

func (s *Server) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		s.Log.Debug("http", "method", c.Request.Method, "route", c.FullPath(), "status", c.Writer.Status(), "ms", time.Since(start).Milliseconds())
	}
}
