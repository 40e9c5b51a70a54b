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

// Head is what the layout needs from every page. The Open Graph meta (og:title, og:type,
// og:url, og:description) come from it, for the previews of social networks and chats.
type Head struct {
	Title       string // the page's own title, before " — Salle de presse"
	CSS         string // URL of the style sheet
	Feed        string // URL of the Atom feed, announced in <head> when set
	NoIndex     bool   // asks search engines not to index the page (unsubscribe links)
	URL         string // the page's absolute address, canonical and og:url; "" leaves both out
	Description string // one line for search results and previews; may be ""
	Article     bool   // og:type "article" (a communiqué) rather than "website"
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

// Newsroom is the list of public communiqués, one page of it, all of them or one pôle's.
type Newsroom struct {
	Head
	Heading      string // "Communiqués de presse", or with the pôle's name when filtered
	Poles        []PoleLink
	Entries      []Entry
	Newer, Older string // URLs of the neighbouring pages, "" at either end
}

// PoleLink is a link to a pôle's communiqués; Current marks the pôle the page shows.
type PoleLink struct {
	Name    string
	URL     string
	Current bool
}

// Contacts is the pôles' press officers, grouped by region.
type Contacts struct {
	Head
	Regions []RegionContacts
}

// RegionContacts is the pôles of one region with their press officers.
type RegionContacts struct {
	Name  string
	Poles []PoleContacts
}

// PoleContacts is one pôle's press officers. Every string is plain text.
type PoleContacts struct {
	Name     string
	Website  string // absolute http(s) URL or ""
	Officers []PressOfficer
}

// PressOfficer is one press contact as the public sees it.
type PressOfficer struct {
	Name   string
	Email  string
	Mailto string // "mailto:" and the address
	Phone  string // as typed, typographed
	// Tel is "tel:" and the number's digits (and a leading +): html/template refuses the
	// tel: scheme in plain strings, and a well-formed one is safe.
	Tel template.URL
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
func (Contacts) file() string    { return "contacts.html" }

// Set holds the parsed pages; it is safe for concurrent use.
type Set struct {
	pages map[string]*template.Template
}

// Parse parses every page with the layout.
func Parse() (*Set, error) {
	s := &Set{pages: map[string]*template.Template{}}
	for _, v := range []View{Newsroom{}, Release{}, Unsubscribe{}, Notice{}, Contacts{}} {
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
