package server_test

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"portevoix/server/unsubscribe"
	"portevoix/storage"
)

// newsroomSite is a site with a press officer per pôle, websites, a phone number, two
// public communiqués (one signed by pôle A alone, quoting a public statement) and one
// withdrawn.
type newsroomSite struct {
	*site
	kept, alone, withdrawn *storage.Communique
}

func newNewsroomSite(t *testing.T) *newsroomSite {
	t.Helper()
	s := &newsroomSite{site: newSite(t)}
	for _, id := range []uint64{s.poleA, s.poleB} {
		pole, err := storage.Get[storage.Pole](s.store, id)
		must(t, err)
		pole.Website = "https://pole" + string(rune('a'+id)) + ".example.org"
		must(t, storage.Update(s.store, "test", pole))
	}
	must(t, storage.Create(s.store, "test", &storage.Contact{FirstName: "Claire", LastName: "Martin", Email: "claire@example.com",
		Phone: "+33 4 72 00 00 00", Organization: "Agence Exemple", Kind: storage.KindPressOfficer, PoleID: s.poleB}))
	must(t, storage.Create(s.store, "test", &storage.Contact{FirstName: "Jean", LastName: "Journaliste", Email: "jean@example.com",
		Kind: storage.KindJournalist, Regions: []string{"Occitanie"}}))
	s.kept = s.published("Souveraineté sanitaire", "2020-05-12", nil)
	s.clock.Set(s.clock.Now().Add(time.Hour))
	s.withdrawn = s.published("Chiffres erronés", "2020-05-13", nil)
	s.clock.Set(s.clock.Now().Add(time.Hour))
	statement := &storage.Quote{Kind: storage.QuoteStatement, Text: "Je salue le lancement de la mission de préfiguration.",
		Speaker: "Agnès Pannier-Runacher", SpeakerTitle: "ministre déléguée chargée de l’Industrie", Source: "lors du bilan du contrat de filière",
		Date: "2020-10-07", SourceURL: "https://www.example.org/bilan"}
	must(t, storage.Create(s.store, "test", statement))
	alone := &storage.Communique{Title: "Eurobiomed seul", Date: "2020-05-11", Template: "mesures", PoleIDs: []uint64{s.poleA}, QuoteIDs: []uint64{statement.ID}}
	must(t, storage.Create(s.store, "test", alone))
	_, err := s.store.ApproveCommunique("test", alone.ID, s.poleA)
	must(t, err)
	s.alone, err = s.store.PublishCommunique("test", alone.ID)
	must(t, err)
	return s
}

// token creates a user with role and returns an API token of theirs.
func (s *newsroomSite) token(t *testing.T, role string) string {
	t.Helper()
	email := role + "@example.org"
	_, err := s.store.CreateUser("test", storage.NewUser{Email: email, Name: role, Role: role, Password: "0123456789ab"})
	must(t, err)
	secret, _, err := s.store.CreateToken("test", email, "test")
	must(t, err)
	return secret
}

// call sends a JSON request to the API with token.
func (s *newsroomSite) call(token, method, path, body string) response {
	s.t.Helper()
	return s.request(method, path, map[string]string{"Authorization": "Bearer " + token, "Content-Type": "application/json"}, strings.NewReader(body))
}

// publicPage is a public address and the status it answers.
type publicPage struct {
	path   string
	status int
}

// publicPages lists one page of each kind the public sees, after the withdrawal.
func (s *newsroomSite) publicPages() []publicPage {
	return []publicPage{
		{"/presse", http.StatusOK},
		{"/presse?pole=eurobiomed", http.StatusOK},
		{"/presse/contacts", http.StatusOK},
		{"/presse/" + s.kept.Slug, http.StatusOK},
		{"/presse/" + s.alone.Slug, http.StatusOK},
		{"/presse/" + s.withdrawn.Slug, http.StatusGone},
		{"/presse/inconnu", http.StatusNotFound},
		{"/unsubscribe/" + unsubscribe.Token(s.mustSecret(), s.contact), http.StatusOK},
	}
}

// listed returns the communiqué addresses a newsroom page lists.
func listed(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var out []string
	for _, e := range withClass(doc, "entry") {
		out = append(out, attr(find(e, "a")[0], "href"))
	}
	return out
}

// feedLinks returns the pages the feed's entries point to.
func feedLinks(t *testing.T, s *site) []string {
	t.Helper()
	var f atomDoc
	must(t, xml.Unmarshal(s.get("/presse/feed.atom").body, &f))
	var out []string
	for _, e := range f.Entries {
		out = append(out, e.Links[0].Href)
	}
	return out
}

