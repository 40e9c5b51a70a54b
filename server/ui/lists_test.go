package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestListRuleMembersAndCount(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for _, ct := range []storage.Contact{
		{Email: "a@example.com", LastName: "Arnaud", Kind: storage.KindJournalist, Regions: []string{"Bretagne"}},
		{Email: "b@example.com", LastName: "Bernard", Kind: storage.KindJournalist, Regions: []string{"Occitanie"}},
		{Email: "c@example.com", LastName: "Carpentier", Kind: storage.KindAgency, Regions: []string{"Bretagne"}},
	} {
		if err := storage.Create(s.store, "test", &ct); err != nil {
			t.Fatal(err)
		}
	}
	b := s.signIn(storage.RoleEditor)
	r := b.post("/app/lists", url.Values{"name": {"Bretagne"}, "kinds": {"journalist", "spy"}, "regions": {"bretagne"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-kinds"`, `value="Bretagne" checked`, `value="journalist" checked`)
	wantStatus(t, b.post("/app/lists", url.Values{"name": {"Bretagne"}, "kinds": {"journalist"}, "regions": {"bretagne"}}), http.StatusSeeOther)
	lists := b.get("/app/lists")
	wantBody(t, lists, "journaliste · Bretagne", "<td data-label=\"Destinataires\"><strong>1</strong>")

	r = b.post("/app/lists/1/members", url.Values{"email": {"nobody@example.com"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-email"`, `value="nobody@example.com"`)
	wantStatus(t, b.post("/app/lists/1/members", url.Values{"email": {"B@example.com"}}), http.StatusSeeOther)
	page := b.get("/app/lists/1")
	wantBody(t, page, "Bernard ajouté à la liste.", "<strong>2</strong>", "b@example.com")
	wantStatus(t, b.post("/app/lists/1/members/2/remove", nil), http.StatusSeeOther)
	if page := b.get("/app/lists/1"); !strings.Contains(page.body, "<strong>1</strong>") || strings.Contains(page.body, "b@example.com") {
		t.Fatalf("removed:\n%s", page.body)
	}
	audit, _ := s.store.AuditLog(storage.ListOptions{Limit: 3})
	for _, e := range audit.Items {
		if e.Kind != "lists" || e.Actor != "editor@example.org" {
			t.Errorf("audited as through the API: %+v", e)
		}
	}
}

func TestRecipientCountOfARuleBeingBuilt(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for _, ct := range []storage.Contact{
		{Email: "a@example.com", Regions: []string{"Bretagne"}},
		{Email: "b@example.com", Regions: []string{"Bretagne"}, Kind: storage.KindAgency},
		{Email: "c@example.com", Regions: []string{"Occitanie"}},
	} {
		if err := storage.Create(s.store, "test", &ct); err != nil {
			t.Fatal(err)
		}
	}
	list := &storage.List{Name: "Une", MemberIDs: []uint64{3}}
	if err := storage.Create(s.store, "test", list); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(storage.RoleViewer)
	for query, want := range map[string]string{
		"regions=bretagne":                       `{"count":2,"label":"2 destinataires"}`,
		"regions=Bretagne&kinds=journalist":      `{"count":1,"label":"1 destinataire"}`,
		"regions=Bretagne&kinds=journalist&id=1": `{"count":2,"label":"2 destinataires"}`,
		"tags=rien":                              `{"count":0,"label":"0 destinataire"}`,
	} {
		if r := b.get("/app/lists/count?" + query); r.status != http.StatusOK || r.body != want {
			t.Errorf("?%s: %d %s, want %s", query, r.status, r.body, want)
		}
	}
	wantStatus(t, b.get("/app/lists/count?id=99"), http.StatusNotFound)
}
