package server_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/net/html"

	"portevoix/server"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
)

// clock is a settable time source, safe to read from the server's goroutines.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// site is a server with its store and clock, and the records communiqués are built from.
type site struct {
	t            testing.TB
	url          string
	handler      http.Handler
	store        *storage.Store
	clock        *clock
	poleA, poleB uint64
	quote        uint64
	contact      uint64
}

const baseURL = "https://presse.example.org/"

func newSite(t testing.TB) *site {
	t.Helper()
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	store.PasswordCost = bcrypt.MinCost
	clk := &clock{}
	clk.Set(time.Date(2020, 5, 12, 8, 0, 0, 0, time.UTC))
	store.Now = clk.Now
	app, err := server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	app.Now, app.BaseURL = clk.Now, baseURL
	handler := app.Handler()
	srv := httptest.NewServer(handler)
	t.Cleanup(func() {
		srv.Close()
		if err := store.Check(); err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		store.Close()
	})
	s := &site{t: t, url: srv.URL, handler: handler, store: store, clock: clk}
	s.records()
	return s
}

// must fails the test on a storage error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// records creates two pôles, an approved quote and a press contact.
func (s *site) records() {
	a := &storage.Pole{Name: "Eurobiomed", Regions: []string{"Occitanie"}}
	b := &storage.Pole{Name: "Lyonbiopôle", Regions: []string{"Auvergne-Rhône-Alpes"}}
	must(s.t, storage.Create(s.store, "test", a))
	must(s.t, storage.Create(s.store, "test", b))
	person := &storage.Person{Name: "Michaël Danon", Title: "Président", PoleID: a.ID}
	must(s.t, storage.Create(s.store, "test", person))
	q := &storage.Quote{PersonID: person.ID, Text: "Tant que la règle des achats hospitaliers reste le moindre coût…"}
	must(s.t, storage.Create(s.store, "test", q))
	_, err := s.store.ApproveQuote("test", q.ID, "")
	must(s.t, err)
	c := &storage.Contact{FirstName: "Alain", LastName: "Khemili", Email: "alain@example.org", Kind: storage.KindPressOfficer, PoleID: a.ID}
	must(s.t, storage.Create(s.store, "test", c))
	s.poleA, s.poleB, s.quote, s.contact = a.ID, b.ID, q.ID, c.ID
}

// draft creates a communiqué co-signed by both pôles, not yet approved.
func (s *site) draft(title, date string, embargo *time.Time) *storage.Communique {
	s.t.Helper()
	v := &storage.Communique{Title: title, Date: date, EmbargoUntil: embargo, Template: "mesures",
		Lede: "Pour renforcer la souveraineté sanitaire de la France, les pôles demandent des mesures concrètes : « relocaliser »", Body: "Contexte.",
		PoleIDs: []uint64{s.poleA, s.poleB}, QuoteIDs: []uint64{s.quote}, ContactIDs: []uint64{s.contact}}
	must(s.t, storage.Create(s.store, "test", v))
	return v
}

// approved creates a communiqué approved by every co-signer, not published.
func (s *site) approved(title, date string, embargo *time.Time) *storage.Communique {
	s.t.Helper()
	v := s.draft(title, date, embargo)
	for _, pole := range v.PoleIDs {
		_, err := s.store.ApproveCommunique("test", v.ID, pole)
		must(s.t, err)
	}
	return v
}

// published creates a communiqué approved by every co-signer and published.
func (s *site) published(title, date string, embargo *time.Time) *storage.Communique {
	s.t.Helper()
	v, err := s.store.PublishCommunique("test", s.approved(title, date, embargo).ID)
	must(s.t, err)
	return v
}

func (s *site) get(path string) response {
	s.t.Helper()
	return s.send("GET", path, "", nil)
}

func (s *site) send(method, path, contentType string, body io.Reader) response {
	s.t.Helper()
	header := map[string]string{}
	if contentType != "" {
		header["Content-Type"] = contentType
	}
	return s.request(method, path, header, body)
}

