package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"portevoix/assets"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/pages"
	"portevoix/templates/typo"
)

// perPage is the number of communiqués on a newsroom page and in the feed.
const perPage = 20

// excerptLen is the length, in characters, of the chapeau shown in the newsroom.
const excerptLen = 280

// pageCSP allows the page's own style sheet and the data: logos, and nothing else: no
// script at all, forms posting only to this site.
const pageCSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// publicSite serves the public, no-login pages. Its pages and style sheet are prepared
// once, when the routes are registered.
type publicSite struct {
	*Server
	pages   *pages.Set
	cssPath string    // carries the style sheet's hash, so it can be cached for good
	started time.Time // the Last-Modified of an empty newsroom
	cache   renditions

	mu     sync.Mutex
	secret []byte // the unsubscribe secret, read once: Store.Secret opens a write transaction
}

// routePublic registers the newsroom, its feed and PDFs, and the unsubscribe links.
func (s *Server) routePublic(r *gin.Engine) {
	set, err := pages.Parse()
	if err != nil {
		panic(err) // embedded templates: a parse error is a bug that every test catches
	}
	sum := sha256.Sum256(assets.PublicCSS)
	p := &publicSite{Server: s, pages: set, cssPath: "/presse/style." + hex.EncodeToString(sum[:6]) + ".css",
		started: s.Now(), cache: renditions{budget: renditionBudget}}

	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/presse") })
	g := r.Group("", publicHeaders)
	// HEAD too, for link checkers and feed readers; net/http drops the body.
	g.Match([]string{http.MethodGet, http.MethodHead}, "/presse", p.newsroom)
	g.Match([]string{http.MethodGet, http.MethodHead}, "/presse/feed.atom", p.feed)
	g.Match([]string{http.MethodGet, http.MethodHead}, "/presse/contacts", p.contacts)
	g.GET(p.cssPath, p.css)
	g.Match([]string{http.MethodGet, http.MethodHead}, "/favicon.ico", p.icon("image/x-icon", assets.FaviconICO))
	g.Match([]string{http.MethodGet, http.MethodHead}, "/favicon.svg", p.icon("image/svg+xml", assets.FaviconSVG))
	g.Match([]string{http.MethodGet, http.MethodHead}, "/sitemap.xml", p.sitemap)
	g.Match([]string{http.MethodGet, http.MethodHead}, "/robots.txt", p.robots)
	// Also "/presse/SLUG.pdf": gin cannot split a path segment in two parameters.
	g.Match([]string{http.MethodGet, http.MethodHead}, "/presse/:slug", p.release)
	g.GET("/unsubscribe/:token", p.unsubscribeForm)
	g.POST("/unsubscribe/:token", p.unsubscribe)
}

// publicHeaders keeps browsers from sending the address of a page (an unsubscribe link is
// a secret) to other sites.
func publicHeaders(c *gin.Context) {
	c.Header("Referrer-Policy", "no-referrer")
	c.Next()
}

func (p *publicSite) css(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "text/css; charset=utf-8", assets.PublicCSS)
}

func (p *publicSite) head(title string) pages.Head {
	return pages.Head{Title: title, CSS: p.cssPath, Feed: "/presse/feed.atom"}
}

// absolute is the address of path on the public site, for canonical links, Open Graph and
// the sitemap.
func (p *publicSite) absolute(path string) string {
	return strings.TrimRight(p.BaseURL, "/") + path
}