type sitemapDoc struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func sitemapLocs(t *testing.T, s *site) []string {
	t.Helper()
	r := s.get("/sitemap.xml")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/xml; charset=utf-8" {
		t.Fatalf("sitemap: %d %v", r.status, r.header)
	}
	xmllint(t, r.body)
	var m sitemapDoc
	must(t, xml.Unmarshal(r.body, &m))
	var out []string
	for _, u := range m.URLs {
		out = append(out, u.Loc)
	}
	return out
}

func TestWithdrawalSeenEverywhere(t *testing.T) {
	s := newNewsroomSite(t)
	slug, abs := s.withdrawn.Slug, baseURL+"presse/"+s.withdrawn.Slug
	listPaths := []string{"/presse", "/presse?pole=eurobiomed", "/presse?pole=" + strconv.FormatUint(s.poleB, 10)}
	before := map[string]response{}
	for _, path := range append(listPaths, "/presse/feed.atom") {
		before[path] = s.get(path)
	}
	for _, path := range listPaths {
		if got := listed(t, page(t, before[path], http.StatusOK)); !contains(got, "/presse/"+slug) {
			t.Fatalf("%s before the withdrawal: %v", path, got)
		}
	}
	if !contains(feedLinks(t, s.site), abs) || !contains(sitemapLocs(t, s.site), abs) {
		t.Fatal("the feed and the sitemap list the communiqué before its withdrawal")
	}
	page(t, s.get("/presse/"+slug), http.StatusOK)

	viewer, editor := s.token(t, storage.RoleViewer), s.token(t, storage.RoleEditor)
	path := "/api/v1/communiques/" + strconv.FormatUint(s.withdrawn.ID, 10) + "/withdraw"
	if r := s.call(viewer, "POST", path, `{"reason":"Un chiffre était faux."}`); r.status != http.StatusForbidden {
		t.Fatalf("a viewer withdraws: %d", r.status)
	}
	if r := s.call(editor, "POST", path, `{}`); r.status != http.StatusUnprocessableEntity || !bytes.Contains(r.body, []byte("reason")) {
		t.Fatalf("no reason: %d %s", r.status, r.body)
	}
	s.clock.Set(s.clock.Now().Add(time.Hour))
	if r := s.call(editor, "POST", path, `{"reason":"Un chiffre était faux."}`); r.status != http.StatusOK {
		t.Fatalf("withdraw: %d %s", r.status, r.body)
	}
	if r := s.call(editor, "POST", path, `{"reason":"Encore"}`); r.status != http.StatusConflict {
		t.Fatalf("withdraw twice: %d %s", r.status, r.body)
	}

	t.Run("PageAndPDF", func(t *testing.T) {
		for _, p := range []string{"/presse/" + slug, "/presse/" + slug + ".pdf"} {
			r := s.get(p)
			doc := page(t, r, http.StatusGone)
			if got := text(doc); !strings.Contains(got, "Communiqué retiré") || !strings.Contains(got, "retiré par ses auteurs\u00a0:") || strings.Contains(got, "Chiffres erronés") {
				t.Errorf("%s: notice\n%s", p, got)
			}
			if robots := find(doc, "meta"); !hasMeta(doc, "name", "robots", "noindex, nofollow") {
				t.Errorf("%s: a notice must not be indexed (%d meta)", p, len(robots))
			}
			if r := s.getWith("GET", p, map[string]string{"If-None-Match": "*"}); r.status != http.StatusGone {
				t.Errorf("%s conditional: %d", p, r.status)
			}
		}
	})
	t.Run("Lists", func(t *testing.T) {
		for _, p := range listPaths {
			old := before[p]
			for _, cond := range []map[string]string{{"If-None-Match": old.header.Get("ETag")}, {"If-Modified-Since": old.header.Get("Last-Modified")}} {
				r := s.getWith("GET", p, cond)
				if got := listed(t, page(t, r, http.StatusOK)); contains(got, "/presse/"+slug) || len(got) == 0 {
					t.Errorf("%s %v after the withdrawal: %v", p, cond, got)
				}
			}
		}
		if got := listed(t, page(t, s.get("/presse?pole=eurobiomed"), http.StatusOK)); len(got) != 2 {
			t.Errorf("pôle A still signs two public communiqués: %v", got)
		}
	})
	t.Run("Feed", func(t *testing.T) {
		old := before["/presse/feed.atom"]
		if r := s.getWith("GET", "/presse/feed.atom", map[string]string{"If-Modified-Since": old.header.Get("Last-Modified")}); r.status != http.StatusOK {
			t.Fatalf("feed after the withdrawal, copy from before: %d, want 200", r.status)
		}
		if got := feedLinks(t, s.site); contains(got, abs) || len(got) != 2 {
			t.Errorf("feed: %v", got)
		}
		// RFC 6721: readers that kept the entry are told to drop it.
		var f struct {
			Deleted []struct {
				Ref  string `xml:"ref,attr"`
				When string `xml:"when,attr"`
			} `xml:"http://purl.org/atompub/tombstones/1.0 deleted-entry"`
		}
		body := s.get("/presse/feed.atom").body
		xmllint(t, body)
		must(t, xml.Unmarshal(body, &f))
		if len(f.Deleted) != 1 || f.Deleted[0].Ref != abs || f.Deleted[0].When != s.clock.Now().Format(time.RFC3339) {
			t.Errorf("tombstones: %+v\n%s", f.Deleted, body)
		}
	})
	t.Run("Sitemap", func(t *testing.T) {
		if got := sitemapLocs(t, s.site); contains(got, abs) || !contains(got, baseURL+"presse/"+s.kept.Slug) {
			t.Errorf("sitemap: %v", got)
		}
	})
	t.Run("StaffRecords", func(t *testing.T) {
		r := s.call(editor, "GET", "/api/v1/communiques/"+strconv.FormatUint(s.withdrawn.ID, 10), "")
		var v storage.Communique
		r.decode(t, &v)
		if v.Status != storage.CommuniqueWithdrawn || v.WithdrawalReason != "Un chiffre était faux." || v.WithdrawnBy != "editor@example.org" {
			t.Errorf("staff record: %+v", v)
		}
		if r := s.call(editor, "GET", "/api/v1/communiques/"+strconv.FormatUint(s.withdrawn.ID, 10)+"/pdf", ""); r.status != http.StatusOK {
			t.Errorf("the staff still get the PDF: %d", r.status)
		}
	})
}

