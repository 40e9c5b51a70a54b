package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
)

var versionPattern = regexp.MustCompile(`<input type="hidden" name="version" value="(\d+)">`)

// formVersion is the version an edit form was opened at.
func formVersion(t *testing.T, r response) string {
	t.Helper()
	m := versionPattern.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the form carries no version:\n%s", r.body)
	}
	return m[1]
}

func TestStaleEditKeepsWhatWasTypedAndOffersToReload(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	s.person.Title = "Directrice"
	version := formVersion(t, b.get("/app/people/"+strconv.FormatUint(s.person.ID, 10)+"/edit"))
	if version != "1" {
		t.Fatalf("version %s", version)
	}
	// Someone else saves the record meanwhile.
	other := *s.person
	other.Title = "Présidente"
	if err := storage.Update(s.store, "camille@example.org", &other); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint(s.person.ID, 10)
	r := b.post("/app/people/"+id, url.Values{"version": {version}, "name": {"Émilie Royère"}, "title": {"Déléguée générale"},
		"pole_id": {strconv.FormatUint(s.pole.ID, 10)}})
	wantStatus(t, r, http.StatusPreconditionFailed)
	wantBody(t, r, "a été modifiée entre-temps par camille@example.org", `value="Déléguée générale"`,
		`<a href="/app/people/`+id+`/edit">Recharger la fiche avec ses valeurs actuelles</a>`, `name="version" value="1"`)
	if got, _ := storage.Get[storage.Person](s.store, s.person.ID); got.Title != "Présidente" {
		t.Fatalf("the other change stays: %q", got.Title)
	}
	// Reloading shows the stored values and the current version; saving then works.
	reload := b.get("/app/people/" + id + "/edit")
	wantBody(t, reload, `value="Présidente"`)
	r = b.post("/app/people/"+id, url.Values{"version": {formVersion(t, reload)}, "name": {"Émilie Royère"}, "title": {"Déléguée générale"},
		"pole_id": {strconv.FormatUint(s.pole.ID, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	if got, _ := storage.Get[storage.Person](s.store, s.person.ID); got.Title != "Déléguée générale" {
		t.Fatalf("saved: %q", got.Title)
	}
}

func TestStaleDeleteIsRefused(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	bp := &storage.Boilerplate{Title: "À propos", Text: "Les pôles."}
	if err := storage.Create(s.store, "test", bp); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint(bp.ID, 10)
	version := formVersion(t, b.get("/app/boilerplates/"+id+"/delete"))
	bp.Text = "Les pôles de compétitivité."
	if err := storage.Update(s.store, "camille@example.org", bp); err != nil {
		t.Fatal(err)
	}
	r := b.post("/app/boilerplates/"+id+"/delete", url.Values{"version": {version}})
	wantStatus(t, r, http.StatusPreconditionFailed)
	wantBody(t, r, "Fiche modifiée entre-temps", "par camille@example.org")
	if _, err := storage.Get[storage.Boilerplate](s.store, bp.ID); err != nil {
		t.Fatalf("not deleted: %v", err)
	}
}

func TestStaleAccountEdit(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleAdmin)
	users, err := s.store.Users(storage.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	editor := users.Items[1] // viewer, editor, admin
	id := strconv.FormatUint(editor.ID, 10)
	version := formVersion(t, b.get("/app/users/"+id+"/edit"))
	if _, err := s.store.UpdateUser("camille@example.org", editor.ID, 0, storage.NewUser{Email: editor.Email, Name: "Compte renommé", Role: editor.Role}); err != nil {
		t.Fatal(err)
	}
	r := b.post("/app/users/"+id, url.Values{"version": {version}, "email": {editor.Email}, "name": {"Autre nom"}, "role": {storage.RoleViewer}})
	wantStatus(t, r, http.StatusPreconditionFailed)
	wantBody(t, r, "par camille@example.org", `value="Autre nom"`, `href="/app/users/`+id+`/edit"`)
	if got, _ := s.store.UserByID(editor.ID); got.Role != storage.RoleEditor || !strings.Contains(got.Name, "renommé") {
		t.Fatalf("unchanged: %+v", got)
	}
}
