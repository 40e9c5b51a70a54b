package ui_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
)

// composition is what the tests compose: two co-signers, two measures and two quotes
// their speakers approved, in a chosen order.
type composition struct {
	poles, measures, quotes []string
	pending                 string // a quote not approved by its speaker
}

func demoComposition(t *testing.T, store *storage.Store) composition {
	t.Helper()
	var c composition
	poles, _ := storage.Find[storage.Pole](store, storage.ListOptions{Limit: 2}, nil)
	measures, _ := storage.Find[storage.Measure](store, storage.ListOptions{Limit: 2}, nil)
	quotes, _ := storage.Find[storage.Quote](store, storage.ListOptions{Limit: 1000}, nil)
	for _, p := range poles.Items {
		c.poles = append(c.poles, idOf(p.ID))
	}
	for _, m := range measures.Items {
		c.measures = append(c.measures, idOf(m.ID))
	}
	for _, q := range quotes.Items {
		switch {
		case q.Status == storage.QuoteApproved && !q.IsStatement() && len(c.quotes) < 2:
			c.quotes = append(c.quotes, idOf(q.ID))
		case q.Status != storage.QuoteApproved && !q.IsStatement() && c.pending == "":
			c.pending = idOf(q.ID)
		}
	}
	if c.pending == "" {
		pending := &storage.Quote{PersonID: quotes.Items[0].PersonID, Text: "Une phrase pas encore validée.", Status: storage.QuotePending}
		if err := storage.Create(store, "test", pending); err != nil {
			t.Fatal(err)
		}
		c.pending = idOf(pending.ID)
	}
	if len(c.poles) != 2 || len(c.measures) != 2 || len(c.quotes) != 2 {
		t.Fatalf("the demo data lacks records: %+v", c)
	}
	return c
}

func idOf(id uint64) string { return strconv.FormatUint(id, 10) }

// newDraft creates a draft from the "mesures" template and returns its address.
func newDraft(t *testing.T, b *browser) string {
	t.Helper()
	r := b.post("/app/communiques", url.Values{"template": {"mesures"}, "title": {"Sept mesures pour la santé"}})
	wantStatus(t, r, http.StatusSeeOther)
	return r.header.Get("Location")
}

// composeForm is the composing form filled with c, at version.
func composeForm(c composition, version string) url.Values {
	return url.Values{"title": {"Sept mesures pour la santé"}, "place": {"Lyon"}, "date": {"2020-05-12"}, "template": {"mesures"},
		"lede": {"Les pôles proposent sept mesures."}, "body": {"Un texte **court**."}, "version": {version},
		"pole_ids": c.poles, "measure_ids": c.measures, "quote_ids": c.quotes}
}

