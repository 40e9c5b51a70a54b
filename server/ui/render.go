package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
	"portevoix/templates/typo"
)

//go:embed templates/*.html
var templateFiles embed.FS

// shared are the files every page set holds besides its own: the layout and the parts.
var shared = []string{"templates/layout.html", "templates/parts.html"}

// pageNames lists the pages; each is parsed with the shared files into its own set.
var pageNames = []string{"login", "error", "confirm", "dashboard", "quotes", "quote_form", "quote_approve", "people", "person_form",
	"poles", "pole_form", "pole_logo", "measures", "measure_form", "boilerplates", "boilerplate_form",
	"contacts", "contact", "contact_form", "import", "lists", "list", "list_form",
	"users", "user_form", "password", "settings", "audit",
	"campaigns", "campaign_form", "campaign", "campaign_send", "campaign_report",
	"communiques", "communique_new", "compose", "revisions", "communique_approve", "communique_publish", "communique_withdraw"}

// pageSet is one page's parsed templates.
type pageSet = *template.Template

// page is what the layout needs, plus the page's own data.
type page struct {
	Title   string
	Section string // the navigation entry to mark as current
	User    *storage.User
	CSRF    string
	Flash   string
	Assets  map[string]string // URL of each static file by name: app.css and app.js, a page's own script or style
	Data    any
}

// CanEdit says whether the signed-in account may change records (editors and admins).
func (p *page) CanEdit() bool { return p.User != nil && p.User.Role != storage.RoleViewer }

// IsAdmin says whether the signed-in account manages accounts.
func (p *page) IsAdmin() bool { return p.User != nil && p.User.Role == storage.RoleAdmin }

var funcs = template.FuncMap{
	"field":        newField,
	"frDate":       frenchDate,
	"frTime":       frenchTime,
	"roleLabel":    func(role string) string { return roleLabels[role] },
	"query":        func(v url.Values) string { return v.Encode() },
	"navigation":   navigation,
	"has":          slices.Contains[[]string],
	"fieldLabel":   fieldLabel,
	"regionPicker": regionPicker,
	"add":          func(a, b int) int { return a + b },
}

// navItem is one entry of the sections' navigation.
type navItem struct{ URL, Label, Section string }

// navigation lists the sections an account may open.
func navigation(admin bool) []navItem {
	items := []navItem{
		{"/app", "Tableau de bord", "dashboard"}, {"/app/communiques", "Communiqués", "communiques"}, {"/app/quotes", "Citations", "quotes"},
		{"/app/people", "Porte-parole", "people"}, {"/app/poles", "Pôles", "poles"},
		{"/app/measures", "Mesures", "measures"}, {"/app/boilerplates", "Textes «\u202fÀ propos\u202f»", "boilerplates"},
		{"/app/contacts", "Contacts", "contacts"}, {"/app/lists", "Listes", "lists"},
		{"/app/campaigns", "Envois", "campaigns"},
	}
	if admin {
		items = append(items, navItem{"/app/users", "Comptes", "users"}, navItem{"/app/audit", "Journal", "audit"})
	}
	return append(items, navItem{"/app/settings", "Réglages", "settings"})
}

func (u *UI) parsePages() error {
	u.pages = map[string]pageSet{}
	for _, name := range pageNames {
		files := append(append([]string{}, shared...), "templates/"+name+".html")
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, files...)
		if err != nil {
			return fmt.Errorf("parse page %s: %w", name, err)
		}
		u.pages[name] = t
	}
	return nil
}

// render writes a page, rendered into a buffer first so that a template error still gets
// a proper answer. It fills what every page shows: the account, the CSRF token, the flash.
func (u *UI) render(c *gin.Context, status int, name string, p page) {
	p.User, p.Assets = currentUser(c), u.assets
	if s := currentSession(c); s != nil {
		p.CSRF = s.CSRF
	}
	if p.Flash == "" {
		p.Flash = u.takeFlash(c)
	}
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, "layout.html", &p); err != nil {
		u.Log.Error("render page", "page", name, "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Erreur interne du serveur.\n"))
		return
	}
	c.Header("Content-Security-Policy", pageCSP)
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage is the data of the French error page.
type errorPage struct {
	Heading string
	Text    string
}

// fail shows err as a French page with its HTTP status; errors that are not
// *storage.Error are logged and shown as a generic message.
func (u *UI) fail(c *gin.Context, err error) {
	status := server.StatusOf(err)
	heading := map[int]string{
		http.StatusNotFound: "Page introuvable", http.StatusForbidden: "Action non autorisée",
		http.StatusConflict: "Action impossible", http.StatusUnprocessableEntity: "Données invalides",
		http.StatusPreconditionFailed: "Fiche modifiée entre-temps",
	}[status]
	text := err.Error()
	if status == http.StatusInternalServerError || heading == "" {
		u.Log.Error("staff page", "method", c.Request.Method, "path", c.Request.URL.Path, "err", err)
		heading, text = "Erreur interne", "La page n’a pas pu être affichée. L’incident a été journalisé\u202f; merci de réessayer plus tard."
	}
	u.render(c, status, "error", page{Title: heading, Data: errorPage{Heading: heading, Text: text}})
	c.Abort()
}

var roleLabels = map[string]string{storage.RoleViewer: "lecteur", storage.RoleEditor: "rédacteur", storage.RoleAdmin: "administrateur"}

// frenchDate writes a YYYY-MM-DD date as "12 mai 2020"; anything else is kept as is.
func frenchDate(d string) string {
	t, err := time.ParseInLocation("2006-01-02", d, typo.Paris())
	if err != nil {
		return d
	}
	return typo.Date(t)
}

// frenchTime writes an instant in Paris time: "12 mai 2020 à 9 h 30".
func frenchTime(t any) string {
	switch v := t.(type) {
	case *time.Time:
		if v == nil {
			return ""
		}
		return frenchTime(*v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		return typo.Date(v) + " à " + typo.Clock(v)
	}
	return ""
}
