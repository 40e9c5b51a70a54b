package ui_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/server/ui"
	"portevoix/storage"
)

const password = "0123456789ab"

// site is the staff pages over a fresh base with one pôle, one speaker and an account of
// each role.
type site struct {
	t      *testing.T
	url    string
	store  *storage.Store
	pages  *ui.UI
	pole   *storage.Pole
	person *storage.Person
	outbox string // folder of the messages sent
}

func newSite(t *testing.T, baseURL string) *site {
	t.Helper()
	return openSite(t, baseURL, nil)
}

// openSite is newSite over a base that fill has filled first (instead of the one pôle and
// speaker), when fill is not nil.
func openSite(t *testing.T, baseURL string, fill func(*storage.Store) error) *site {
	t.Helper()
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	store.PasswordCost = bcrypt.MinCost
	if fill != nil {
		if err := fill(store); err != nil {
			t.Fatal(err)
		}
	}
	pages, err := ui.New(store, testPDF(t), slog.New(slog.NewTextHandler(io.Discard, nil)), baseURL)
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	outboxDir := filepath.Join(t.TempDir(), "outbox")
	outbox, err := mailer.NewOutbox(outboxDir)
	if err != nil {
		t.Fatal(err)
	}
	pages.MailInfo = "Les e-mails sont écrits dans le dossier " + outboxDir
	pages.Messages = &campaignmsg.Composer{Store: store, PDF: testPDF(t), Now: time.Now, Sender: outbox, From: "Pôles Santé en réseau <presse@example.org>",
		Unsubscribe: func(uint64) string { return baseURL + "/unsubscribe/x" }}
	pages.EventInterval = 10 * time.Millisecond
	pages.Routes(r)
	r.NoRoute(pages.NotFound) // as server.Handler does for /app
	srv := httptest.NewServer(r)
	t.Cleanup(func() {
		srv.Close()
		if err := store.Check(); err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		store.Close()
	})
	s := &site{t: t, url: srv.URL, store: store, pages: pages, outbox: outboxDir}
	for _, role := range []string{storage.RoleViewer, storage.RoleEditor, storage.RoleAdmin} {
		if _, err := store.CreateUser("test", storage.NewUser{Email: role + "@example.org", Name: "Compte " + role, Role: role, Password: password}); err != nil {
			t.Fatal(err)
		}
	}
	if fill != nil {
		return s
	}
	s.pole = &storage.Pole{Name: "Eurobiomed", ShortName: "Eurobiomed", Regions: []string{"Occitanie"}}
	if err := storage.Create(store, "test", s.pole); err != nil {
		t.Fatal(err)
	}
	s.person = &storage.Person{Name: "Émilie Royère", Title: "Directrice générale", PoleID: s.pole.ID}
	if err := storage.Create(store, "test", s.person); err != nil {
		t.Fatal(err)
	}
	return s
}

// browser is a cookie-keeping client that does not follow redirects, so tests see them.
type browser struct {
	s    *site
	http *http.Client
	csrf string // the token of the last page that had a form
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn opens a browser signed in with the account of that role.
func (s *site) signIn(role string) *browser {
	s.t.Helper()
	b := s.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {role + "@example.org"}, "password": {password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/app" {
		s.t.Fatalf("sign in as %s: %d %s", role, r.status, r.body)
	}
	b.get("/app") // picks up the session's CSRF token
	return b
}

type response struct {
	status int
	header http.Header
	body   string
}

var tokenPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) do(req *http.Request) response {
	b.s.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := tokenPattern.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	req, _ := http.NewRequest(http.MethodGet, b.s.url+path, nil)
	return b.do(req)
}

// post sends a form with the current CSRF token, as a browser would.
func (b *browser) post(path string, form url.Values) response {
	if form == nil {
		form = url.Values{}
	}
	if !form.Has("csrf") {
		form.Set("csrf", b.csrf)
	}
	return b.postRaw(path, form)
}

// postRaw sends the form as given: no token added.
func (b *browser) postRaw(path string, form url.Values) response {
	req, _ := http.NewRequest(http.MethodPost, b.s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d:\n%s", r.status, status, r.body)
	}
}

func wantBody(t *testing.T, r response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Errorf("the page lacks %q:\n%s", p, r.body)
		}
	}
}

var tokenPatternCSS = regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.[0-9a-f]{12}\.css)">`)

var regexpNext = regexp.MustCompile(`<a rel="next" href="([^"]+)">`)