// request sends a request with extra headers, following no redirect.
func (s *site) request(method, path string, header map[string]string, body io.Reader) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	must(s.t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	must(s.t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	must(s.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// page checks that r is a French HTML page with the security headers, and parses it.
func page(t *testing.T, r response, status int) *html.Node {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("Content-Security-Policy %q", csp)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("security headers missing: %v", r.header)
	}
	doc, err := html.Parse(bytes.NewReader(r.body))
	must(t, err)
	if root := find(doc, "html"); len(root) != 1 || attr(root[0], "lang") != "fr" {
		t.Fatal(`want <html lang="fr">`)
	}
	if n := len(find(doc, "script")); n != 0 {
		t.Fatalf("%d <script> elements", n)
	}
	return doc
}

// find returns the elements called tag, in document order.
func find(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && n.Data == tag {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, find(c, tag)...)
	}
	return out
}

// withClass returns the elements whose class attribute is class.
func withClass(n *html.Node, class string) []*html.Node {
	var out []*html.Node
	if n.Type == html.ElementNode && attr(n, "class") == class {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, withClass(c, class)...)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// text is the text content of n.
func text(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(text(c))
	}
	return b.String()
}

func hrefs(n *html.Node) []string {
	var out []string
	for _, a := range find(n, "a") {
		out = append(out, attr(a, "href"))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestNewsroomListsOnlyPublicCommuniques(t *testing.T) {
	s := newSite(t)
	s.draft("Brouillon confidentiel", "2020-05-10", nil)
	s.approved("Approuvé mais pas publié", "2020-05-11", nil)
	future := time.Date(2020, 5, 14, 8, 0, 0, 0, time.UTC)
	s.published("Sous embargo", "2020-05-14", &future)
	v := s.published("Souveraineté sanitaire : 14 mesures", "2020-05-12", nil)

	doc := page(t, s.get("/presse"), http.StatusOK)
	entries := withClass(doc, "entry")
	if len(entries) != 1 {
		t.Fatalf("%d entries, want 1:\n%s", len(entries), text(doc))
	}
	got := text(entries[0])
	for _, want := range []string{"Souveraineté sanitaire\u00a0: 14 mesures", "«\u202frelocaliser\u202f»", "12\u00a0mai 2020", "Eurobiomed, Lyonbiopôle", "Pour renforcer la souveraineté"} {
		if !strings.Contains(got, want) {
			t.Errorf("entry lacks %q:\n%s", want, got)
		}
	}
	links := hrefs(entries[0])
	if !contains(links, "/presse/"+v.Slug) || !contains(links, "/presse/"+v.Slug+".pdf") {
		t.Errorf("entry links %v", links)
	}
	if feed := linkRel(doc, "alternate"); feed == nil || attr(feed, "type") != "application/atom+xml" {
		t.Error("the newsroom must announce its Atom feed")
	}
}

func TestEmbargoIsHonoured(t *testing.T) {
	s := newSite(t)
	until := time.Date(2020, 5, 12, 10, 0, 0, 0, time.UTC)
	v := s.published("Souveraineté sanitaire", "2020-05-12", &until)
	missing := s.get("/presse/n-existe-pas")
	page(t, missing, http.StatusNotFound)

	s.clock.Set(until.Add(-time.Second))
	for _, path := range []string{"/presse/" + v.Slug, "/presse/" + v.Slug + ".pdf"} {
		r := s.get(path)
		page(t, r, http.StatusNotFound)
		if !bytes.Equal(r.body, missing.body) {
			t.Errorf("%s under embargo must answer exactly like a missing page", path)
		}
	}
	if r := s.get("/presse"); bytes.Contains(r.body, []byte(v.Slug)) {
		t.Error("the newsroom lists a communiqué under embargo")
	}
	if r := s.get("/presse/feed.atom"); bytes.Contains(r.body, []byte(v.Slug)) {
		t.Error("the feed lists a communiqué under embargo")
	}

	s.clock.Set(until)
	doc := page(t, s.get("/presse/"+v.Slug), http.StatusOK)
	if !strings.Contains(text(doc), "Sous embargo jusqu’au 12\u00a0mai 2020, 12\u00a0h\u00a000") {
		t.Errorf("the page shows the embargo line of the printed communiqué:\n%s", text(doc))
	}
	if r := s.get("/presse"); !bytes.Contains(r.body, []byte("/presse/"+v.Slug)) {
		t.Error("the newsroom misses a communiqué past its embargo")
	}
}

func TestUnpublishedCommuniquesAreNotFound(t *testing.T) {
	s := newSite(t)
	missing := s.get("/presse/n-existe-pas")
	for _, v := range []*storage.Communique{s.draft("Brouillon", "2020-05-12", nil), s.approved("Approuvé", "2020-05-12", nil)} {
		for _, path := range []string{"/presse/" + v.Slug, "/presse/" + v.Slug + ".pdf"} {
			if r := s.get(path); r.status != http.StatusNotFound || !bytes.Equal(r.body, missing.body) {
				t.Errorf("%s: %d, want the page of a missing communiqué", path, r.status)
			}
		}
	}
	for _, path := range []string{"/presse/.pdf", "/presse/%00", "/presse/" + strings.Repeat("a", 5000)} {
		if r := s.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", path, r.status)
		}
	}
	if !strings.Contains(string(missing.body), "Page introuvable") {
		t.Errorf("the not-found page is in French: %s", missing.body)
	}
}

func TestPublicPagesKeepUserTextLiteral(t *testing.T) {
	s := newSite(t)
	v := s.draft("<script>alert(1)</script> Souveraineté", "2020-05-12", nil)
	v.Lede = `<b>gras</b> <img src=x onerror=alert(1)> & "guillemets"`
	must(t, storage.Update(s.store, "test", v))
	for _, pole := range v.PoleIDs {
		_, err := s.store.ApproveCommunique("test", v.ID, pole)
		must(t, err)
	}
	_, err := s.store.PublishCommunique("test", v.ID)
	must(t, err)

	for _, path := range []string{"/presse", "/presse/" + v.Slug} {
		doc := page(t, s.get(path), http.StatusOK)
		if n := len(find(doc, "b")) + len(find(doc, "img")); n != 0 {
			t.Errorf("%s: user text became %d elements", path, n)
		}
		if !strings.Contains(text(doc), "<script>alert(1)</script> Souveraineté") {
			t.Errorf("%s: the title must read as typed:\n%s", path, text(doc))
		}
		if !strings.Contains(text(doc), "<b>gras</b>") {
			t.Errorf("%s: the chapeau must read as typed", path)
		}
	}
}

func TestReleasePageAndPDF(t *testing.T) {
	s := newSite(t)
	v := s.published("Souveraineté sanitaire", "2020-05-12", nil)
	doc := page(t, s.get("/presse/"+v.Slug), http.StatusOK)
	if titles := find(doc, "title"); len(titles) != 1 || !strings.HasPrefix(text(titles[0]), "Souveraineté sanitaire") {
		t.Error("the page title names the communiqué")
	}
	if len(withClass(doc, "communique")) != 1 || !contains(hrefs(doc), "/presse/"+v.Slug+".pdf") {
		t.Errorf("the page shows the communiqué and links to its PDF:\n%s", text(doc))
	}
	if !strings.Contains(text(doc), "Michaël Danon") {
		t.Error("the page lacks the quote's speaker")
	}

	r := s.get("/presse/" + v.Slug + ".pdf")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) {
		t.Fatalf("PDF: %d %v", r.status, r.header)
	}
	if again := s.get("/presse/" + v.Slug + ".pdf"); !bytes.Equal(again.body, r.body) {
		t.Error("the same communiqué must give the same PDF bytes")
	}
}

func TestStyleSheetAndRedirect(t *testing.T) {
	s := newSite(t)
	doc := page(t, s.get("/presse"), http.StatusOK)
	var css string
	for _, l := range find(doc, "link") {
		if attr(l, "rel") == "stylesheet" {
			css = attr(l, "href")
		}
	}
	r := s.get(css)
	if r.status != 200 || r.header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(r.header.Get("Cache-Control"), "immutable") || len(r.body) == 0 {
		t.Fatalf("style sheet %q: %d %v", css, r.status, r.header)
	}
	for _, path := range []string{"/presse", "/presse/feed.atom"} {
		if r := s.send("HEAD", path, "", nil); r.status != http.StatusOK || len(r.body) != 0 {
			t.Errorf("HEAD %s: %d", path, r.status)
		}
	}
	if r := s.get("/"); r.status != http.StatusFound || r.header.Get("Location") != "/presse" {
		t.Fatalf("/: %d %v", r.status, r.header)
	}
}

func TestNewsroomPagination(t *testing.T) {
	s := newSite(t)
	for i := 1; i <= 23; i++ {
		s.published(fmt.Sprintf("Communiqué numéro %d", i), fmt.Sprintf("2020-01-%02d", i), nil)
	}
	first := page(t, s.get("/presse"), http.StatusOK)
	entries := withClass(first, "entry")
	if len(entries) != 20 || !strings.Contains(text(entries[0]), "numéro 23") || !strings.Contains(text(entries[19]), "numéro 4") {
		t.Fatalf("page 1: %d entries, newest first expected", len(entries))
	}
	if links := hrefs(first); !contains(links, "/presse?page=2") {
		t.Fatalf("page 1 links to page 2: %v", links)
	}
	second := page(t, s.get("/presse?page=2"), http.StatusOK)
	if entries := withClass(second, "entry"); len(entries) != 3 || !strings.Contains(text(entries[2]), "numéro 1") {
		t.Fatalf("page 2: %d entries", len(entries))
	}
	if links := hrefs(second); !contains(links, "/presse") || contains(links, "/presse?page=3") {
		t.Fatalf("page 2 links: %v", links)
	}
	for _, q := range []string{"3", "0", "-1", "deux", "02", "99999999999999999999"} {
		page(t, s.get("/presse?page="+q), http.StatusNotFound)
	}
}

// atomDoc reads back what the feed must hold.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Summary   string `xml:"summary"`
		Authors   []struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Links []struct {
			Rel  string `xml:"rel,attr"`
			Type string `xml:"type,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestAtomFeed(t *testing.T) {
	s := newSite(t)
	s.published("<script>Ancien</script> & co", "2020-05-01", nil)
	s.clock.Set(s.clock.Now().Add(time.Hour))
	v := s.published("Souveraineté sanitaire", "2020-05-12", nil)
	s.draft("Brouillon", "2020-05-13", nil)

	r := s.get("/presse/feed.atom")
	if r.status != 200 || r.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %d %v", r.status, r.header)
	}
	xmllint(t, r.body)
	var f atomDoc
	must(t, xml.Unmarshal(r.body, &f))
	if f.ID != "https://presse.example.org/presse/feed.atom" || f.Title == "" || len(f.Entries) != 2 {
		t.Fatalf("feed: %+v", f)
	}
	e := f.Entries[0]
	url := "https://presse.example.org/presse/" + v.Slug
	if e.ID != url || e.Title != "Souveraineté sanitaire" || !strings.HasPrefix(e.Summary, "Pour renforcer") ||
		len(e.Authors) != 2 || e.Authors[1].Name != "Lyonbiopôle" {
		t.Errorf("entry: %+v", e)
	}
	if e.Links[0].Rel != "alternate" || e.Links[0].Href != url || e.Links[1].Href != url+".pdf" {
		t.Errorf("entry links: %+v", e.Links)
	}
	published, err := time.Parse(time.RFC3339, e.Published)
	if err != nil || !published.Equal(*v.PublishedAt) || f.Updated != e.Updated {
		t.Errorf("times: feed updated %q, entry published %q (%v), want %v", f.Updated, e.Published, err, v.PublishedAt)
	}
	if f.Entries[1].Title != "<script>Ancien</script> & co" {
		t.Errorf("a title must come back as typed: %q", f.Entries[1].Title)
	}
}

func TestEmptyAtomFeed(t *testing.T) {
	s := newSite(t)
	r := s.get("/presse/feed.atom")
	xmllint(t, r.body)
	var f atomDoc
	must(t, xml.Unmarshal(r.body, &f))
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil || len(f.Entries) != 0 {
		t.Fatalf("empty feed: %s", r.body)
	}
}

// xmllint checks that data is well-formed XML with libxml2's xmllint.
func xmllint(t *testing.T, data []byte) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint not found (Debian package libxml2-utils): feed checked with encoding/xml only")
		return
	}
	file := filepath.Join(t.TempDir(), "feed.atom")
	must(t, os.WriteFile(file, data, 0o600))
	if out, err := exec.Command(path, "--noout", file).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s\n%s", err, out, data)
	}
}

// mustSecret returns the installation's unsubscribe secret.
func (s *site) mustSecret() []byte {
	s.t.Helper()
	secret, err := s.store.Secret()
	must(s.t, err)
	return secret
}

func (s *site) contactState(id uint64) (optedOut, suppressed bool) {
	s.t.Helper()
	c, err := storage.Get[storage.Contact](s.store, id)
	must(s.t, err)
	return c.OptedOut, s.store.Suppressed(c.Email)
}

const oneClick = "List-Unsubscribe=One-Click"

func TestUnsubscribe(t *testing.T) {
	s := newSite(t)
	path := "/unsubscribe/" + unsubscribe.Token(s.mustSecret(), s.contact)

	doc := page(t, s.get(path), http.StatusOK)
	forms := find(doc, "form")
	if len(forms) != 1 || attr(forms[0], "method") != "post" || attr(forms[0], "action") != path {
		t.Fatalf("the page must ask for confirmation with a form posting to itself:\n%s", text(doc))
	}
	if len(find(doc, "button")) != 1 || !strings.Contains(text(doc), "a•••@example.org") {
		t.Fatalf("confirmation page:\n%s", text(doc))
	}
	if opted, suppressed := s.contactState(s.contact); opted || suppressed {
		t.Fatal("a GET must not unsubscribe: link scanners fetch every link")
	}

	r := s.send("POST", path, "application/x-www-form-urlencoded", strings.NewReader(oneClick))
	doc = page(t, r, http.StatusOK)
	if !strings.Contains(text(doc), "Désinscription confirmée") || len(find(doc, "form")) != 0 {
		t.Fatalf("after POST:\n%s", text(doc))
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Error("unsubscribe pages must not be cached")
	}
	if opted, suppressed := s.contactState(s.contact); !opted || !suppressed {
		t.Fatalf("after POST: opted out %v, suppressed %v", opted, suppressed)
	}

	page(t, s.send("POST", path, "application/x-www-form-urlencoded", strings.NewReader(oneClick)), http.StatusOK)
	if doc := page(t, s.get(path), http.StatusOK); !strings.Contains(text(doc), "Désinscription confirmée") {
		t.Error("an unsubscribed address is shown as such")
	}
}

func TestOneClickMultipart(t *testing.T) {
	s := newSite(t)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	must(t, w.WriteField("List-Unsubscribe", "One-Click"))
	must(t, w.Close())
	page(t, s.send("POST", "/unsubscribe/"+unsubscribe.Token(s.mustSecret(), s.contact), w.FormDataContentType(), &body), http.StatusOK)
	if opted, suppressed := s.contactState(s.contact); !opted || !suppressed {
		t.Fatal("RFC 8058 allows multipart/form-data too")
	}
}

func TestForgedUnsubscribeTokens(t *testing.T) {
	s := newSite(t)
	other := &storage.Contact{Email: "helene@example.org"}
	must(t, storage.Create(s.store, "test", other))
	good := unsubscribe.Token(s.mustSecret(), s.contact)
	_, mac, _ := strings.Cut(good, ".")
	flipped := []byte(good)
	flipped[len(flipped)-3] ^= 1
	tokens := map[string]string{
		"Flipped":     string(flipped),
		"OtherID":     fmt.Sprint(other.ID) + "." + mac,
		"Truncated":   good[:len(good)-2],
		"NoMAC":       fmt.Sprint(s.contact),
		"Garbage":     "%3Cscript%3E",
		"VeryLong":    good + strings.Repeat("A", 8000),
		"OtherSecret": unsubscribe.Token([]byte("0123456789abcdef0123456789abcdef"), s.contact),
	}
	for name, token := range tokens {
		t.Run(name, func(t *testing.T) {
			for _, method := range []string{"GET", "POST"} {
				r := s.send(method, "/unsubscribe/"+token, "application/x-www-form-urlencoded", strings.NewReader(oneClick))
				doc := page(t, r, http.StatusNotFound)
				if !strings.Contains(text(doc), "Ce lien de désinscription n’est pas valide") {
					t.Errorf("%s: %s", method, text(doc))
				}
			}
		})
	}
	if r := s.send("POST", "/unsubscribe/", "application/x-www-form-urlencoded", strings.NewReader(oneClick)); r.status < 400 {
		t.Errorf("empty token: %d", r.status)
	}
	for _, id := range []uint64{s.contact, other.ID} {
		if opted, suppressed := s.contactState(id); opted || suppressed {
			t.Fatalf("a forged token changed contact %d", id)
		}
	}
}

func TestUnsubscribeDeletedContact(t *testing.T) {
	s := newSite(t)
	c := &storage.Contact{Email: "parti@example.org"}
	must(t, storage.Create(s.store, "test", c))
	path := "/unsubscribe/" + unsubscribe.Token(s.mustSecret(), c.ID)
	must(t, storage.Delete[storage.Contact](s.store, "test", c.ID))
	for _, method := range []string{"GET", "POST"} {
		doc := page(t, s.send(method, path, "", nil), http.StatusGone)
		if !strings.Contains(text(doc), "ne figure plus") {
			t.Errorf("%s: %s", method, text(doc))
		}
	}
}

func TestNewsroomExcerpt(t *testing.T) {
	s := newSite(t)
	v := s.draft("Long chapeau", "2020-05-12", nil)
	v.Lede = strings.Repeat("Les pôles de santé proposent des mesures\n", 20)
	must(t, storage.Update(s.store, "test", v))
	for _, pole := range v.PoleIDs {
		_, err := s.store.ApproveCommunique("test", v.ID, pole)
		must(t, err)
	}
	_, err := s.store.PublishCommunique("test", v.ID)
	must(t, err)
	ex := withClass(page(t, s.get("/presse"), http.StatusOK), "excerpt")
	if len(ex) != 1 {
		t.Fatal("no excerpt")
	}
	got := text(ex[0])
	if n := len([]rune(got)); n > 281 || !strings.HasSuffix(got, "s…") || strings.Contains(got, "\n") {
		t.Fatalf("excerpt of %d characters, cut at a word, on one line: %q", n, got)
	}
}

// benchSite holds n public communiqués.
func benchSite(b *testing.B, n int) (*site, *storage.Communique) {
	s := newSite(b)
	var v *storage.Communique
	for i := range n {
		v = s.published(fmt.Sprintf("Communiqué numéro %d", i), "2020-05-12", nil)
	}
	return s, v
}

func benchPage(b *testing.B, s *site, path string) {
	for b.Loop() {
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

func BenchmarkNewsroom100(b *testing.B) {
	s, _ := benchSite(b, 100)
	benchPage(b, s, "/presse")
}

func BenchmarkFeed100(b *testing.B) {
	s, _ := benchSite(b, 100)
	benchPage(b, s, "/presse/feed.atom")
}

func BenchmarkReleasePage(b *testing.B) {
	s, v := benchSite(b, 1)
	benchPage(b, s, "/presse/"+v.Slug)
}

// linkRel returns the first <link> element whose rel is rel, nil when none.
func linkRel(doc *html.Node, rel string) *html.Node {
	for _, l := range find(doc, "link") {
		if attr(l, "rel") == rel {
			return l
		}
	}
	return nil
}
