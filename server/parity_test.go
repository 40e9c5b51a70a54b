package server_test

import (
	"net/http"
	"strconv"
	"testing"

	"portevoix/storage"
)

// The API does what the staff pages do: how a quote was approved, disabling accounts,
// filtering contacts by pôle, opt-out and bounce.
func TestQuoteApprovalSaysHow(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Eurobiomed"})
	person := a.create("/api/v1/people", map[string]any{"name": "Émilie Royère", "pole_id": pole})
	quote := func() string {
		return strconv.FormatUint(a.create("/api/v1/quotes", map[string]any{"person_id": person, "text": "Produire ici.", "status": "pending"}), 10)
	}
	var q storage.Quote
	a.do(storage.RoleEditor, "POST", "/api/v1/quotes/"+quote()+"/approve", map[string]any{"approved_via": "in_person"}).decode(t, &q)
	if q.Status != storage.QuoteApproved || q.ApprovedVia != storage.ApprovalInPerson {
		t.Fatalf("approved in person: %+v", q)
	}
	r := a.do(storage.RoleEditor, "POST", "/api/v1/quotes/"+quote()+"/approve", nil) // no body: how is not said
	if r.status != http.StatusOK {
		t.Fatalf("without a body: %d %s", r.status, r.body)
	}
	r = a.do(storage.RoleEditor, "POST", "/api/v1/quotes/"+quote()+"/approve", map[string]any{"approved_via": "pigeon"})
	if p := r.problem(t); r.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != "approved_via" {
		t.Fatalf("another way: %d %+v", r.status, p)
	}
	r = a.do(storage.RoleEditor, "POST", "/api/v1/quotes/"+quote()+"/approve", map[string]any{"how": "email"})
	if r.status != http.StatusBadRequest {
		t.Fatalf("an unknown field: %d %s", r.status, r.body)
	}
}

func TestDisableAccountsThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	users, _ := a.store.Users(storage.ListOptions{})
	ids := map[string]string{}
	for _, u := range users.Items {
		ids[u.Role] = strconv.FormatUint(u.ID, 10)
	}
	if r := a.do(storage.RoleEditor, "POST", "/api/v1/users/"+ids[storage.RoleViewer]+"/disable", nil); r.status != http.StatusForbidden {
		t.Fatalf("an editor disables: %d", r.status)
	}
	if r := a.do(storage.RoleAdmin, "POST", "/api/v1/users/"+ids[storage.RoleAdmin]+"/disable", nil); r.status != http.StatusConflict {
		t.Fatalf("an admin disables their own account: %d", r.status)
	}
	var u storage.User
	r := a.do(storage.RoleAdmin, "POST", "/api/v1/users/"+ids[storage.RoleViewer]+"/disable", nil)
	r.decode(t, &u)
	if r.status != http.StatusOK || !u.Disabled || r.header.Get("ETag") == "" {
		t.Fatalf("disable: %d %+v", r.status, u)
	}
	if r := a.do(storage.RoleViewer, "GET", "/api/v1/me", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("a disabled account's token: %d", r.status)
	}
	var enabled storage.User
	a.do(storage.RoleAdmin, "POST", "/api/v1/users/"+ids[storage.RoleViewer]+"/enable", nil).decode(t, &enabled)
	if enabled.Disabled || enabled.ID == 0 {
		t.Fatal("enabled again")
	}
	if r := a.do(storage.RoleViewer, "GET", "/api/v1/me", nil); r.status != http.StatusOK {
		t.Fatalf("an enabled account's token: %d", r.status)
	}
	if r := a.do(storage.RoleAdmin, "POST", "/api/v1/users/999/disable", nil); r.status != http.StatusNotFound {
		t.Fatalf("unknown account: %d", r.status)
	}
}

func TestContactFiltersThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Medicen"})
	a.create("/api/v1/contacts", map[string]any{"email": "pole@example.com", "last_name": "Pôle", "pole_id": pole})
	gone := a.create("/api/v1/contacts", map[string]any{"email": "parti@example.com", "last_name": "Parti"})
	if err := a.store.OptOut(gone, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	failed := a.create("/api/v1/contacts", map[string]any{"email": "echec@example.com", "last_name": "Échec"})
	if err := a.store.MarkBounced(failed); err != nil {
		t.Fatal(err)
	}
	p := strconv.FormatUint(pole, 10)
	for query, want := range map[string][]uint64{
		"pole_id=" + p: {1}, "opted_out=true": {gone}, "bounced=true": {failed}, "opted_out=false&bounced=false": {1},
		"pole_id=" + p + "&bounced=true": nil,
	} {
		var page storage.Page[storage.Contact]
		r := a.do(storage.RoleViewer, "GET", "/api/v1/contacts?"+query, nil)
		r.decode(t, &page)
		var got []uint64
		for _, c := range page.Items {
			got = append(got, c.ID)
		}
		if r.status != http.StatusOK || len(got) != len(want) || len(want) == 1 && got[0] != want[0] {
			t.Errorf("?%s: %d %v, want %v", query, r.status, got, want)
		}
	}
	for _, query := range []string{"pole_id=x", "pole_id=0", "opted_out=oui", "bounced=1"} {
		r := a.do(storage.RoleViewer, "GET", "/api/v1/contacts?"+query, nil)
		if p := r.problem(t); r.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 {
			t.Errorf("?%s: %d %+v", query, r.status, p)
		}
	}
}
