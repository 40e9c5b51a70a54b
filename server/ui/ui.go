// Package ui is the staff web UI: server-rendered French pages under /app, signing in at
// /login. Its handlers parse a form, store through the same storage functions as the JSON
// API (so every write is validated and audited once), and redirect; a validation error
// shows the form again with the message beside each field and what was typed.
//
// Each page is its own html/template set (layout, shared parts and the page) parsed at
// start-up and rendered into a buffer before anything is written. The style sheet is
// embedded and served under a URL carrying its hash, as is app.js, the one script: it only
// adds to pages that work without it (a logo's preview, a list's live count, searching
// contacts as one types, the fields of the quote's kind, measures reordered by dragging). Pages carry no inline script or style, so a strict
// Content-Security-Policy applies, as on the public pages.
package ui

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

// UI holds what the staff pages need.
type UI struct {
	Store *storage.Store
	Log   *slog.Logger
	Now   func() time.Time
	// Messages composes campaign messages (the settings page's test message).
	Messages *campaignmsg.Composer
	// PDF renders communiqués (the composer's download).
	PDF *pdf.Renderer
	// MailInfo says where e-mail goes, in French (outbox folder or SMTP server).
	MailInfo string
	BaseURL  string
	// Wake tells the campaign sender to look at the campaigns now (a send started, a
	// withdrawal cancelling some); nil: it polls.
	Wake func()
	// EventInterval is how often a send's progress page is told of its counts.
	EventInterval time.Duration

	pages  map[string]pageSet
	static map[string]staticFile // by URL path
	assets map[string]string     // URL of each static file, by name ("compose.js")
	secure bool                  // https: Secure cookies with the __Host- prefix

	uploads pendingUploads     // contact files waiting for their import to be confirmed
	logins  *ratelimit.Limiter // failed sign-ins, per client address and per account
}

// New parses the pages and prepares the static files. renderer is the server's PDF
// renderer, shared so that the fonts are parsed once and the caches serve both. baseURL
// decides whether cookies are Secure.
func New(store *storage.Store, renderer *pdf.Renderer, log *slog.Logger, baseURL string) (*UI, error) {
	u := &UI{Store: store, PDF: renderer, Log: log, Now: time.Now, BaseURL: baseURL, EventInterval: 500 * time.Millisecond, secure: strings.HasPrefix(baseURL, "https://")}
	u.logins = ratelimit.New(loginBurst, loginInterval, func() time.Time { return u.Now() })
	err := u.parsePages()
	if err != nil {
		return nil, err
	}
	u.prepareStatic()
	u.prepareFonts()
	return u, nil
}

// Routes registers the sign-in pages, the static files and everything under /app.
func (u *UI) Routes(r *gin.Engine) {
	g := r.Group("", uiHeaders)
	for path := range u.static {
		g.GET(path, u.serveStatic)
	}
	g.GET("/login", u.loginForm)
	g.POST("/login", u.login)
	app := g.Group("/app", u.requireSession, u.checkCSRF)
	app.POST("/logout", u.logout)
	app.GET("", u.dashboard)
	u.routeQuotes(app)
	u.routePeople(app)
	u.routePoles(app)
	u.routeMeasures(app)
	u.routeBoilerplates(app)
	u.routeImports(app)
	u.routeContacts(app)
	u.routeLists(app)
	u.routeUsers(app)
	app.GET("/audit", u.require(storage.RoleAdmin), u.auditLog)
	u.routeSettings(app)
	u.routeCampaigns(app)
	u.routeCommuniques(app)
}

// pageCSP allows the site's own style sheet, script, images (blob: for the preview of a
// chosen logo), requests (the list form's live count) and frames (a send's message, in a
// sandbox, and a communiqué's preview), and nothing else.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// uiHeaders: no sniffing, no framing, no address of a staff page sent to other sites.
func uiHeaders(c *gin.Context) {
	setHeaders(c)
	c.Next()
}

func setHeaders(c *gin.Context) {
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Referrer-Policy", "same-origin")
	c.Header("X-Frame-Options", "DENY")
}

// redirect answers 303 See Other, so that the browser follows with a GET after a POST.
func redirect(c *gin.Context, to string) {
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

// NotFound answers an unknown address under /app: the sign-in page for whoever is not
// signed in, a French "page introuvable" for the others.
func (u *UI) NotFound(c *gin.Context) {
	setHeaders(c)
	if u.signedIn(c) {
		u.fail(c, storage.Errorf(storage.ENOTFOUND, "Aucune page ne correspond à cette adresse."))
	}
}
