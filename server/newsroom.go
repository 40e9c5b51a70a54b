package server

import (
	"bytes"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/storage/region"
	"portevoix/templates/pages"
	"portevoix/templates/typo"
)

// maxPoles bounds the pôles the newsroom links to: a network has a handful.
const maxPoles = 1000

// poles lists the pôles by name, for the newsroom's filter.
func (p *publicSite) poles() ([]storage.Pole, error) {
	page, err := storage.Find[storage.Pole](p.Store, storage.ListOptions{Limit: maxPoles}, nil)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(page.Items, func(a, b storage.Pole) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return page.Items, nil
}

// publishedAndPoles is what the newsroom's lists are made of: the public communiqués now,
// newest first, and the pôles by name.
func (p *publicSite) publishedAndPoles() ([]*storage.Communique, []storage.Pole, error) {
	all, err := p.Store.Published(p.Now())
	if err != nil {
		return nil, nil, err
	}
	poles, err := p.poles()
	return all, poles, err
}

// poleSlug names a pôle in the newsroom's addresses: its short name's slug, else its name's.
func poleSlug(v storage.Pole) string {
	if s := storage.Slugify(v.ShortName); s != "" {
		return s
	}
	if s := storage.Slugify(v.Name); s != "" {
		return s
	}
	return strconv.FormatUint(v.ID, 10)
}

// findPole reads ?pole=, a pôle's slug or id: nil and found for no filter, found false for
// a pôle that does not exist.
func findPole(poles []storage.Pole, q string) (filter *storage.Pole, found bool) {
	if q == "" {
		return nil, true
	}
	for i := range poles {
		if poleSlug(poles[i]) == q || strconv.FormatUint(poles[i].ID, 10) == q {
			return &poles[i], true
		}
	}
	return nil, false
}

// signedBy keeps the communiqués the pôle co-signed.
func signedBy(list []*storage.Communique, poleID uint64) []*storage.Communique {
	var out []*storage.Communique
	for _, v := range list {
		if slices.Contains(v.PoleIDs, poleID) {
			out = append(out, v)
		}
	}
	return out
}

func poleLinks(poles []storage.Pole, filter *storage.Pole) []pages.PoleLink {
	links := make([]pages.PoleLink, 0, len(poles))
	for _, v := range poles {
		links = append(links, pages.PoleLink{Name: typo.Text(v.Name), URL: pageURL(&v, 1), Current: filter != nil && filter.ID == v.ID})
	}
	return links
}

// polesKey names the pôle links a newsroom page shows and the pôle it filters on, for the
// renditions' cache: a pôle renamed gives a new key.
func polesKey(poles []storage.Pole, filter *storage.Pole) string {
	var b strings.Builder
	if filter != nil {
		b.WriteString("pole " + strconv.FormatUint(filter.ID, 10) + " ")
	}
	for _, v := range poles {
		b.WriteString(strconv.FormatUint(v.ID, 10) + "." + strconv.FormatUint(v.Version, 10) + " ")
	}
	return b.String()
}

// listModified is when a newsroom list last changed: its latest release, the latest
// withdrawal (a communiqué left the list) or the latest change of a pôle (the links).
func (p *publicSite) listModified(list []*storage.Communique, poles []storage.Pole) (time.Time, error) {
	withdrawn, err := p.Store.Withdrawn()
	if err != nil {
		return time.Time{}, err
	}
	t := latest(p.lastRelease(list), lastWithdrawal(withdrawn))
	for _, v := range poles {
		t = latest(t, v.UpdatedAt)
	}
	return t, nil
}

// lastWithdrawal is the latest withdrawal of the list Store.Withdrawn returns, zero when
// it is empty.
func lastWithdrawal(withdrawn []*storage.Communique) time.Time {
	if len(withdrawn) == 0 {
		return time.Time{}
	}
	return *withdrawn[0].WithdrawnAt
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b.UTC()
	}
	return a.UTC()
}

// contacts serves the pôles' press officers by region. It reads the contacts at each
// request, so its answer carries an ETag but no Last-Modified: a deletion leaves no date.
func (p *publicSite) contacts(c *gin.Context) {
	list, err := p.Store.PressOfficers()
	if err != nil {
		p.failPage(c, err)
		return
	}
	h := p.head("Contacts presse")
	h.URL, h.Description = p.absolute("/presse/contacts"), "Les contacts presse des pôles, région par région."
	var buf bytes.Buffer
	if err := p.pages.Render(&buf, pages.Contacts{Head: h, Regions: contactsByRegion(list)}); err != nil {
		p.failPage(c, err)
		return
	}
	c.Header("Content-Security-Policy", pageCSP)
	serveRendition(c, "text/html; charset=utf-8", newRendition(buf.Bytes(), time.Time{}))
}

// contactsByRegion groups the pôles under each of their regions, in the vocabulary's
// order; a pôle with no region is listed under « Autres pôles » at the end.
func contactsByRegion(list []storage.PolePressOfficers) []pages.RegionContacts {
	byRegion := map[string][]pages.PoleContacts{}
	for _, po := range list {
		pc := poleContacts(po)
		regions := po.Pole.Regions
		if len(regions) == 0 {
			regions = []string{""}
		}
		for _, r := range regions {
			byRegion[r] = append(byRegion[r], pc)
		}
	}
	var out []pages.RegionContacts
	for _, name := range append(region.Names(), "") {
		if poles := byRegion[name]; poles != nil {
			heading := name
			if name == "" {
				heading = "Autres pôles"
			}
			out = append(out, pages.RegionContacts{Name: heading, Poles: poles})
		}
	}
	return out
}

func poleContacts(po storage.PolePressOfficers) pages.PoleContacts {
	pc := pages.PoleContacts{Name: typo.Text(po.Pole.Name)}
	if w := po.Pole.Website; strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://") {
		pc.Website = w
	}
	for _, o := range po.Officers {
		name := strings.TrimSpace(o.FirstName + " " + o.LastName)
		if org := strings.TrimSpace(o.Organization); org != "" && org != po.Pole.Name {
			name = strings.TrimPrefix(name+", "+org, ", ") // the agency that speaks for the pôle
		}
		officer := pages.PressOfficer{Name: typo.Text(name), Phone: typo.Text(o.Phone), Tel: telURL(o.Phone)}
		if o.Email != "" {
			officer.Email, officer.Mailto = o.Email, "mailto:"+o.Email
		}
		pc.Officers = append(pc.Officers, officer)
	}
	return pc
}

// telURL is a tel: URL of the number's digits, with its leading +; "" when it has none.
func telURL(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// icon serves an embedded favicon, cached for a day: its address carries no hash, since
// browsers ask for /favicon.ico by name.
func (p *publicSite) icon(contentType string, data []byte) gin.HandlerFunc {
	r := newRendition(data, p.started)
	return func(c *gin.Context) { writeRendition(c, contentType, "public, max-age=86400", r) }
}
