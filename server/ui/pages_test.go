package ui_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage"
)

// postFile sends a multipart form with one file, as a browser uploads.
func (b *browser) postFile(path, field, name string, data []byte, withToken bool) response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if withToken {
		w.WriteField("csrf", b.csrf)
	}
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.s.url+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPoleLogoUpload(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	pole := strconv.FormatUint(s.pole.ID, 10)
	form := b.get("/app/poles/" + pole + "/logo/edit")
	wantBody(t, form, "n’a pas encore de logo", `enctype="multipart/form-data"`)
	wantStatus(t, b.postFile("/app/poles/"+pole+"/logo", "logo", "logo.png", tinyPNG(t), false), http.StatusForbidden)
	r := b.postFile("/app/poles/"+pole+"/logo", "logo", "logo.txt", []byte("pas une image"), true)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-logo"`, "image PNG ou JPEG attendue")
	wantStatus(t, b.postFile("/app/poles/"+pole+"/logo", "logo", "logo.png", tinyPNG(t), true), http.StatusSeeOther)
	page := b.get("/app/poles/" + pole + "/logo/edit")
	wantBody(t, page, "Logo enregistré.", `<img class="logo-preview" src="/app/poles/`+pole+`/logo?v=`)
	logo := b.get("/app/poles/" + pole + "/logo")
	if logo.status != http.StatusOK || logo.header.Get("Content-Type") != "image/png" || logo.body != string(tinyPNG(t)) {
		t.Fatalf("logo: %d %v", logo.status, logo.header)
	}
	wantBody(t, b.get("/app/poles"), `alt="Logo de Eurobiomed"`)
}

func TestPoleDeleteRefusedWhileItHasPeople(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	pole := strconv.FormatUint(s.pole.ID, 10)
	wantBody(t, b.get("/app/poles/"+pole+"/delete"), "Supprimer le pôle Eurobiomed\u202f?")
	r := b.post("/app/poles/"+pole+"/delete", nil)
	wantStatus(t, r, http.StatusConflict)
	wantBody(t, r, "Action impossible", "Ce pôle a encore des porte-parole")
}

func TestMeasuresGroupedAndReordered(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	for _, m := range []struct{ axis, title string }{{"Production", "Premier"}, {"Innovation", "Autre axe"}, {"Production", "Second"}} {
		wantStatus(t, b.post("/app/measures", url.Values{"axis": {m.axis}, "title": {m.title}, "text": {"Texte de " + m.title}}), http.StatusSeeOther)
	}
	page := b.get("/app/measures")
	if i, j, k := strings.Index(page.body, ">Production</h2>"), strings.Index(page.body, "Premier"), strings.Index(page.body, "Second"); i < 0 || !(i < j && j < k) {
		t.Fatalf("grouped by axis, in rank order:\n%s", page.body)
	}
	if !strings.Contains(page.body, ">Innovation</h2>") {
		t.Fatal("second axis")
	}
	// The form offers the existing axes while taking a new one.
	wantBody(t, b.get("/app/measures/new"), `list="l-axis"`, `<datalist id="l-axis"><option value="Production"></option><option value="Innovation"></option></datalist>`)
	second := "3"
	wantStatus(t, b.post("/app/measures/"+second+"/move", url.Values{"direction": {"up"}}), http.StatusSeeOther)
	page = b.get("/app/measures")
	if strings.Index(page.body, "Second") > strings.Index(page.body, "Premier") {
		t.Fatal("moved up")
	}
	// A drop posts the position: back below the first.
	wantBody(t, page, `<li id="m-3" class="card" data-move="/app/measures/3/move">`)
	wantStatus(t, b.post("/app/measures/"+second+"/move", url.Values{"position": {"1"}}), http.StatusSeeOther)
	page = b.get("/app/measures")
	if strings.Index(page.body, "Second") < strings.Index(page.body, "Premier") {
		t.Fatal("placed second")
	}
	viewer := s.signIn(storage.RoleViewer)
	v := viewer.get("/app/measures")
	if strings.Contains(v.body, "Monter") || strings.Contains(v.body, "Descendre") || strings.Contains(v.body, "data-move") {
		t.Error("a viewer gets no buttons and nothing to drag")
	}
	wantStatus(t, viewer.post("/app/measures/"+second+"/move", url.Values{"direction": {"down"}}), http.StatusForbidden)
}

func TestBoilerplateRoundTrip(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	r := b.post("/app/boilerplates", url.Values{"title": {""}, "text": {"Le réseau…"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-title"`, ">Le réseau…</textarea>")
	wantStatus(t, b.post("/app/boilerplates", url.Values{"title": {"À propos du réseau"}, "text": {"Le réseau…"}}), http.StatusSeeOther)
	wantBody(t, b.get("/app/boilerplates"), "Texte enregistré.", "À propos du réseau")
	wantStatus(t, b.post("/app/boilerplates/1", url.Values{"title": {"À propos"}, "text": {"Nouveau texte"}}), http.StatusSeeOther)
	got, _ := storage.Get[storage.Boilerplate](s.store, 1)
	if got.Title != "À propos" || got.Text != "Nouveau texte" {
		t.Fatalf("%+v", got)
	}
}
