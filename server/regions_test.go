package server_test

import (
	"net/http"
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/storage/region"
)

// TestRegionsThroughTheAPI: an unknown region is a 422 listing the valid names; « PACA »
// is stored as the canonical name and a filter with a straight apostrophe finds it.
func TestRegionsThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	for path, body := range map[string]map[string]any{
		"/api/v1/contacts": {"email": "x@example.org"}, "/api/v1/lists": {"name": "X"}, "/api/v1/poles": {"name": "X"},
	} {
		body["regions"] = []string{"Bavière"}
		r := a.do(storage.RoleEditor, "POST", path, body)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("POST %s with an unknown region: %d %s", path, r.status, r.body)
		}
		p := r.problem(t)
		if len(p.Errors) != 1 || p.Errors[0].Field != "regions" || !strings.Contains(p.Errors[0].Message, region.List()) {
			t.Errorf("POST %s: errors %+v, want the valid regions listed", path, p.Errors)
		}
	}
	id := a.create("/api/v1/contacts", map[string]any{"email": "laure@example.org", "regions": []string{"PACA"}})
	var page storage.Page[storage.Contact]
	a.do(storage.RoleViewer, "GET", "/api/v1/contacts?region=Provence-Alpes-C%C3%B4te+d%27Azur", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != id || page.Items[0].Regions[0] != region.ProvenceAlpesCoteDAzur {
		t.Errorf("filter by region: %+v", page.Items)
	}
	if r := a.do(storage.RoleViewer, "GET", "/api/v1/contacts?region=Atlantide", nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("filter by an unknown region: %d %s", r.status, r.body)
	}
	if page.Items[0].Source != "saisie dans Porte-Voix par editor@example.org le "+page.Items[0].CreatedAt.Format("02/01/2006") {
		t.Errorf("source %q", page.Items[0].Source)
	}
}
