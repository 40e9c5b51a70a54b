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
	"portevoix/server/ratelimit"
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
	// AuthLimit counts failed authentications per client address.
	AuthLimit *ratelimit.Limiter
	// Pages registers the staff web UI's routes (package server/ui), when set, and
	// PagesNotFound answers an unknown address under /app with one of its pages.
	Pages         func(r *gin.Engine)
	PagesNotFound gin.HandlerFunc
}

// Failed authentications allowed in a row per client address, then one attempt per
// authInterval: enough for a mistyped token, far too few to guess one.
const (
	authBurst    = 10
	authInterval = time.Minute
)

// New returns a Server over an open store.
func New(store *storage.Store, log *slog.Logger) (*Server, error) {
	renderer, err := pdf.New()
	if err != nil {
		return nil, err
	}
	renderer.Log = log
	s := &Server{Store: store, PDF: renderer, Log: log, Now: time.Now, BaseURL: "http://127.0.0.1:8080", EventInterval: 500 * time.Millisecond,
		Messages: &campaignmsg.Composer{Store: store, PDF: renderer, Now: time.Now}}
	s.AuthLimit = ratelimit.New(authBurst, authInterval, func() time.Time { return s.Now() })
	return s, nil
}

// Handler builds the gin engine with explicit middleware and every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(s.recoverer(), s.accessLog(), securityHeaders, s.baseInPlace())
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
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, Problem{Type: "about:blank", Title: problemTitle(http.StatusMethodNotAllowed),
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

// defaultCSP forbids everything: an HTML answer without a policy of its own (a redirect's
// body) loads nothing and cannot be framed.
const defaultCSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// securityHeaders keeps browsers from guessing types, and gives every HTML answer a
// Content-Security-Policy. Other answers get none: a PDF opens in the browser's own viewer,
// which a policy must not hinder.
func securityHeaders(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Writer = htmlPolicy{c.Writer}
	c.Next()
}

// htmlPolicy adds defaultCSP to an HTML answer that set no policy, when its header is
// written: only then is its type known.
type htmlPolicy struct{ gin.ResponseWriter }

func (w htmlPolicy) guard() {
	h := w.Header()
	if !w.Written() && h.Get("Content-Security-Policy") == "" && strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		h.Set("Content-Security-Policy", defaultCSP)
	}
}

func (w htmlPolicy) WriteHeaderNow() { w.guard(); w.ResponseWriter.WriteHeaderNow() }

func (w htmlPolicy) Write(b []byte) (int, error) { w.guard(); return w.ResponseWriter.Write(b) }

func (w htmlPolicy) WriteString(s string) (int, error) {
	w.guard()
	return w.ResponseWriter.WriteString(s)
}

type health struct {
	Status string `json:"status"`
}

// healthz answers 503 when the base file is no longer in place (see baseInPlace).
func (s *Server) healthz(c *gin.Context) {
	if err := s.Store.Health(); err != nil {
		s.Log.Error("base file gone", "path", s.Store.Path(), "err", err)
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, health{Status: "ok"})
}

// baseInPlace refuses every request that may write once the data folder or the base file
// has been removed or replaced: bbolt would keep writing to a file nobody opens again, and
// every change would be lost at restart. One stat per request is cheap next to a commit.
func (s *Server) baseInPlace() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return
		}
		if err := s.Store.Health(); err != nil {
			s.Log.Error("write refused: base file gone", "path", s.Store.Path(), "method", c.Request.Method, "route", c.FullPath(), "err", err)
			fail(c, err)
		}
	}
}

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
