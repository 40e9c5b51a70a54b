package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"portevoix/storage"
)

// release creates, through the API, a communiqué co-signed by two pôles with one quote.
type release struct {
	poleA, poleB, quote, contact, communique uint64
}

func newRelease(a *api) release {
	var r release
	r.poleA = a.create("/api/v1/poles", map[string]any{"name": "Eurobiomed", "regions": []string{"Occitanie"}})
	r.poleB = a.create("/api/v1/poles", map[string]any{"name": "Lyonbiopôle", "regions": []string{"Auvergne-Rhône-Alpes"}})
	person := a.create("/api/v1/people", map[string]any{"name": "Michaël Danon", "title": "Président", "pole_id": r.poleA})
	r.quote = a.create("/api/v1/quotes", map[string]any{"person_id": person, "text": "Tant que la règle des achats hospitaliers reste le moindre coût…"})
	measure := a.create("/api/v1/measures", map[string]any{"axis": "Accroître la capacité de production", "text": "d’incitation fiscale"})
	r.contact = a.create("/api/v1/contacts", map[string]any{"first_name": "Alain", "last_name": "Khemili", "email": "alain@example.org", "phone": "06 89 59 46 05", "kind": "press_officer", "pole_id": r.poleA})
	r.communique = a.create("/api/v1/communiques", map[string]any{
		"title": "<script>alert(1)</script> Souveraineté", "date": "2020-05-12", "place": "Paris", "template": "mesures",
		"lede": "**Pour renforcer** la souveraineté", "body": "Contexte.",
		"pole_ids": []uint64{r.poleA, r.poleB}, "measure_ids": []uint64{measure}, "quote_ids": []uint64{r.quote}, "contact_ids": []uint64{r.contact},
	})
	return r
}

func TestCommuniqueLifecycleThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	r := newRelease(a)
	path := fmt.Sprintf("/api/v1/communiques/%d", r.communique)

	resp := a.do(storage.RoleEditor, "POST", path+"/approve", map[string]any{"pole_id": r.poleA})
	if resp.status != http.StatusConflict || !strings.Contains(resp.problem(t).Detail, "Michaël Danon") {
		t.Fatalf("approve with an unapproved quote: %d %s", resp.status, resp.body)
	}
	a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/quotes/%d/approve", r.quote), nil)
	for _, pole := range []uint64{r.poleA, r.poleB} {
		if resp := a.do(storage.RoleEditor, "POST", path+"/approve", map[string]any{"pole_id": pole}); resp.status != 200 {
			t.Fatalf("approve: %d %s", resp.status, resp.body)
		}
	}
	var c storage.Communique
	resp = a.do(storage.RoleEditor, "POST", path+"/publish", nil)
	resp.decode(t, &c)
	if resp.status != 200 || c.Status != storage.CommuniquePublished {
		t.Fatalf("publish: %d %s", resp.status, resp.body)
	}
	var revs storage.Page[storage.Communique]
	a.do(storage.RoleViewer, "GET", path+"/revisions", nil).decode(t, &revs)
	if len(revs.Items) != 1 || revs.Items[0].Revision != 1 {
		t.Fatalf("revisions: %+v", revs)
	}
}

func TestPreviewKeepsUserTextLiteral(t *testing.T) {
	a := newAPI(t)
	r := newRelease(a)
	resp := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/communiques/%d/preview", r.communique), nil)
	if resp.status != 200 || !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
		t.Fatalf("preview: %d %s", resp.status, resp.header)
	}
	doc, err := html.Parse(bytes.NewReader(resp.body))
	if err != nil {
		t.Fatal(err)
	}
	var scripts int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" {
			scripts++
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 0 || !bytes.Contains(resp.body, []byte("&lt;script&gt;")) {
		t.Fatalf("user text became markup (%d scripts)", scripts)
	}
	if !bytes.Contains(resp.body, []byte("**Pour renforcer**")) && !bytes.Contains(resp.body, []byte("\\*\\*")) {
		t.Fatalf("Markdown typed in the chapeau must stay literal")
	}
}

func TestPDFEndpoint(t *testing.T) {
	a := newAPI(t)
	r := newRelease(a)
	resp := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/communiques/%d/pdf", r.communique), nil)
	if resp.status != 200 || resp.header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(resp.body, []byte("%PDF-")) {
		t.Fatalf("pdf: %d %s", resp.status, resp.header)
	}
	again := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/communiques/%d/pdf", r.communique), nil)
	if !bytes.Equal(resp.body, again.body) {
		t.Fatal("the same revision must give the same PDF bytes")
	}
}

func TestCommuniqueBadInput(t *testing.T) {
	a := newAPI(t)
	r := newRelease(a)
	resp := a.do(storage.RoleEditor, "POST", "/api/v1/communiques", map[string]any{"title": "X", "date": "2020-05-12", "template": "inconnu", "pole_ids": []uint64{r.poleA}})
	if resp.status != 422 || resp.problem(t).Errors[0].Field != "template" {
		t.Fatalf("unknown template: %d %s", resp.status, resp.body)
	}
	resp = a.do(storage.RoleEditor, "POST", "/api/v1/communiques", map[string]any{"date": "2020-05-12", "pole_ids": []uint64{r.poleA}})
	if resp.status != 422 || resp.problem(t).Errors[0].Field != "title" {
		t.Fatalf("missing title: %d %s", resp.status, resp.body)
	}
	a.do(storage.RoleEditor, "DELETE", fmt.Sprintf("/api/v1/contacts/%d", r.contact), nil)
	resp = a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/communiques/%d/pdf", r.communique), nil)
	if resp.status != 422 || resp.problem(t).Errors[0].Field != "contact_ids[0]" {
		t.Fatalf("deleted reference: %d %s", resp.status, resp.body)
	}
}
