package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"portevoix/storage"
	"portevoix/storage/contactfile"
)

func (a *api) upload(path, filename string, content []byte) response {
	a.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, _ := w.CreateFormFile("file", filename)
	part.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", a.url+path, &body)
	req.Header.Set("Authorization", "Bearer "+a.tokens[storage.RoleEditor])
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// frenchExcel is what Excel in France saves: Windows-1252, semicolons, quoted fields.
func frenchExcel(t *testing.T) []byte {
	csv := "Prénom;Nom;E-mail;Média;Région;Thématiques\r\n" +
		"Hélène;Lefèvre;helene.lefevre@example.org;\"La Dépêche; édition Tarn\";Occitanie;santé, économie\r\n" +
		"Zoé;Cœur;zoe@;Midi Libre;Occitanie;santé\r\n" +
		"François;N’Guyen;francois@example.com;France 3;Occitanie;industrie\r\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImportFrenchExcelThenExportRoundTrips(t *testing.T) {
	a := newAPI(t)
	var report contactfile.Report
	r := a.upload("/api/v1/contacts/import?dry_run=1", "presse.csv", frenchExcel(t))
	r.decode(t, &report)
	if r.status != 200 || !report.DryRun || report.Created != 2 || len(report.Errors) != 1 || report.Errors[0].Line != 3 || report.Errors[0].Field != "email" {
		t.Fatalf("dry run: %d %s", r.status, r.body)
	}
	if !strings.Contains(report.Errors[0].Message, "adresse") {
		t.Fatalf("the error must say, in French, what is wrong: %+v", report.Errors[0])
	}
	var page storage.Page[storage.Contact]
	a.do(storage.RoleViewer, "GET", "/api/v1/contacts", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatal("a dry run stored contacts")
	}
	a.upload("/api/v1/contacts/import", "presse.csv", frenchExcel(t)).decode(t, &report)
	if report.Created != 2 {
		t.Fatalf("import: %+v", report)
	}
	a.do(storage.RoleViewer, "GET", "/api/v1/contacts?q=lefèvre", nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Organization != "La Dépêche; édition Tarn" || len(page.Items[0].Tags) != 2 {
		t.Fatalf("imported contact: %+v", page.Items)
	}

	export := a.do(storage.RoleViewer, "GET", "/api/v1/contacts/export", nil)
	if export.status != 200 || !bytes.HasPrefix(export.body, []byte("\xef\xbb\xbf")) || !strings.HasPrefix(export.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %q", export.status, export.body[:min(40, len(export.body))])
	}
	r = a.upload("/api/v1/contacts/import", "export.csv", export.body)
	r.decode(t, &report)
	if report.Created != 0 || report.Updated != 0 || report.Skipped != 2 || len(report.Errors) != 0 {
		t.Fatalf("re-importing the export must change nothing: %s", r.body)
	}
}

func TestImportRefusesOversizeAndMissingFile(t *testing.T) {
	a := newAPI(t)
	big := bytes.Repeat([]byte("x"), 33<<20)
	if r := a.upload("/api/v1/contacts/import", "big.csv", big); r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversize: %d %s", r.status, r.body)
	}
	r := a.do(storage.RoleEditor, "POST", "/api/v1/contacts/import", map[string]any{})
	var p struct{ Errors []storage.FieldError }
	json.Unmarshal(r.body, &p)
	if r.status != 400 || len(p.Errors) == 0 || p.Errors[0].Field != "file" {
		t.Fatalf("missing file: %d %s", r.status, r.body)
	}
}
