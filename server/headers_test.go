package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
)

// TestEveryAnswerHasSecurityHeaders checks JSON, problem, HTML, PDF, feed and redirect
// answers: all carry nosniff; every HTML one a Content-Security-Policy header that loads
// nothing from elsewhere and says who may frame it. A PDF carries none, so that no policy
// hinders the browser's own viewer.
func TestEveryAnswerHasSecurityHeaders(t *testing.T) {
	s := newSite(t)
	v := s.published("Relocaliser les médicaments", "2020-05-12", nil)
	token := "Bearer " + s.token(storage.RoleViewer)
	for _, tc := range []struct {
		path, auth, media, frame string
	}{
		{"/healthz", "", "application/json", ""},
		{"/api/v1/poles", token, "application/json", ""},
		{"/api/v1/poles", "", "application/problem+json", ""},
		{"/api/v1/nowhere", token, "application/problem+json", ""},
		{fmt.Sprintf("/api/v1/communiques/%d/preview", v.ID), token, "text/html", "'self'"},
		{fmt.Sprintf("/api/v1/communiques/%d/pdf", v.ID), token, "application/pdf", ""},
		{"/presse", "", "text/html", "'none'"},
		{"/presse/" + v.Slug, "", "text/html", "'none'"},
		{"/presse/" + v.Slug + ".pdf", "", "application/pdf", ""},
		{"/presse/introuvable", "", "text/html", "'none'"},
		{"/presse/feed.atom", "", "application/atom+xml", ""},
		{"/", "", "text/html", "'none'"}, // the redirect's body
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := s.getAs(tc.path, tc.auth)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, tc.media) {
				t.Fatalf("Content-Type %q, want %s (status %d)", ct, tc.media, r.status)
			}
			if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			csp := r.header.Get("Content-Security-Policy")
			if tc.frame == "" {
				if csp != "" && tc.media == "application/pdf" {
					t.Errorf("a PDF with Content-Security-Policy %q", csp)
				}
				return
			}
			if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors "+tc.frame) {
				t.Errorf("Content-Security-Policy %q, want default-src 'none' and frame-ancestors %s", csp, tc.frame)
			}
		})
	}
}

// token creates a user of that role and returns one of their API tokens.
func (s *site) token(role string) string {
	s.t.Helper()
	email := role + "@example.org"
	if _, err := s.store.CreateUser("test", storage.NewUser{Email: email, Name: role, Role: role, Password: "0123456789ab"}); err != nil {
		s.t.Fatal(err)
	}
	token, _, err := s.store.CreateToken("test", email, "test")
	must(s.t, err)
	return token
}

// getAs sends a GET with that Authorization header, when not empty.
func (s *site) getAs(path, authorization string) response {
	s.t.Helper()
	header := map[string]string{}
	if authorization != "" {
		header["Authorization"] = authorization
	}
	return s.getWith("GET", path, header)
}

func TestBearerSchemeIgnoresCase(t *testing.T) {
	s := newSite(t)
	token := s.token(storage.RoleViewer)
	for _, header := range []string{"Bearer " + token, "bearer " + token, "BEARER " + token, "  Bearer   " + token + " "} {
		if r := s.getAs("/api/v1/poles", header); r.status != http.StatusOK {
			t.Errorf("%q: %d", header, r.status)
		}
	}
	for _, header := range []string{"Basic " + token, "Bearer", token, "Bearer" + token} {
		if r := s.getAs("/api/v1/poles", header); r.status != http.StatusUnauthorized {
			t.Errorf("%q: %d, want 401", header, r.status)
		}
	}
}

// TestFailedAuthenticationsAreLimited: after ten bad tokens from one address, even a good
// token waits, with Retry-After and a French message; a minute later one try is allowed.
func TestFailedAuthenticationsAreLimited(t *testing.T) {
	s := newSite(t)
	token := s.token(storage.RoleViewer)
	for i := range 10 {
		if r := s.getAs("/api/v1/poles", "Bearer pv_forged"+strconv.Itoa(i)); r.status != http.StatusUnauthorized {
			t.Fatalf("bad token %d: %d, want 401", i+1, r.status)
		}
	}
	for _, auth := range []string{"Bearer pv_forged", "Bearer " + token, ""} {
		req := s.getAs("/api/v1/poles", auth)
		if req.status != http.StatusTooManyRequests || req.header.Get("Retry-After") != "60" {
			t.Fatalf("%q after 10 failures: %d, Retry-After %q; want 429 and 60", auth, req.status, req.header.Get("Retry-After"))
		}
		p := req.problem(t)
		if want := "Trop d’échecs d’authentification depuis votre adresse\u00a0: réessayez dans 60\u00a0secondes."; p.Detail != want {
			t.Errorf("detail %q, want %q", p.Detail, want)
		}
	}
	s.clock.Set(s.clock.Now().Add(59 * time.Second))
	if r := s.getAs("/api/v1/poles", "Bearer "+token); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("59 s later: %d, Retry-After %q; want 429 and 1", r.status, r.header.Get("Retry-After"))
	}
	s.clock.Set(s.clock.Now().Add(time.Second))
	if r := s.getAs("/api/v1/poles", "Bearer "+token); r.status != http.StatusOK {
		t.Fatalf("a minute later, the good token: %d", r.status)
	}
}