func stored(t *testing.T, s *site, path string) *storage.Communique {
	t.Helper()
	id, _ := strconv.ParseUint(path[strings.LastIndex(path, "/")+1:], 10, 64)
	v, err := storage.Get[storage.Communique](s.store, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func version(v *storage.Communique) string { return strconv.FormatUint(v.Version, 10) }

func TestComposeSaveMoveAndStaleEdit(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	list := b.get("/app/communiques")
	wantBody(t, list, `<h2 id="s-draft">Brouillons`, `<h2 id="s-published">Publiés`, "Approbation attendue de")
	wantStatus(t, b.get("/app/communiques/new"), http.StatusOK)
	wantStatus(t, b.post("/app/communiques", url.Values{"template": {"inconnu"}}), http.StatusUnprocessableEntity)
	path := newDraft(t, b)
	c := demoComposition(t, s.store)
	page := b.get(path)
	wantBody(t, page, `data-autosave`, `id="f-embargo_until"`, `type="datetime-local"`, "Aide pour la mise en forme (Markdown)", `<iframe id="preview-frame"`)

	form := composeForm(c, version(stored(t, s, path)))
	form.Set("embargo_until", "2020-05-12T10:00")
	wantStatus(t, b.post(path, form), http.StatusSeeOther)
	v := stored(t, s, path)
	if v.Place != "Lyon" || len(v.PoleIDs) != 2 || v.EmbargoUntil == nil || !v.EmbargoUntil.Equal(time.Date(2020, 5, 12, 8, 0, 0, 0, time.UTC)) {
		t.Fatalf("saved %+v, embargo %v (10:00 in Paris is 8:00 UTC in May)", v, v.EmbargoUntil)
	}

	// Without JavaScript, a move button saves and reorders.
	form = composeForm(c, version(v))
	form.Set("move", "measure_ids:"+c.measures[0]+":down")
	r := b.post(path, form)
	wantStatus(t, r, http.StatusSeeOther)
	if loc := r.header.Get("Location"); !strings.HasSuffix(loc, "#measures") {
		t.Errorf("back to the measures: %q", loc)
	}
	if v = stored(t, s, path); idOf(v.MeasureIDs[0]) != c.measures[1] || idOf(v.MeasureIDs[1]) != c.measures[0] {
		t.Fatalf("moved: %v", v.MeasureIDs)
	}
	form.Set("version", version(v))
	form.Set("move", "quote_ids:"+c.quotes[1]+":remove")
	wantStatus(t, b.post(path, form), http.StatusSeeOther)
	if v = stored(t, s, path); len(v.QuoteIDs) != 1 {
		t.Fatalf("removed: %v", v.QuoteIDs)
	}

	// A stale form: who changed it is said, what was typed is kept.
	form = composeForm(c, "1")
	form.Set("lede", "Mon chapeau à moi.")
	r = b.post(path, form)
	wantStatus(t, r, http.StatusPreconditionFailed)
	wantBody(t, r, "modifiée entre-temps par editor@example.org", ">Mon chapeau à moi.</textarea>")

	// An embargo that is not a date and time.
	form = composeForm(c, version(v))
	form.Set("embargo_until", "demain")
	r = b.post(path, form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-embargo_until"`, `value="demain"`)
}

func TestAutosaveUsesIfMatch(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	path := newDraft(t, b)
	c := demoComposition(t, s.store)
	autosave := func(form url.Values, ifMatch string) (int, map[string]any) {
		form.Set("csrf", b.csrf)
		req, _ := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Autosave", "1")
		req.Header.Set("If-Match", `"`+ifMatch+`"`)
		resp, err := b.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var answer map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, answer
	}
	start := version(stored(t, s, path))
	status, answer := autosave(composeForm(c, ""), start)
	if status != http.StatusOK || !regexp.MustCompile(`^Enregistré à \d+\x{a0}h\x{a0}\d\d$`).MatchString(answer["message"].(string)) {
		t.Fatalf("autosave: %d %v", status, answer)
	}
	if next := strconv.FormatFloat(answer["version"].(float64), 'f', 0, 64); next != version(stored(t, s, path)) || next == start {
		t.Fatalf("the new version %s is the stored one", next)
	}
	status, answer = autosave(composeForm(c, ""), start)
	if status != http.StatusPreconditionFailed || !strings.Contains(answer["message"].(string), "par editor@example.org") {
		t.Fatalf("stale autosave: %d %v", status, answer)
	}
	form := composeForm(c, "")
	form.Set("title", "")
	status, answer = autosave(form, version(stored(t, s, path)))
	if status != http.StatusUnprocessableEntity || answer["fields"].(map[string]any)["title"] == nil {
		t.Fatalf("invalid autosave: %d %v", status, answer)
	}
}

func TestPreviewInThePDFsFontsAndThePDF(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	path := newDraft(t, b)
	c := demoComposition(t, s.store)
	wantStatus(t, b.post(path, composeForm(c, version(stored(t, s, path)))), http.StatusSeeOther)

	r := b.get(path + "/preview")
	wantStatus(t, r, http.StatusOK)
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "font-src 'self'") ||
		r.header.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Fatalf("the preview may be framed by the staff pages only: %q", csp)
	}
	if !strings.Contains(b.get(path).header.Get("Content-Security-Policy"), "frame-src 'self'") {
		t.Fatal("the composing page may frame the preview")
	}
	css := regexp.MustCompile(`href="(/static/preview\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(r.body)
	if css == nil {
		t.Fatalf("no style sheet: %s", r.body)
	}
	sheet := b.get(css[1])
	font := regexp.MustCompile(`url\("(/static/LiberationSans-Regular\.[0-9a-f]{12}\.ttf)"\)`).FindStringSubmatch(sheet.body)
	if font == nil || !strings.Contains(sheet.body, `.communique {`) || !strings.Contains(sheet.body, `"Liberation Sans"`) || strings.Contains(sheet.body, "Serif") {
		t.Fatalf("the preview's sheet: %s", sheet.body)
	}
	if f := b.get(font[1]); f.status != http.StatusOK || f.header.Get("Content-Type") != "font/ttf" || !strings.HasPrefix(f.body, "\x00\x01\x00\x00") {
		t.Fatalf("font: %d %q", f.status, f.header.Get("Content-Type"))
	}

	// The live preview composes the form as sent, unsaved, in its order.
	measures, _ := storage.Find[storage.Measure](s.store, storage.ListOptions{Limit: 2}, nil)
	form := composeForm(c, "")
	form["measure_ids"] = []string{c.measures[1], c.measures[0]}
	form.Set("title", "Titre pas encore enregistré")
	live := b.post(path+"/preview", form)
	wantStatus(t, live, http.StatusOK)
	first, second := strings.Index(live.body, excerptOf(measures.Items[1])), strings.Index(live.body, excerptOf(measures.Items[0]))
	if !strings.HasPrefix(live.body, `<article class="communique">`) || !strings.Contains(live.body, "Titre pas encore enregistré") || first < 0 || second < first {
		t.Fatalf("live preview (%d, %d):\n%s", first, second, live.body)
	}
	if stored(t, s, path).Title == "Titre pas encore enregistré" {
		t.Fatal("the preview saved the form")
	}
	form.Set("quote_ids", "99999")
	wantStatus(t, b.post(path+"/preview", form), http.StatusUnprocessableEntity)

	pdf := b.get(path + "/pdf")
	if pdf.status != http.StatusOK || pdf.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.body, "%PDF-") ||
		!strings.HasPrefix(pdf.header.Get("Content-Disposition"), "inline;") {
		t.Fatalf("PDF: %d %v", pdf.status, pdf.header)
	}
	if d := b.get(path + "/pdf?download=1").header.Get("Content-Disposition"); d != `attachment; filename="sept-mesures-pour-la-sante.pdf"` {
		t.Fatalf("download: %q", d)
	}
}

// excerptOf is how a measure's text starts in the composed HTML.
func excerptOf(m storage.Measure) string {
	words := strings.Fields(m.Text)
	return strings.Join(words[:min(3, len(words))], " ")
}

func TestApprovalsDiffPublishAndWithdraw(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	path := newDraft(t, b)
	c := demoComposition(t, s.store)

	// An unapproved quote blocks every approval.
	form := composeForm(c, version(stored(t, s, path)))
	form["quote_ids"] = append(form["quote_ids"], c.pending)
	wantStatus(t, b.post(path, form), http.StatusSeeOther)
	page := b.get(path + "/approve?pole_id=" + c.poles[0])
	wantBody(t, page, "ne sont pas approuvées par leur auteur")
	r := b.post(path+"/approve", url.Values{"pole_id": {c.poles[0]}, "via": {"member"}})
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "n’est pas approuvée par son auteur")
	wantStatus(t, b.post(path, composeForm(c, version(stored(t, s, path)))), http.StatusSeeOther)

	wantStatus(t, b.post(path+"/approve", url.Values{"pole_id": {c.poles[0]}}), http.StatusUnprocessableEntity)
	r = b.post(path+"/approve", url.Values{"pole_id": {c.poles[1]}, "via": {"email"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-approver"`, "indiquez qui a donné l’accord du pôle")
	wantStatus(t, b.post(path+"/approve", url.Values{"pole_id": {c.poles[0]}, "via": {"member"}}), http.StatusSeeOther)
	wantStatus(t, b.post(path+"/approve", url.Values{"pole_id": {c.poles[1]}, "via": {"email"}, "approver": {"Jeanne Roux"}}), http.StatusSeeOther)
	v := stored(t, s, path)
	if v.Status != storage.CommuniqueApproved || v.Approvals[1].Approver != "Jeanne Roux" || v.Approvals[0].Via != storage.ApprovalAsMember {
		t.Fatalf("approved: %+v", v)
	}
	wantBody(t, b.get(path), "par courriel (Jeanne Roux), enregistré par editor@example.org", `href="/app/communiques/`+idOf(v.ID)+`/publish"`)

	// An edit asks again, showing what changed since.
	approvedAt := v.Approvals[0].Revision
	form = composeForm(c, version(v))
	form.Set("lede", "Les pôles proposent huit mesures.")
	wantStatus(t, b.post(path, form), http.StatusSeeOther)
	page = b.get(path)
	wantBody(t, page, `<span class="badge pending">en attente</span> <span class="note">Avait approuvé la révision `+strconv.Itoa(approvedAt))
	page = b.get(path + "/approve?pole_id=" + c.poles[0])
	wantBody(t, page, "Ce qui a changé depuis l’approbation de la révision "+strconv.Itoa(approvedAt), "<h3>Chapeau</h3>",
		`<del><span class="sr">[supprimé&nbsp;: </span>sept<span class="sr">]</span></del> <ins><span class="sr">[ajouté&nbsp;: </span>huit<span class="sr">]</span></ins>`)
	diffPage := b.get(path + "/revisions?from=" + strconv.Itoa(approvedAt))
	wantBody(t, diffPage, "<h3>Chapeau</h3>", "<ins>")
	for _, p := range c.poles {
		wantStatus(t, b.post(path+"/approve", url.Values{"pole_id": {p}, "via": {"in_person"}, "approver": {"Marc Petit"}}), http.StatusSeeOther)
	}

	// Publish, under embargo, and the public link.
	form = composeForm(c, version(stored(t, s, path)))
	wantBody(t, b.get(path+"/publish"), "n’a pas d’embargo")
	wantStatus(t, b.post(path+"/publish", nil), http.StatusSeeOther)
	page = b.get(path)
	wantBody(t, page, "Communiqué publié\u00a0: http://127.0.0.1:8080/presse/sept-mesures-pour-la-sante", `<a href="http://127.0.0.1:8080/presse/sept-mesures-pour-la-sante">`,
		"<fieldset class=\"plain\" disabled>")
	form.Set("version", version(stored(t, s, path)))
	wantStatus(t, b.post(path, form), http.StatusConflict)

	r = b.post(path+"/withdraw", url.Values{"reason": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-reason"`)
	wantStatus(t, b.post(path+"/withdraw", url.Values{"reason": {"Chiffre erroné."}}), http.StatusSeeOther)
	wantBody(t, b.get(path), "Chiffre erroné.", `<span class="badge withdrawn">`)
}

func TestPublishUnderEmbargoSaysWhen(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	path := newDraft(t, b)
	c := demoComposition(t, s.store)
	form := composeForm(c, version(stored(t, s, path)))
	form.Set("embargo_until", "2999-05-12T10:00")
	wantStatus(t, b.post(path, form), http.StatusSeeOther)
	for _, p := range c.poles {
		wantStatus(t, b.post(path+"/approve", url.Values{"pole_id": {p}, "via": {"member"}}), http.StatusSeeOther)
	}
	wantBody(t, b.get(path+"/publish"), "sous embargo jusqu’au 12\u00a0mai 2999 à 10\u00a0h\u00a000")
	wantStatus(t, b.post(path+"/publish", nil), http.StatusSeeOther)
	wantBody(t, b.get(path), "(visible après l’embargo, le 12\u00a0mai 2999 à 10\u00a0h\u00a000)")
}

func TestComposerRolesAndCSRF(t *testing.T) {
	s := demoSite(t)
	editor := s.signIn(storage.RoleEditor)
	path := newDraft(t, editor)
	c := demoComposition(t, s.store)
	viewer := s.signIn(storage.RoleViewer)
	page := viewer.get(path)
	wantStatus(t, page, http.StatusOK)
	if strings.Contains(page.body, "data-autosave") || strings.Contains(page.body, ">Enregistrer</button>") || strings.Contains(page.body, "/delete") ||
		!strings.Contains(page.body, `<fieldset class="plain" disabled>`) {
		t.Fatalf("a viewer sees the communiqué but no way to change it:\n%s", page.body)
	}
	if list := viewer.get("/app/communiques"); strings.Contains(list.body, "/app/communiques/new") {
		t.Fatal("a viewer sees no new button")
	}
	wantStatus(t, viewer.get(path+"/revisions"), http.StatusOK)
	wantStatus(t, viewer.get(path+"/pdf"), http.StatusOK)
	for _, p := range []string{path, path + "/preview", path + "/approve", path + "/publish", path + "/withdraw", path + "/delete", "/app/communiques"} {
		wantStatus(t, viewer.post(p, composeForm(c, "")), http.StatusForbidden)
	}
	wantStatus(t, viewer.get(path+"/approve"), http.StatusForbidden)
	for _, p := range []string{path, path + "/preview", path + "/approve", path + "/publish", path + "/withdraw", path + "/delete", "/app/communiques"} {
		wantStatus(t, editor.postRaw(p, composeForm(c, "")), http.StatusForbidden)
	}

	// A draft is deleted after a confirmation.
	wantBody(t, editor.get(path+"/delete"), "Supprimer le brouillon «\u202fSept mesures pour la santé\u202f»\u202f?")
	wantStatus(t, editor.post(path+"/delete", nil), http.StatusSeeOther)
	wantStatus(t, editor.get(path), http.StatusNotFound)
}

func TestNewCommuniqueAsACopy(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	published, _ := storage.Find[storage.Communique](s.store, storage.ListOptions{}, func(v *storage.Communique) bool { return v.Status == storage.CommuniquePublished })
	old := published.Items[0]
	wantBody(t, b.get("/app/communiques/new"), "Copie d’un communiqué", old.Title)
	r := b.post("/app/communiques", url.Values{"copy": {idOf(old.ID)}})
	wantStatus(t, r, http.StatusSeeOther)
	v := stored(t, s, r.header.Get("Location"))
	if v.Title != "Copie de "+old.Title || v.Status != storage.CommuniqueDraft || len(v.Approvals) != 0 || v.Body != old.Body ||
		len(v.QuoteIDs) != len(old.QuoteIDs) || v.Slug == old.Slug {
		t.Fatalf("copy: %+v", v)
	}
}
