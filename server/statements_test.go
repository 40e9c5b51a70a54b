package server_test

import (
	"net/http"
	"strconv"
	"testing"

	"portevoix/storage"
)

// Through the API: a public statement is refused without its source, needs no approval
// (and refuses one), and quotes can be listed by kind.
func TestStatementsThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	r := a.do(storage.RoleEditor, "POST", "/api/v1/quotes", map[string]any{"kind": "statement", "text": "Il est essentiel…", "speaker": "Agnès Pannier-Runacher"})
	p := r.problem(t)
	if r.status != http.StatusUnprocessableEntity || len(p.Errors) != 3 {
		t.Fatalf("statement without its source: %d %+v", r.status, p)
	}
	id := a.create("/api/v1/quotes", map[string]any{"kind": "statement", "text": "Il est essentiel…", "speaker": "Agnès Pannier-Runacher",
		"speaker_title": "ministre déléguée chargée de l’Industrie", "source": "lors du bilan du contrat de filière", "date": "2020-10-07",
		"source_url": "https://www.example.org/bilan"})
	r = a.do(storage.RoleEditor, "POST", "/api/v1/quotes/"+strconv.FormatUint(id, 10)+"/approve", nil)
	if r.status != http.StatusConflict {
		t.Fatalf("approve a statement: %d %s", r.status, r.body)
	}
	var page storage.Page[storage.Quote]
	a.do(storage.RoleViewer, "GET", "/api/v1/quotes?kind=statement", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].SourceURL != "https://www.example.org/bilan" || page.Items[0].Kind != storage.QuoteStatement {
		t.Fatalf("statements: %+v", page.Items)
	}
	a.do(storage.RoleViewer, "GET", "/api/v1/quotes?kind=spokesperson", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("spokespeople's quotes: %+v", page.Items)
	}
}
