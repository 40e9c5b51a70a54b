package server

import (
	"encoding/xml"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// Sitemap protocol 0.9 (sitemaps.org) elements.
type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists the public pages with absolute addresses: the newsroom, the press
// contacts, the page of each pôle that co-signed a public communiqué, and each public
// communiqué. Built at each request from the index in memory and the pôles.
func (p *publicSite) sitemap(c *gin.Context) {
	all, poles, err := p.publishedAndPoles()
	if err != nil {
		p.failPage(c, err)
		return
	}
	set := sitemapURLSet{URLs: []sitemapURL{{Loc: p.absolute("/presse")}, {Loc: p.absolute("/presse/contacts")}}}
	for i := range poles {
		id := poles[i].ID
		if slices.ContainsFunc(all, func(v *storage.Communique) bool { return slices.Contains(v.PoleIDs, id) }) {
			set.URLs = append(set.URLs, sitemapURL{Loc: p.absolute(pageURL(&poles[i], 1))})
		}
	}
	for _, v := range all {
		set.URLs = append(set.URLs, sitemapURL{Loc: p.absolute("/presse/" + v.Slug), LastMod: rfc3339(v.ReleasedAt())})
	}
	r, err := xmlRendition(set, time.Time{})
	if err != nil {
		p.failPage(c, err)
		return
	}
	serveRendition(c, "application/xml; charset=utf-8", r)
}

// robots lets crawlers read the public pages, keeps them off the API and the unsubscribe
// links, and points them to the sitemap.
func (p *publicSite) robots(c *gin.Context) {
	body := "User-agent: *\nDisallow: /api/\nDisallow: /unsubscribe/\n\nSitemap: " + p.absolute("/sitemap.xml") + "\n"
	serveRendition(c, "text/plain; charset=utf-8", newRendition([]byte(body), time.Time{}))
}