// hasMeta reports whether the document has a <meta> whose attribute key is name and whose
// content is content.
func hasMeta(doc *html.Node, key, name, content string) bool {
	for _, m := range find(doc, "meta") {
		if attr(m, key) == name && attr(m, "content") == content {
			return true
		}
	}
	return false
}

func TestPoleFilter(t *testing.T) {
	s := newNewsroomSite(t)
	doc := page(t, s.get("/presse"), http.StatusOK)
	nav := withClass(doc, "poles")
	if len(nav) != 1 || !slices.Equal(hrefs(nav[0]), []string{"/presse?pole=eurobiomed", "/presse?pole=lyonbiopole"}) {
		t.Fatalf("a link per pôle: %v", hrefs(doc))
	}
	all := listed(t, doc)
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/presse?pole=eurobiomed", all},
		{"/presse?pole=" + strconv.FormatUint(s.poleA, 10), all},
		{"/presse?pole=lyonbiopole", []string{"/presse/" + s.withdrawn.Slug, "/presse/" + s.kept.Slug}},
	} {
		doc := page(t, s.get(tc.path), http.StatusOK)
		if got := listed(t, doc); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
		}
		current := 0
		for _, a := range find(withClass(doc, "poles")[0], "a") {
			if attr(a, "aria-current") == "page" {
				current++
			}
		}
		if current != 1 || !strings.Contains(text(find(doc, "h1")[0]), "de ") {
			t.Errorf("%s: the pôle shown is marked (%d) and named in the heading %q", tc.path, current, text(find(doc, "h1")[0]))
		}
	}
	for _, path := range []string{"/presse?pole=inconnu", "/presse?pole=eurobiomed&page=2", "/presse?pole=999"} {
		page(t, s.get(path), http.StatusNotFound)
	}
}

func TestPressContactsByRegion(t *testing.T) {
	s := newNewsroomSite(t)
	doc := page(t, s.get("/presse/contacts"), http.StatusOK)
	regions := withClass(doc, "region")
	if len(regions) != 2 {
		t.Fatalf("%d regions, want 2:\n%s", len(regions), text(doc))
	}
	for i, want := range []struct{ region, pole, name, link string }{
		{"Auvergne-Rhône-Alpes", "Lyonbiopôle", "Claire Martin, Agence Exemple", "tel:+33472000000"},
		{"Occitanie", "Eurobiomed", "Alain Khemili", "mailto:alain@example.org"},
	} {
		r := regions[i]
		if text(find(r, "h2")[0]) != want.region || text(find(r, "h3")[0]) != want.pole ||
			text(withClass(r, "name")[0]) != want.name || !contains(hrefs(r), want.link) {
			t.Errorf("region %d: %q %v", i, text(r), hrefs(r))
		}
	}
	if strings.Contains(text(doc), "Journaliste") {
		t.Error("journalists are not press contacts of the pôles")
	}
}

