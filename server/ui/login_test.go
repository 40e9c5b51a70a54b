package ui_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestSixWrongPasswordsGet429(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	now := time.Date(2026, 5, 12, 8, 30, 0, 0, time.UTC) // 10 h 30 in Paris
	s.pages.Now = func() time.Time { return now }
	b := s.browser()
	b.get("/login")
	wrong := url.Values{"email": {"editor@example.org"}, "password": {"pas le bon"}}
	for range 5 {
		wantStatus(t, b.post("/login", wrong), http.StatusUnauthorized)
	}
	r := b.post("/login", wrong)
	wantStatus(t, r, http.StatusTooManyRequests)
	wantBody(t, r, "Trop de tentatives de connexion infructueuses\u00a0: réessayez dans 1\u00a0minute (à 10\u00a0h\u00a031).", `value="editor@example.org"`)
	if got := r.header.Get("Retry-After"); got != "60" {
		t.Errorf("Retry-After %q", got)
	}
	right := url.Values{"email": {"editor@example.org"}, "password": {password}}
	wantStatus(t, b.post("/login", right), http.StatusTooManyRequests) // even the right password learns nothing
	now = now.Add(time.Minute)
	wantStatus(t, b.post("/login", right), http.StatusSeeOther)
}

func TestWrongPasswordsAcrossAccountsAreLimitedPerAddress(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	now := time.Date(2026, 5, 12, 8, 30, 0, 0, time.UTC)
	s.pages.Now = func() time.Time { return now }
	b := s.browser()
	b.get("/login")
	for i := range 5 {
		r := b.post("/login", url.Values{"email": {"personne" + string(rune('a'+i)) + "@example.org"}, "password": {"x"}})
		wantStatus(t, r, http.StatusUnauthorized)
	}
	r := b.post("/login", url.Values{"email": {"admin@example.org"}, "password": {password}})
	wantStatus(t, r, http.StatusTooManyRequests)
	wantBody(t, r, "réessayez dans 1\u00a0minute")
}

func TestSignInForgivesTheAccount(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.browser()
	b.get("/login")
	wrong := func() url.Values { return url.Values{"email": {"viewer@example.org"}, "password": {"x"}} }
	for range 4 {
		wantStatus(t, b.post("/login", wrong()), http.StatusUnauthorized)
	}
	s.signIn("viewer")
	b = s.browser()
	b.get("/login")
	// The address still owes its four failures, the account none.
	wantStatus(t, b.post("/login", wrong()), http.StatusUnauthorized)
	wantStatus(t, b.post("/login", wrong()), http.StatusTooManyRequests)
}