// render writes a page, rendered into a buffer first so that a template error still gets a
// proper answer.
func (p *publicSite) render(c *gin.Context, status int, v pages.View) {
	var buf bytes.Buffer
	if err := p.pages.Render(&buf, v); err != nil {
		p.Log.Error("render page", "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("Erreur interne du serveur.\n"))
		return
	}
	c.Header("Content-Security-Policy", pageCSP)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// servePage answers with the page at key, rendering it with view on first use.
func (p *publicSite) servePage(c *gin.Context, key string, modified time.Time, view func() (pages.View, error)) {
	r, err := p.cache.get(key, func() (*rendition, error) {
		v, err := view()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := p.pages.Render(&buf, v); err != nil {
			return nil, err
		}
		return newRendition(buf.Bytes(), modified), nil
	})
	if err != nil {
		p.failPage(c, err)
		return
	}
	c.Header("Content-Security-Policy", pageCSP)
	serveRendition(c, "text/html; charset=utf-8", r)
}

// failPage answers ENOTFOUND with the same page whatever was missing, so that a
// communiqué under embargo cannot be told from one that does not exist; any other error
// is logged and shown as a generic message.
func (p *publicSite) failPage(c *gin.Context, err error) {
	switch storage.ErrorCode(err) {
	case storage.ENOTFOUND:
		p.render(c, http.StatusNotFound, pages.Notice{Head: p.head("Page introuvable"), Heading: "Page introuvable",
			Text: "Aucune page ne correspond à cette adresse. Les communiqués publiés sont listés dans la salle de presse."})
		return
	case storage.EGONE:
		// Revalidated on every request, like the page it replaces; no ETag: nothing to compare.
		c.Header("Cache-Control", "no-cache")
		p.render(c, http.StatusGone, p.notice("Communiqué retiré", "Ce communiqué a été retiré par ses auteurs : "+
			"il ne figure plus dans la salle de presse, et sa version PDF n’est plus diffusée. "+
			"Les communiqués en vigueur sont listés dans la salle de presse."))
		return
	}
	p.Log.Error("public page", "path", c.Request.URL.Path, "err", err)
	p.render(c, http.StatusInternalServerError, pages.Notice{Head: p.head("Erreur"), Heading: "Erreur interne",
		Text: "La page n’a pas pu être affichée. L’incident a été journalisé\u202f; merci de réessayer plus tard."})
}

// errNoPage is what every missing or not-yet-public page answers.
var errNoPage = storage.Errorf(storage.ENOTFOUND, "Page introuvable.")

// lastRelease is when the list of public communiqués last changed: the latest release
// among them, or the site's start when there is none.
func (p *publicSite) lastRelease(list []*storage.Communique) time.Time {
	if len(list) == 0 {
		return p.started
	}
	var last time.Time
	for _, v := range list {
		if t := v.ReleasedAt(); t.After(last) {
			last = t
		}
	}
	return last
}

// newsroom serves a page of the public communiqués, all of them or one pôle's (?pole=),
// rendered once for each list it shows.
func (p *publicSite) newsroom(c *gin.Context) {
	page, ok := pageNumber(c.Query("page"))
	all, poles, err := p.publishedAndPoles()
	if err != nil {
		p.failPage(c, err)
		return
	}
	filter, found := findPole(poles, c.Query("pole"))
	if !found {
		p.failPage(c, errNoPage)
		return
	}
	if filter != nil {
		all = signedBy(all, filter.ID)
	}
	from := (page - 1) * perPage
	if !ok || page > 1 && from >= len(all) {
		p.failPage(c, errNoPage)
		return
	}
	modified, err := p.listModified(all, poles)
	if err != nil {
		p.failPage(c, err)
		return
	}
	shown, older := all[from:min(from+perPage, len(all))], from+perPage < len(all)
	key := "newsroom " + polesKey(poles, filter) + strconv.Itoa(page) + " " + strconv.FormatBool(older) + " " + communiquesKey(shown)
	p.servePage(c, key, modified, func() (pages.View, error) { return p.newsroomView(page, shown, older, poles, filter) })
}

func (p *publicSite) newsroomView(page int, shown []*storage.Communique, older bool, poles []storage.Pole, filter *storage.Pole) (pages.View, error) {
	view := pages.Newsroom{Head: p.head("Communiqués de presse"), Heading: "Communiqués de presse",
		Poles: poleLinks(poles, filter), Entries: make([]pages.Entry, 0, len(shown))}
	view.Description = "Les communiqués de presse des pôles, à lire en ligne ou en PDF, et leur fil Atom."
	if filter != nil {
		name := typo.Text(filter.Name)
		view.Title, view.Heading = "Communiqués de "+name, "Communiqués de presse de "+name
		view.Description = "Les communiqués de presse cosignés par " + name + "."
	}
	view.URL = p.absolute(pageURL(filter, page))
	for _, v := range shown {
		e, err := p.entry(v)
		if err != nil {
			return nil, err
		}
		view.Entries = append(view.Entries, e)
	}
	if page > 1 {
		view.Newer = pageURL(filter, page-1)
	}
	if older {
		view.Older = pageURL(filter, page+1)
	}
	return view, nil
}

// pageNumber reads ?page=, 1 when absent; ok is false for anything but a positive number.
func pageNumber(q string) (page int, ok bool) {
	if q == "" {
		return 1, true
	}
	n, err := strconv.Atoi(q)
	return n, err == nil && n >= 1 && strconv.Itoa(n) == q
}

// pageURL is the address of a page of the newsroom, of one pôle's communiqués when filter
// is not nil.
func pageURL(filter *storage.Pole, page int) string {
	var q []string
	if filter != nil {
		q = append(q, "pole="+poleSlug(*filter))
	}
	if page > 1 {
		q = append(q, "page="+strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "/presse"
	}
	return "/presse?" + strings.Join(q, "&")
}

// entry is a communiqué as the newsroom lists it.
func (p *publicSite) entry(v *storage.Communique) (pages.Entry, error) {
	signers, err := p.signerNames(v)
	if err != nil {
		return pages.Entry{}, err
	}
	return pages.Entry{
		Title:   typo.Text(v.Title),
		Date:    frenchDate(v.Date),
		Signers: strings.Join(signers, ", "),
		Excerpt: typo.Excerpt(typo.Text(v.Lede), excerptLen),
		URL:     "/presse/" + v.Slug,
		PDF:     "/presse/" + v.Slug + ".pdf",
	}, nil
}

// signerNames are the co-signing pôles' names as the communiqué was published, in its order.
func (p *publicSite) signerNames(v *storage.Communique) ([]string, error) {
	b, err := p.Store.CommuniqueBundle(v.ID)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(b.Poles))
	for _, pole := range b.Poles {
		names = append(names, typo.Text(pole.Name))
	}
	return names, nil
}

// frenchDate turns a stored YYYY-MM-DD date into "12 mai 2020" ("" when malformed).
func frenchDate(date string) string {
	day, err := time.ParseInLocation(time.DateOnly, date, typo.Paris())
	if err != nil {
		return ""
	}
	return typo.Date(day)
}

// release serves /presse/SLUG as a page and /presse/SLUG.pdf as the PDF, each rendered once
// per revision. A communiqué missing, unpublished or under embargo gets the same 404.
func (p *publicSite) release(c *gin.Context) {
	slug, asPDF := strings.CutSuffix(c.Param("slug"), ".pdf")
	v, err := p.Store.PublicCommunique(slug, p.Now())
	if err != nil {
		p.failPage(c, err)
		return
	}
	key := strconv.FormatUint(v.ID, 10) + "." + strconv.Itoa(v.Revision)
	if asPDF {
		p.servePDF(c, "pdf "+key, v)
		return
	}
	p.servePage(c, "page "+key, v.ReleasedAt(), func() (pages.View, error) {
		doc, b, err := p.compose(v.ID)
		if err != nil {
			return nil, err
		}
		h := p.head(doc.Title)
		h.URL, h.Description, h.Article = p.absolute("/presse/"+v.Slug), typo.Excerpt(typo.Text(b.Lede), 200), true
		return pages.Release{Head: h, Article: template.HTML(templates.RenderHTML(doc)), PDF: "/presse/" + v.Slug + ".pdf"}, nil
	})
}

func (p *publicSite) servePDF(c *gin.Context, key string, v *storage.Communique) {
	r, err := p.cache.get(key, func() (*rendition, error) {
		doc, _, err := p.compose(v.ID)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := p.PDF.Render(doc, &buf); err != nil {
			return nil, err
		}
		return newRendition(buf.Bytes(), v.ReleasedAt()), nil
	})
	if err != nil {
		p.failPage(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="`+v.Slug+`.pdf"`)
	serveRendition(c, "application/pdf", r)
}

// Atom 1.0 (RFC 4287) elements, as much of them as the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
	Deleted []atomTombstone
}

// atomTombstone tells feed readers to drop an entry they keep (RFC 6721): a withdrawn
// communiqué, its ref the entry's id.
type atomTombstone struct {
	XMLName xml.Name `xml:"http://purl.org/atompub/tombstones/1.0 deleted-entry"`
	Ref     string   `xml:"ref,attr"`
	When    string   `xml:"when,attr"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     atomText     `xml:"title"`
	Published string       `xml:"published"`
	Updated   string       `xml:"updated"`
	Links     []atomLink   `xml:"link"`
	Authors   []atomPerson `xml:"author"`
	Summary   atomText     `xml:"summary"`
}

// feed serves the newest public communiqués as Atom, rendered once for each list it shows.
// Ids are the absolute addresses of the pages, which never change since a published
// communiqué cannot be edited.
func (p *publicSite) feed(c *gin.Context) {
	all, err := p.Store.Published(p.Now())
	if err != nil {
		p.failPage(c, err)
		return
	}
	shown := all[:min(perPage, len(all))]
	withdrawn, err := p.Store.Withdrawn()
	if err != nil {
		p.failPage(c, err)
		return
	}
	withdrawn = withdrawn[:min(perPage, len(withdrawn))]
	updated := latest(p.lastRelease(shown), lastWithdrawal(withdrawn))
	key := "feed " + communiquesKey(shown) + "withdrawn " + communiquesKey(withdrawn)
	r, err := p.cache.get(key, func() (*rendition, error) { return p.renderFeed(shown, withdrawn, updated) })
	if err != nil {
		p.failPage(c, err)
		return
	}
	serveRendition(c, "application/atom+xml; charset=utf-8", r)
}

// renderFeed renders the feed of shown, last changed at updated, with a tombstone for each
// of the latest withdrawals: a withdrawal changes the feed as much as a publication.
func (p *publicSite) renderFeed(shown, withdrawn []*storage.Communique, updated time.Time) (*rendition, error) {
	f := atomFeed{Lang: "fr", ID: p.absolute("/presse/feed.atom"), Title: "Communiqués de presse",
		Updated: rfc3339(updated), Author: atomPerson{Name: "Salle de presse"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: p.absolute("/presse/feed.atom")},
			{Rel: "alternate", Type: "text/html", Href: p.absolute("/presse")}}}
	for _, v := range shown {
		e, err := p.atomEntry(v)
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, e)
	}
	for _, v := range withdrawn {
		f.Deleted = append(f.Deleted, atomTombstone{Ref: p.absolute("/presse/" + v.Slug), When: rfc3339(*v.WithdrawnAt)})
	}
	return xmlRendition(f, updated)
}

func (p *publicSite) atomEntry(v *storage.Communique) (atomEntry, error) {
	signers, err := p.signerNames(v)
	if err != nil {
		return atomEntry{}, err
	}
	url := p.absolute("/presse/" + v.Slug)
	at := rfc3339(v.ReleasedAt())
	e := atomEntry{ID: url, Title: atomText{Type: "text", Text: typo.Text(v.Title)}, Published: at, Updated: at,
		Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: url},
			{Rel: "enclosure", Type: "application/pdf", Href: url + ".pdf"}},
		Summary: atomText{Type: "text", Text: typo.Text(v.Lede)}}
	for _, name := range signers {
		e.Authors = append(e.Authors, atomPerson{Name: name})
	}
	return e, nil
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// contactFromToken verifies an unsubscribe token and loads its contact. A refused token,
// a test message's link or a contact deleted since has already been answered when ok is
// false.
func (p *publicSite) contactFromToken(c *gin.Context) (contact *storage.Contact, ok bool) {
	c.Header("Cache-Control", "no-store")
	secret, err := p.unsubscribeSecret()
	if err != nil {
		p.failPage(c, err)
		return nil, false
	}
	id, err := unsubscribe.Verify(secret, c.Param("token"))
	if err != nil {
		p.render(c, http.StatusNotFound, p.notice("Lien invalide", "Ce lien de désinscription n’est pas valide. "+
			"Vérifiez qu’il a été copié en entier depuis le message reçu, ou répondez à ce message pour demander votre désinscription."))
		return nil, false
	}
	if id == unsubscribe.TestID {
		p.render(c, http.StatusOK, p.notice("Message de test", "Ce lien vient d’un message de test, envoyé pour vérifier une campagne "+
			"avant son départ. Personne n’a été désinscrit et rien n’a été modifié\u00a0: dans les messages de la campagne, "+
			"ce lien désinscrit son destinataire."))
		return nil, false
	}
	contact, err = storage.Get[storage.Contact](p.Store, id)
	if storage.ErrorCode(err) == storage.ENOTFOUND {
		p.render(c, http.StatusGone, p.notice("Adresse déjà retirée", "Cette adresse ne figure plus dans notre fichier de contacts presse."))
		return nil, false
	}
	if err != nil {
		p.failPage(c, err)
		return nil, false
	}
	return contact, true
}

func (p *publicSite) unsubscribeSecret() ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.secret == nil {
		secret, err := p.Store.Secret()
		if err != nil {
			return nil, err
		}
		p.secret = secret
	}
	return p.secret, nil
}