func TestPublicPagesHead(t *testing.T) {
	s := newNewsroomSite(t)
	s.withdrawnNow(t)
	for _, pp := range s.publicPages() {
		doc := page(t, s.get(pp.path), pp.status)
		for _, prop := range []string{"og:title", "og:type", "og:site_name", "og:locale"} {
			if !hasMetaProperty(doc, prop) {
				t.Errorf("%s lacks %s", pp.path, prop)
			}
		}
		if feed := linkRel(doc, "alternate"); feed == nil || attr(feed, "type") != "application/atom+xml" || attr(feed, "href") != "/presse/feed.atom" {
			t.Errorf("%s lacks the feed's link", pp.path)
		}
		if icon := linkRel(doc, "icon"); icon == nil || attr(icon, "href") != "/favicon.svg" {
			t.Errorf("%s lacks the icon", pp.path)
		}
	}
	doc := page(t, s.get("/presse/"+s.kept.Slug), http.StatusOK)
	url := baseURL + "presse/" + s.kept.Slug
	if !hasMeta(doc, "property", "og:url", url) || !hasMeta(doc, "property", "og:type", "article") ||
		!hasMeta(doc, "property", "og:title", "Souveraineté sanitaire") || attr(linkRel(doc, "canonical"), "href") != url {
		t.Error("a communiqué's page carries its Open Graph facts")
	}
	if !hasMeta(page(t, s.get("/presse?pole=eurobiomed"), http.StatusOK), "property", "og:url", baseURL+"presse?pole=eurobiomed") {
		t.Error("a pôle's page carries its address")
	}
}

func hasMetaProperty(doc *html.Node, prop string) bool {
	for _, m := range find(doc, "meta") {
		if attr(m, "property") == prop && attr(m, "content") != "" {
			return true
		}
	}
	return false
}

func (s *newsroomSite) withdrawnNow(t *testing.T) {
	t.Helper()
	s.clock.Set(s.clock.Now().Add(time.Hour))
	_, err := s.store.WithdrawCommunique("test", s.withdrawn.ID, "Erreur")
	must(t, err)
}

func TestFavicon(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct{ path, ctype, magic string }{
		{"/favicon.ico", "image/x-icon", "\x00\x00\x01\x00"},
		{"/favicon.svg", "image/svg+xml", "<svg"},
	} {
		r := s.get(tc.path)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != tc.ctype || !bytes.HasPrefix(r.body, []byte(tc.magic)) {
			t.Errorf("%s: %d %q % x", tc.path, r.status, r.header.Get("Content-Type"), r.body[:min(8, len(r.body))])
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.header.Get("Cache-Control"), "max-age") {
			t.Errorf("%s headers: %v", tc.path, r.header)
		}
		if h := s.send("HEAD", tc.path, "", nil); h.status != http.StatusOK || h.header.Get("Content-Type") != tc.ctype {
			t.Errorf("HEAD %s: %d", tc.path, h.status)
		}
	}
	var svg struct {
		XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	}
	must(t, xml.Unmarshal(s.get("/favicon.svg").body, &svg))
}

func TestSitemapAndRobots(t *testing.T) {
	s := newNewsroomSite(t)
	got := sitemapLocs(t, s.site)
	want := []string{baseURL + "presse", baseURL + "presse/contacts", baseURL + "presse?pole=eurobiomed", baseURL + "presse?pole=lyonbiopole",
		baseURL + "presse/" + s.withdrawn.Slug, baseURL + "presse/" + s.kept.Slug, baseURL + "presse/" + s.alone.Slug}
	if !slices.Equal(got, want) {
		t.Errorf("sitemap:\n%v\nwant\n%v", got, want)
	}
	r := s.get("/robots.txt")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain") ||
		!strings.Contains(string(r.body), "\nSitemap: "+baseURL+"sitemap.xml\n") || !strings.Contains(string(r.body), "Disallow: /unsubscribe/") {
		t.Errorf("robots.txt: %d\n%s", r.status, r.body)
	}
}
