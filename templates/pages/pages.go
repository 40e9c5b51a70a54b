// Package pages renders the public, no-login pages (newsroom, communiqué, unsubscribe,
// errors) with html/template. Each page is its own template set, the shared layout plus
// the page, parsed once by Parse; a page is chosen by the type of the view it is given,
// so a handler cannot pair a view with the wrong template.
package pages

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
)

//go:embed *.html
var files embed.FS

const layoutFile = "layout.html"

// Head is what the layout needs from every page.
type Head struct {
	Title   string // the page's own title, before " — Salle de presse"
	CSS     string // URL of the style sheet
	Feed    string // URL of the Atom feed, announced in <head> when set
	NoIndex bool   // asks search engines not to index the page (unsubscribe links)
}

// Entry is one communiqué in the newsroom's list. Every string is plain text.
type Entry struct {
	Title   string
	Date    string // "12 mai 2020"
	Signers string // co-signers' names, joined the French way
	Excerpt string // the beginning of the chapeau
	URL     string
	PDF     string
}

// Newsroom is the list of public communiqués, one page of it.
type Newsroom struct {
	Head
	Entries      []Entry
	Newer, Older string // URLs of the neighbouring pages, "" at either end
}

// Release is one communiqué.
type Release struct {
	Head
	// Article must come from templates.RenderHTML, which escapes every user string.
	Article template.HTML
	PDF     string
}

// Unsubscribe asks a recipient to confirm (Done false), or confirms that the address will
// receive nothing more (Done true).
type Unsubscribe struct {
	Head
	Action string // URL the confirmation form posts to
	Email  string // the address, partly masked
	Done   bool
}

// Notice is a short message page: not found, invalid link, server error.
type Notice struct {
	Head
	Heading string
	Text    string
}

// View is a page's data; its type selects the template.
type View interface{ file() string }

func (Newsroom) file() string    { return "newsroom.html" }
func (Release) file() string     { return "release.html" }
func (Unsubscribe) file() string { return "unsubscribe.html" }
func (Notice) file() string      { return "notice.html" }

// Set holds the parsed pages; it is safe for concurrent use.
type Set struct {
	pages map[string]*template.Template
}

// Parse parses every page with the layout.
func Parse() (*Set, error) {
	s := &Set{pages: map[string]*template.Template{}}
	for _, v := range []View{Newsroom{}, Release{}, Unsubscribe{}, Notice{}} {
		t, err := template.ParseFS(files, layoutFile, v.file())
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", v.file(), err)
		}
		s.pages[v.file()] = t
	}
	return s, nil
}

// Render executes the page of v into buf.
func (s *Set) Render(buf *bytes.Buffer, v View) error {
	return s.pages[v.file()].ExecuteTemplate(buf, layoutFile, v)
}
