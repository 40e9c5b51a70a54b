package ui_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestPublicStatementsInTheQuoteBank(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	wantBody(t, b.get("/app/quotes/new"), `<input type="radio" name="kind" value="spokesperson" checked>`, `name="kind" value="statement">`,
		`<label for="f-speaker">`, `<label for="f-source_url">`)

	// Without its source, a statement is refused field by field, what was typed kept.
	r := b.post("/app/quotes", url.Values{"kind": {"statement"}, "text": {"Il est essentiel de produire en France."},
		"speaker": {"Agnès Pannier-Runacher"}, "person_id": {strconv.FormatUint(s.person.ID, 10)}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-source"`, `id="e-date"`, `id="e-source_url"`, `value="Agnès Pannier-Runacher"`,
		`<input type="radio" name="kind" value="statement" checked>`)
	if strings.Contains(r.body, `id="e-person_id"`) {
		t.Error("the speaker list of the other kind is ignored, not refused")
	}

	r = b.post("/app/quotes", url.Values{"kind": {"statement"}, "text": {"Il est essentiel de produire en France."},
		"speaker": {"Agnès Pannier-Runacher"}, "speaker_title": {"ministre déléguée chargée de l’Industrie"},
		"source": {"lors du bilan du contrat de filière"}, "date": {"2020-10-07"}, "source_url": {"https://www.example.org/bilan"}, "status": {"draft"}})
	wantStatus(t, r, http.StatusSeeOther)
	list := b.get("/app/quotes")
	wantBody(t, list, "Déclaration de Agnès Pannier-Runacher", "ministre déléguée chargée de l’Industrie",
		`Source&nbsp;: <a href="https://www.example.org/bilan" rel="noopener noreferrer">lors du bilan du contrat de filière</a>`, "sans validation")
	found, _ := storage.Find[storage.Quote](s.store, storage.ListOptions{}, nil)
	q := found.Items[0]
	if q.Kind != storage.QuoteStatement || q.PersonID != 0 {
		t.Fatalf("stored: %+v", q)
	}
	id := strconv.FormatUint(q.ID, 10)
	if strings.Contains(list.body, "/app/quotes/"+id+"/approve") {
		t.Error("a statement has no approval button")
	}
	wantStatus(t, b.get("/app/quotes/"+id+"/approve"), http.StatusConflict)
	wantStatus(t, b.post("/app/quotes/"+id+"/approve", url.Values{"approved_via": {"email"}}), http.StatusConflict)

	// Listing by kind.
	if !strings.Contains(b.get("/app/quotes?kind=statement").body, "Pannier-Runacher") || strings.Contains(b.get("/app/quotes?kind=spokesperson").body, "Pannier-Runacher") {
		t.Error("the kind filter")
	}
	// A spokesperson's quote keeps none of the statement's fields typed before switching.
	r = b.post("/app/quotes", url.Values{"kind": {"spokesperson"}, "person_id": {strconv.FormatUint(s.person.ID, 10)}, "text": {"Produire ici."},
		"speaker": {"Quelqu’un"}, "source_url": {"https://www.example.org/"}})
	wantStatus(t, r, http.StatusSeeOther)
	found, _ = storage.Find[storage.Quote](s.store, storage.ListOptions{}, nil)
	if q := found.Items[1]; q.Speaker != "" || q.SourceURL != "" || q.Kind != storage.QuoteSpokesperson {
		t.Fatalf("spokesperson's quote: %+v", q)
	}
}
