package ui_test

import (
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestOnlyAdminsManageAccounts(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	e := s.signIn(storage.RoleEditor)
	if strings.Contains(e.get("/app").body, "/app/users") {
		t.Error("an editor sees no link to the accounts")
	}
	wantStatus(t, e.get("/app/users"), http.StatusForbidden)
	wantStatus(t, e.post("/app/users", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"admin"}, "password": {"0123456789ab"}}), http.StatusForbidden)
	if _, err := s.store.Authenticate("x@example.org", "0123456789ab"); err == nil {
		t.Fatal("an editor made an account")
	}
}

func TestAdminCreatesResetsAndDeletesAccounts(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	a := s.signIn(storage.RoleAdmin)
	r := a.post("/app/users", url.Values{"email": {"editor@example.org"}, "name": {"Autre"}, "role": {"editor"}, "password": {"assez long pour passer"}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, `id="e-email"`, "adresse déjà utilisée", `value="Autre"`)
	if strings.Contains(r.body, "assez long pour passer") {
		t.Error("a password is never sent back")
	}
	r = a.post("/app/users", url.Values{"email": {"nina@example.org"}, "name": {"Nina"}, "role": {"editor"}, "password": {"court"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-password"`, "au moins 10 caractères")
	wantStatus(t, a.post("/app/users", url.Values{"email": {"nina@example.org"}, "name": {"Nina"}, "role": {"editor"}, "password": {"un mot de passe long"}}), http.StatusSeeOther)
	ninaBrowser := s.browser()
	ninaBrowser.get("/login")
	wantStatus(t, ninaBrowser.post("/login", url.Values{"email": {"nina@example.org"}, "password": {"un mot de passe long"}}), http.StatusSeeOther)
	list := a.get("/app/users")
	wantBody(t, list, "nina@example.org", "Sessions ouvertes", "cette session")
	u, _ := s.store.Authenticate("nina@example.org", "un mot de passe long")
	r = a.post("/app/users/"+itoa(u.ID)+"/password", nil)
	wantStatus(t, r, http.StatusOK)
	m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("the generated password is shown once:\n%s", r.body)
	}
	if _, err := s.store.Authenticate("nina@example.org", m[1]); err != nil {
		t.Fatalf("the shown password works: %v", err)
	}
	wantStatus(t, ninaBrowser.get("/app"), http.StatusSeeOther) // her session ended with the reset

	// Revoking a session from the list.
	other := s.signIn(storage.RoleViewer)
	sessions, _ := s.store.Sessions()
	var viewerSession uint64
	viewer, _ := s.store.Authenticate("viewer@example.org", password)
	for _, v := range sessions {
		if v.UserID == viewer.ID {
			viewerSession = v.ID
		}
	}
	a.get("/app/users")
	wantStatus(t, a.post("/app/sessions/"+itoa(viewerSession)+"/revoke", nil), http.StatusSeeOther)
	wantStatus(t, other.get("/app"), http.StatusSeeOther)

	wantBody(t, a.get("/app/users/"+itoa(u.ID)+"/delete"), "Supprimer le compte de Nina\u202f?")
	wantStatus(t, a.post("/app/users/"+itoa(u.ID)+"/delete", nil), http.StatusSeeOther)
	if _, err := s.store.UserByID(u.ID); storage.ErrorCode(err) != storage.ENOTFOUND {
		t.Fatalf("deleted: %v", err)
	}
	me, _ := s.store.Authenticate("admin@example.org", password)
	wantStatus(t, a.post("/app/users/"+itoa(me.ID)+"/delete", nil), http.StatusConflict)
}

func TestChangeOwnPassword(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleViewer)
	other := s.signIn(storage.RoleViewer)
	wantBody(t, b.get("/app/password"), `autocomplete="current-password"`, `autocomplete="new-password"`)
	r := b.post("/app/password", url.Values{"current_password": {"faux mot de passe"}, "password": {"nouveau mot de passe"}, "confirm": {"nouveau mot de passe"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-current_password"`, "mot de passe incorrect")
	r = b.post("/app/password", url.Values{"current_password": {password}, "password": {"nouveau mot de passe"}, "confirm": {"autre chose"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-confirm"`, "les deux saisies diffèrent")
	r = b.post("/app/password", url.Values{"current_password": {password}, "password": {"nouveau mot de passe"}, "confirm": {"nouveau mot de passe"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantBody(t, b.get("/login"), "Mot de passe changé.")
	for _, br := range []*browser{b, other} {
		wantStatus(t, br.get("/app"), http.StatusSeeOther)
	}
	if _, err := s.store.Authenticate("viewer@example.org", "nouveau mot de passe"); err != nil {
		t.Fatal(err)
	}
}

func TestSettingsSendATrialMessage(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	page := b.get("/app/settings")
	wantBody(t, page, "Les e-mails sont écrits dans le dossier", "Pôles Santé en réseau &lt;presse@example.org&gt;", "M’envoyer un message d’essai")
	wantStatus(t, b.post("/app/settings/test", nil), http.StatusSeeOther)
	wantBody(t, b.get("/app/settings"), "Message d’essai envoyé à editor@example.org.")
	files, _ := os.ReadDir(s.outbox)
	if len(files) != 1 {
		t.Fatalf("one message in the outbox: %v", files)
	}
	data, _ := os.ReadFile(s.outbox + "/" + files[0].Name())
	if !strings.Contains(string(data), "To: <editor@example.org>") {
		t.Fatalf("to the account's own address:\n%s", data)
	}
	viewer := s.signIn(storage.RoleViewer)
	if strings.Contains(viewer.get("/app/settings").body, "M’envoyer") {
		t.Error("a viewer sends nothing")
	}
	wantStatus(t, viewer.post("/app/settings/test", nil), http.StatusForbidden)
}

func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

func TestAdminDisablesAnAccount(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	editor := s.signIn(storage.RoleEditor)
	a := s.signIn(storage.RoleAdmin)
	u, _ := s.store.Authenticate("editor@example.org", password)
	wantStatus(t, a.post("/app/users/"+itoa(u.ID)+"/disable", url.Values{"disabled": {"1"}}), http.StatusSeeOther)
	wantBody(t, a.get("/app/users"), "désactivé", "Réactiver<span class=\"sr\"> le compte de Compte editor</span>")
	wantStatus(t, editor.get("/app"), http.StatusSeeOther)
	b := s.browser()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {"editor@example.org"}, "password": {password}})
	wantStatus(t, r, http.StatusUnauthorized)
	wantBody(t, r, "Ce compte est désactivé")
	wantStatus(t, a.post("/app/users/"+itoa(u.ID)+"/disable", url.Values{"disabled": {"0"}}), http.StatusSeeOther)
	b.get("/login")
	wantStatus(t, b.post("/login", url.Values{"email": {"editor@example.org"}, "password": {password}}), http.StatusSeeOther)
	me, _ := s.store.Authenticate("admin@example.org", password)
	wantStatus(t, a.post("/app/users/"+itoa(me.ID)+"/disable", url.Values{"disabled": {"1"}}), http.StatusConflict)
}
