package server_test

import (
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// TestOptOutThroughTheAPI: an opt-out sent by the API enters the suppression set, no API
// call takes it back, and re-creating the contact does not make the address mailable.
func TestOptOutThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	id := a.create("/api/v1/contacts", map[string]any{"email": "parti@example.org", "opted_out": true})
	if !a.store.Suppressed("parti@example.org") {
		t.Fatal("a contact created opted out is not in the suppression set")
	}
	path := fmt.Sprintf("/api/v1/contacts/%d", id)
	for _, body := range []map[string]any{
		{"opted_out": false},
		{"opted_out": false, "opted_out_at": "2001-01-01T00:00:00Z"},
	} {
		r := a.do(storage.RoleAdmin, "PATCH", path, body)
		if r.status != http.StatusConflict {
			t.Fatalf("PATCH %v: %d %s, want 409", body, r.status, r.body)
		}
		if p := r.problem(t); !strings.Contains(p.Detail, "désinscription est définitive") {
			t.Errorf("PATCH %v: detail %q", body, p.Detail)
		}
	}
	if r := a.do(storage.RoleEditor, "DELETE", path, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	id = a.create("/api/v1/contacts", map[string]any{"email": "Parti@example.org", "opted_out": false, "opted_out_at": "2030-01-01T00:00:00Z"})
	var back storage.Contact
	a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/contacts/%d", id), nil).decode(t, &back)
	if !back.OptedOut || back.OptedOutAt == nil || back.OptedOutAt.Year() == 2030 {
		t.Fatalf("re-created contact reads opted_out %v at %v, want true at the first opt-out", back.OptedOut, back.OptedOutAt)
	}
}

// TestAddressRuleThroughTheAPI: an address the sender could not send to is refused when
// it is entered, with the reason.
func TestAddressRuleThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	for email, why := range map[string]string{
		"é@exämple.org": "les adresses internationalisées (caractères accentués) ne sont pas prises en charge",
		"a@-b.org":      "nom de domaine invalide\u00a0: «\u202f-b.org\u202f»",
	} {
		r := a.do(storage.RoleEditor, "POST", "/api/v1/contacts", map[string]string{"email": email})
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, why) {
			t.Errorf("POST contact %s: %d %s, want 422 saying %q", email, r.status, r.body, why)
		}
	}
}

// TestTestSend: a test send never goes to an unsubscribed address, and the link in a test
// message opens a page that says it was a test and changes nothing.
func TestTestSend(t *testing.T) {
	in := smtptest.Start(t, func(s *smtptest.Server) { s.Delay = time.Millisecond })
	a := newSendingAPI(t, in)
	campaign := a.create("/api/v1/campaigns", map[string]any{
		"communique_id": 1, "list_ids": a.listIDs("Presse Grand Est"), "subject": "Essai", "pitch": "Essai.",
	})
	testPath := fmt.Sprintf("/api/v1/campaigns/%d/test", campaign)

	for email, why := range map[string]string{"é@exämple.org": "internationalisées", "a@-b.org": "nom de domaine invalide"} {
		r := a.do(storage.RoleEditor, "POST", testPath, map[string]string{"email": email})
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, why) {
			t.Fatalf("test send to %s: %d %s, want 422 saying %q", email, r.status, r.body, why)
		}
	}
	contact := a.create("/api/v1/contacts", map[string]any{"email": "desinscrite@example.org"})
	if err := a.store.OptOut(contact, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	r := a.do(storage.RoleEditor, "POST", testPath, map[string]string{"email": "Desinscrite@example.org"})
	if r.status != http.StatusConflict || !strings.Contains(r.problem(t).Detail, "s’est désinscrite") {
		t.Fatalf("test send to an unsubscribed address: %d %s, want 409", r.status, r.body)
	}
	if n := in.Count(); n != 0 {
		t.Fatalf("%d messages sent to an unsubscribed address", n)
	}

	if r := a.do(storage.RoleEditor, "POST", testPath, map[string]string{"email": "essai@example.org"}); r.status != http.StatusOK {
		t.Fatalf("test send: %d %s", r.status, r.body)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(in.Received()[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	link, err := url.Parse(strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>"))
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"GET", "POST"} {
		r := a.do("", method, link.Path, oneClick)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), "message de test") ||
			!strings.Contains(string(r.body), "Personne n’a été désinscrit") {
			t.Fatalf("%s %s: %d %s", method, link.Path, r.status, r.body)
		}
	}
	if a.store.Suppressed("essai@example.org") {
		t.Fatal("opening a test message's link unsubscribed the tester")
	}
}
