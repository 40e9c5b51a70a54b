package ui_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
)

// pagesToCheck are the staff pages, filled from the demo data.
var pagesToCheck = []string{
	"/app", "/app/quotes", "/app/quotes/new", "/app/quotes/1/edit", "/app/quotes/1/approve", "/app/quotes/1/delete",
	"/app/people", "/app/people/new", "/app/people/1/edit", "/app/poles", "/app/poles/new", "/app/poles/1/edit", "/app/poles/1/logo/edit",
	"/app/measures", "/app/measures/new", "/app/measures/1/edit", "/app/boilerplates", "/app/boilerplates/new",
	"/app/contacts", "/app/contacts?region=Occitanie&opted_out=no", "/app/contacts/1", "/app/contacts/new", "/app/contacts/1/edit",
	"/app/lists", "/app/lists/1", "/app/lists/new", "/app/lists/1/edit",
	"/app/users", "/app/users/new", "/app/users/1/edit", "/app/users/1/delete", "/app/password", "/app/settings", "/app/quotes/999/edit",
	"/app/communiques", "/app/communiques/new", "/app/communiques/2", "/app/communiques/1", "/app/communiques/2/revisions",
	"/app/communiques/2/approve", "/app/communiques/2/delete", "/app/communiques/1/withdraw", "/app/communiques/2/preview",
}

// TestPagesAreValidHTML runs the Nu Html Checker (npm vnu-jar, with the machine's Java)
// over every staff page and a form showing its errors.
func TestPagesAreValidHTML(t *testing.T) {
	jar := os.Getenv("PORTEVOIX_VNU_JAR")
	java, lookErr := exec.LookPath("java")
	if jar == "" || lookErr != nil {
		t.Skip("set PORTEVOIX_VNU_JAR to vnu.jar (npm install vnu-jar) and install Java to check the pages' HTML")
	}
	s := openSite(t, "http://127.0.0.1:8080", func(store *storage.Store) error {
		_, err := demo.Load(store, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC))
		return err
	})
	dir := t.TempDir()
	save := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name+".html"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	save("login", s.browser().get("/login").body)
	b := s.signIn(storage.RoleAdmin)
	for i, path := range pagesToCheck {
		save(strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(path)+"-"+itoa(uint64(i)), b.get(path).body)
	}
	save("quote-errors", b.post("/app/quotes", url.Values{"text": {"x"}, "date": {"demain"}}).body)
	save("list-errors", b.post("/app/lists", url.Values{"kinds": {"spy"}}).body)
	save("import-form", b.get("/app/contacts/import").body)
	save("import-preview", b.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), true).body)
	cmd := exec.Command(java, "-jar", jar, "--errors-only", "--format", "json", "--skip-non-html", dir)
	var out bytes.Buffer
	cmd.Stderr = &out // the checker reports on standard error
	err := cmd.Run()
	var report struct {
		Messages []struct {
			URL, Message, Extract string
			LastLine              int
		}
	}
	if jerr := json.Unmarshal(out.Bytes(), &report); jerr != nil {
		t.Fatalf("vnu: %v %v\n%s", err, jerr, out.String())
	}
	for _, m := range report.Messages {
		t.Errorf("%s:%d: %s\n\t%s", filepath.Base(m.URL), m.LastLine, m.Message, m.Extract)
	}
}
