package ui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestQuoteFormKeepsWhatWasTyped(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	wantStatus(t, b.get("/app/quotes/new"), http.StatusOK)
	r := b.post("/app/quotes", url.Values{"person_id": {""}, "text": {"Des mots « choisis »."}, "date": {"12/05/2020"}, "tags": {"souveraineté, production"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, "Certains champs sont invalides.",
		`aria-invalid="true" aria-describedby="e-person_id"`, `<p class="error" id="e-person_id"><span class="sr">Erreur&nbsp;: </span>champ obligatoire</p>`,
		`id="e-date"`, `>Des mots « choisis ».</textarea>`, `value="souveraineté, production"`, `value="12/05/2020"`)
}

func TestQuoteLifecycle(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	person := strconv.FormatUint(s.person.ID, 10)
	r := b.post("/app/quotes", url.Values{"person_id": {person}, "text": {"Relocaliser la production de médicaments."}, "tags": {"production"}, "status": {"pending"}})
	wantStatus(t, r, http.StatusSeeOther)
	list := b.get(r.header.Get("Location"))
	wantBody(t, list, `<p class="flash" role="status">Citation enregistrée.</p>`, "Relocaliser la production", "Émilie Royère", "à faire valider")
	if again := b.get("/app/quotes"); strings.Contains(again.body, "Citation enregistrée.") {
		t.Error("a flash message shows once")
	}
	page, _ := storage.Find[storage.Quote](s.store, storage.ListOptions{}, nil)
	id := strconv.FormatUint(page.Items[0].ID, 10)

	// Filters: by pôle, status and tag.
	for query, want := range map[string]bool{
		"pole_id=" + strconv.FormatUint(s.pole.ID, 10): true, "status=pending": true, "tag=PRODUCTION": true,
		"status=approved": false, "tag=autre": false, "person_id=999": false,
	} {
		if got := strings.Contains(b.get("/app/quotes?"+query).body, "Relocaliser"); got != want {
			t.Errorf("?%s shows the quote: %v", query, got)
		}
	}

	r = b.post("/app/quotes/"+id+"/approve", nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, "Indiquez comment l’auteur a donné son accord.", `id="e-approved_via"`)
	wantStatus(t, b.post("/app/quotes/"+id+"/approve", url.Values{"approved_via": {"in_person"}}), http.StatusSeeOther)
	list = b.get("/app/quotes")
	wantBody(t, list, "approuvée", "Accord donné de vive voix, enregistré par editor@example.org le ")

	confirm := b.get("/app/quotes/" + id + "/delete")
	wantBody(t, confirm, "Supprimer la citation «\u202fRelocaliser la production de médicaments.\u202f»\u202f?", `action="/app/quotes/`+id+`/delete"`)
	wantStatus(t, b.post("/app/quotes/"+id+"/delete", nil), http.StatusSeeOther)
	wantStatus(t, b.get("/app/quotes/"+id+"/edit"), http.StatusNotFound)

	audit, _ := s.store.AuditLog(storage.ListOptions{})
	var actions []string
	for _, e := range audit.Items {
		if e.Kind == "quotes" {
			actions = append(actions, e.Actor+" "+e.Action)
		}
	}
	if strings.Join(actions, ", ") != "editor@example.org delete, editor@example.org approve, editor@example.org create" {
		t.Fatalf("audit: %v", actions)
	}
}

func TestEditingAnApprovedQuoteSendsItBack(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	q := &storage.Quote{PersonID: s.person.ID, Text: "Premiers mots."}
	if err := storage.Create(s.store, "test", q); err != nil {
		t.Fatal(err)
	}
	if _, err := s.store.ApproveQuote("test", q.ID, storage.ApprovalByEmail); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(storage.RoleEditor)
	id := strconv.FormatUint(q.ID, 10)
	form := b.get("/app/quotes/" + id + "/edit")
	wantBody(t, form, `<input type="hidden" name="status" value="approved">`, ">Premiers mots.</textarea>")
	wantStatus(t, b.post("/app/quotes/"+id, url.Values{"person_id": {strconv.FormatUint(s.person.ID, 10)}, "text": {"Autres mots."}, "status": {"approved"}}), http.StatusSeeOther)
	if got, _ := storage.Get[storage.Quote](s.store, q.ID); got.Status != storage.QuotePending || got.ApprovedVia != "" {
		t.Fatalf("new words need a new approval: %+v", got)
	}
}

func TestScriptInAQuoteStaysText(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	attack := `<script>alert("x")</script><img src=x onerror=alert(1)>`
	r := b.post("/app/quotes", url.Values{"person_id": {strconv.FormatUint(s.person.ID, 10)}, "text": {attack}, "tags": {attack}, "status": {"pending"}})
	wantStatus(t, r, http.StatusSeeOther)
	for _, path := range []string{"/app/quotes", "/app", "/app/quotes/1/edit", "/app/quotes/1/approve", "/app/quotes/1/delete"} {
		r := b.get(path)
		wantStatus(t, r, http.StatusOK)
		if strings.Contains(r.body, "<script>") || strings.Count(r.body, "<script") != 1 || strings.Contains(r.body, "<img src=x") {
			t.Errorf("%s lets markup through", path)
		}
		wantBody(t, r, "&lt;script&gt;")
	}
}
