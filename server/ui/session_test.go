package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestAppWithoutSessionGoesToLoginAndBack(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.browser()
	r := b.get("/app/quotes?status=draft")
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/login?next=%2Fapp%2Fquotes%3Fstatus%3Ddraft" {
		t.Fatalf("redirect to %q", loc)
	}
	login := b.get(r.header.Get("Location"))
	wantBody(t, login, `<html lang="fr">`, `value="/app/quotes?status=draft"`, `<label for="f-email">`)
	r = b.post("/login", url.Values{"email": {"editor@example.org"}, "password": {password}, "next": {"/app/quotes?status=draft"}})
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/app/quotes?status=draft" {
		t.Fatalf("back to %q", loc)
	}
	wantStatus(t, b.get("/app/quotes?status=draft"), http.StatusOK)
}

func TestLoginNeverSendsElsewhere(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for _, next := range []string{"https://evil.example.com/app", "//evil.example.com/app", `/\evil.example.com`, "/presse", "/application"} {
		b := s.browser()
		b.get("/login")
		r := b.post("/login", url.Values{"email": {"viewer@example.org"}, "password": {password}, "next": {next}})
		if loc := r.header.Get("Location"); loc != "/app" {
			t.Errorf("next=%q sent to %q", next, loc)
		}
	}
}

func TestWrongPasswordKeepsTheAddress(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {"editor@example.org"}, "password": {"wrong password"}})
	wantStatus(t, r, http.StatusUnauthorized)
	wantBody(t, r, "Adresse e-mail ou mot de passe incorrect.", `value="editor@example.org"`)
	if strings.Contains(r.body, "wrong password") {
		t.Error("the password typed is never sent back")
	}
}

func TestPostWithoutCSRFTokenIs403(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	t.Run("Login", func(t *testing.T) {
		b := s.browser()
		b.get("/login")
		r := b.postRaw("/login", url.Values{"email": {"editor@example.org"}, "password": {password}})
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, `<html lang="fr">`, "jeton de sécurité absent ou invalide")
	})
	for name, token := range map[string][]string{"Missing": nil, "Wrong": {"not-the-token"}} {
		t.Run(name, func(t *testing.T) {
			b := s.signIn(storage.RoleEditor)
			form := url.Values{"person_id": {"2"}, "text": {"Une citation glissée par un autre site."}}
			if token != nil {
				form["csrf"] = token
			}
			r := b.postRaw("/app/quotes", form)
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, "Action non autorisée", "jeton de sécurité absent ou invalide")
			if page, _ := storage.Find[storage.Quote](s.store, storage.ListOptions{}, nil); len(page.Items) != 0 {
				t.Fatalf("nothing is stored: %+v", page.Items)
			}
		})
	}
}

func TestViewerSeesNoEditButtonAndCannotForgeOne(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	q := &storage.Quote{PersonID: s.person.ID, Text: "La santé est un enjeu de souveraineté."}
	if err := storage.Create(s.store, "test", q); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(storage.RoleViewer)
	r := b.get("/app/quotes")
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "La santé est un enjeu de souveraineté.")
	for _, button := range []string{"/app/quotes/new", "/edit", "/delete", "/approve", "Comptes"} {
		if strings.Contains(r.body, button) {
			t.Errorf("a viewer's page shows %q", button)
		}
	}
	// The viewer's token is valid: the role alone refuses.
	for _, path := range []string{"/app/quotes", "/app/quotes/1", "/app/quotes/1/delete", "/app/quotes/1/approve"} {
		r := b.post(path, url.Values{"person_id": {"2"}, "text": {"x"}, "approved_via": {"email"}})
		wantStatus(t, r, http.StatusForbidden)
		wantBody(t, r, "Votre rôle ne permet pas cette action")
	}
	wantStatus(t, b.get("/app/quotes/1/edit"), http.StatusForbidden)
	if got, _ := storage.Get[storage.Quote](s.store, q.ID); got.Text != q.Text || got.Status != storage.QuoteDraft {
		t.Fatalf("unchanged: %+v", got)
	}
}

func TestSessionCookie(t *testing.T) {
	for name, tc := range map[string]struct {
		base, cookie string
		secure       bool
	}{
		"HTTP":  {"http://127.0.0.1:8080", "pv_session", false},
		"HTTPS": {"https://presse.example.org", "__Host-pv_session", true},
	} {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, tc.base)
			b := s.browser()
			b.get("/login")
			r := b.post("/login", url.Values{"email": {"viewer@example.org"}, "password": {password}})
			var got *http.Cookie
			for _, c := range (&http.Response{Header: r.header}).Cookies() {
				if c.Name == tc.cookie && c.Value != "" {
					got = c
				}
			}
			if got == nil || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Secure != tc.secure || got.Path != "/" || got.Domain != "" {
				t.Fatalf("cookie %+v in %v", got, r.header["Set-Cookie"])
			}
			if len(got.Value) != 43 {
				t.Fatalf("a 256-bit secret: %q", got.Value)
			}
		})
	}
}

func TestLogoutAndPasswordChangeEndTheSession(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	wantStatus(t, b.post("/app/logout", nil), http.StatusSeeOther)
	wantStatus(t, b.get("/app"), http.StatusSeeOther)

	b = s.signIn(storage.RoleEditor)
	u, _ := s.store.Authenticate("editor@example.org", password)
	if _, err := s.store.UpdateUser("admin@example.org", u.ID, 0, storage.NewUser{Email: u.Email, Name: u.Name, Role: u.Role, Password: "another long one"}); err != nil {
		t.Fatal(err)
	}
	r := b.get("/app")
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("to %q", r.header.Get("Location"))
	}
}

func TestPagesAreStrict(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleAdmin)
	r := b.get("/app")
	wantStatus(t, r, http.StatusOK)
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q", csp)
	}
	for _, bad := range []string{"<script>", "style=", " onclick="} {
		if strings.Contains(r.body, bad) {
			t.Errorf("inline %q in the page", bad)
		}
	}
	wantBody(t, r, `<a class="skip" href="#contenu">`, `<main id="contenu"`, `<nav aria-label="Sections">`, `aria-current="page"`)
	css := tokenPatternCSS.FindStringSubmatch(r.body)
	if css == nil {
		t.Fatal("no style sheet")
	}
	sheet := b.get(css[1])
	if sheet.status != http.StatusOK || !strings.Contains(sheet.header.Get("Cache-Control"), "immutable") || !strings.Contains(sheet.body, ":focus-visible") {
		t.Fatalf("style sheet: %d %v", sheet.status, sheet.header)
	}
}

func TestTwoSignInTabs(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.browser()
	b.get("/login")
	first := b.csrf
	b.get("/login") // a second tab
	if b.csrf != first {
		t.Fatal("the second tab changed the token of the first")
	}
	r := b.post("/login", url.Values{"csrf": {first}, "email": {"viewer@example.org"}, "password": {password}})
	wantStatus(t, r, http.StatusSeeOther)
}

func TestUnknownStaffPage(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	r := s.browser().get("/app/nulle-part")
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/login?next=%2Fapp%2Fnulle-part" {
		t.Fatalf("to %q", loc)
	}
	r = s.signIn(storage.RoleViewer).get("/app/nulle-part")
	wantStatus(t, r, http.StatusNotFound)
	wantBody(t, r, `<html lang="fr">`, "Page introuvable", "Aucune page ne correspond à cette adresse.")
}
