package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestContactsSearchFiltersAndPages(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for i := range 55 {
		ct := &storage.Contact{FirstName: "Journaliste", LastName: fmt.Sprintf("N%02d", i), Email: fmt.Sprintf("j%02d@example.com", i),
			Organization: "Ouest-France", Regions: []string{"Bretagne"}, Source: "Salon 2024"}
		if i == 7 {
			ct.Organization, ct.Regions, ct.PoleID = "Le Progrès", []string{"Auvergne-Rhône-Alpes"}, s.pole.ID
		}
		if err := storage.Create(s.store, "test", ct); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.store.OptOut(9, "test"); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(storage.RoleViewer)
	first := b.get("/app/contacts")
	if n := strings.Count(first.body, `<td data-label="Nom">`); n != 50 {
		t.Fatalf("%d contacts on the first page, want 50", n)
	}
	next := regexpNext.FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no next page")
	}
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := strings.Count(second.body, `<td data-label="Nom">`); n != 5 || !strings.Contains(second.body, "Première page") {
		t.Fatalf("%d contacts on the second page", n)
	}
	for query, want := range map[string]int{
		"q=progr": 1, "region=auvergne-rhône-alpes": 1, "pole_id=" + fmt.Sprint(s.pole.ID): 1, "opted_out=yes": 1,
		"opted_out=no&q=N0": 9, "bounced=yes": 0, "kind=agency": 0,
	} {
		r := b.get("/app/contacts?" + query)
		if n := strings.Count(r.body, `<td data-label="Nom">`); n != want {
			t.Errorf("?%s: %d contacts, want %d", query, n, want)
		}
	}
	one := b.get("/app/contacts/8")
	wantBody(t, one, "Journaliste N07", "Le Progrès", "Eurobiomed", "Salon 2024", "Aucun envoi à ce contact.")
	if strings.Contains(one.body, "Désinscrire") || strings.Contains(one.body, "/edit") {
		t.Error("a viewer gets no buttons")
	}
	wantStatus(t, b.post("/app/contacts/8/opt-out", nil), http.StatusForbidden)

	e := s.signIn(storage.RoleEditor)
	wantStatus(t, e.post("/app/contacts/8/opt-out", nil), http.StatusSeeOther)
	wantBody(t, e.get("/app/contacts/8"), "Contact désinscrit", "désinscrit le ")
	if !s.store.Suppressed("j07@example.com") {
		t.Fatal("the address is suppressed for good")
	}
	r := e.post("/app/contacts", url.Values{"email": {"pas-une-adresse"}, "last_name": {"Durand"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `<p class="error" id="e-email">`, "adresse e-mail", `value="Durand"`)
}