// notice is a message page that search engines should not index.
func (p *publicSite) notice(heading, text string) pages.Notice {
	h := p.head(heading)
	h.NoIndex = true
	return pages.Notice{Head: h, Heading: heading, Text: text}
}

// unsubscribeForm only asks: link scanners fetch every link of a message, so a GET must
// change nothing.
func (p *publicSite) unsubscribeForm(c *gin.Context) {
	contact, ok := p.contactFromToken(c)
	if !ok {
		return
	}
	p.render(c, http.StatusOK, p.unsubscribeView(c, contact, contact.OptedOut))
}

// unsubscribe confirms, from the page's form or from a mail client's RFC 8058 one-click
// POST. The signed token is the only credential, as RFC 8058 intends; answering 200 again
// for an address already unsubscribed keeps mail clients from retrying.
func (p *publicSite) unsubscribe(c *gin.Context) {
	contact, ok := p.contactFromToken(c)
	if !ok {
		return
	}
	if !contact.OptedOut {
		if err := p.Store.OptOut(contact.ID, "unsubscribe"); err != nil {
			p.failPage(c, err)
			return
		}
	}
	p.render(c, http.StatusOK, p.unsubscribeView(c, contact, true))
}

func (p *publicSite) unsubscribeView(c *gin.Context, contact *storage.Contact, done bool) pages.Unsubscribe {
	title := "Se désinscrire"
	if done {
		title = "Désinscription confirmée"
	}
	h := p.head(title)
	h.NoIndex = true
	return pages.Unsubscribe{Head: h, Action: "/unsubscribe/" + c.Param("token"), Email: maskEmail(contact.Email), Done: done}
}

// maskEmail shows enough of an address for its owner to recognise it, in case the link
// was forwarded: "a•••@example.org".
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "•••"
	}
	first, _ := utf8.DecodeRuneInString(local)
	return string(first) + "•••@" + domain
}
