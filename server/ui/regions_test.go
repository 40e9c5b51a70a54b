package ui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/storage/region"
)

func TestRegionsArePickedFromTheVocabulary(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	pole := b.get("/app/poles/" + strconv.FormatUint(s.pole.ID, 10) + "/edit")
	for _, page := range []response{pole, b.get("/app/contacts/new"), b.get("/app/lists/new")} {
		wantStatus(t, page, http.StatusOK)
		if n := strings.Count(page.body, `<input type="checkbox" name="regions"`); n != len(region.Names()) {
			t.Errorf("%d region boxes, want %d", n, len(region.Names()))
		}
		wantBody(t, page, "<legend>Régions</legend>", `value="Provence-Alpes-Côte d’Azur">Provence-Alpes-Côte d’Azur</label>`)
	}
	wantBody(t, pole, `value="Occitanie" checked>`)

	r := b.post("/app/contacts", url.Values{"email": {"a@example.com"}, "last_name": {"Arnaud"}, "kind": {storage.KindJournalist},
		"regions": {"Bretagne", "Occitanie"}})
	wantStatus(t, r, http.StatusSeeOther)
	found, _ := storage.Find[storage.Contact](s.store, storage.ListOptions{}, nil)
	if got := found.Items[0].Regions; len(got) != 2 || got[0] != "Bretagne" || got[1] != "Occitanie" {
		t.Fatalf("regions %q", got)
	}

	// A region outside the vocabulary, as a forged form sends it, stays ticked beside its error.
	r = b.post("/app/contacts", url.Values{"email": {"b@example.com"}, "last_name": {"Bernard"}, "kind": {storage.KindJournalist},
		"regions": {"Atlantide"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `value="Atlantide" checked>Atlantide</label>`, `id="e-regions"`)

	list := b.get("/app/contacts?region=Bretagne")
	wantBody(t, list, `<select id="f-region" name="region">`, `<option value="Bretagne" selected>Bretagne</option>`, "Arnaud")
}
