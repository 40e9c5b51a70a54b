package ui_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"portevoix/server/checkers"
	"portevoix/storage"
)

// staffPage is one page the checkers see: the answer to GET path or, with form, to
// posting form to path (as the page's own form would, with its CSRF token).
type staffPage struct {
	name   string
	path   string
	form   url.Values
	status int // the answer's, 200 when 0
}

// staffPages are every staff page, over the demo data, as an admin sees them, plus the
// forms that answer with their errors.
func staffPages(t *testing.T, s *site) []staffPage {
	t.Helper()
	quotes, err := storage.Find[storage.Quote](s.store, storage.ListOptions{Limit: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var spoken, statement string
	for _, q := range quotes.Items {
		id := strconv.FormatUint(q.ID, 10)
		if q.IsStatement() && statement == "" {
			statement = id
		} else if !q.IsStatement() && spoken == "" {
			spoken = id
		}
	}
	if spoken == "" || statement == "" {
		t.Fatal("the demo data has a spokesperson's quote and a public statement")
	}
	pages := []staffPage{{name: "dashboard", path: "/app"}}
	for _, kind := range []string{"quotes", "people", "poles", "measures", "boilerplates", "contacts", "lists", "users"} {
		first := "1"
		if kind == "quotes" {
			first = spoken
		}
		pages = append(pages, staffPage{name: kind, path: "/app/" + kind}, staffPage{name: kind + "-new", path: "/app/" + kind + "/new"},
			staffPage{name: kind + "-edit", path: "/app/" + kind + "/" + first + "/edit"}, staffPage{name: kind + "-delete", path: "/app/" + kind + "/" + first + "/delete"})
	}
	return append(pages,
		staffPage{name: "quotes-statements", path: "/app/quotes?kind=statement"},
		staffPage{name: "statement-edit", path: "/app/quotes/" + statement + "/edit"},
		staffPage{name: "quote-approve", path: "/app/quotes/" + spoken + "/approve"},
		staffPage{name: "pole-logo", path: "/app/poles/1/logo/edit"},
		staffPage{name: "contacts-filtered", path: "/app/contacts?region=Occitanie&opted_out=no"},
		staffPage{name: "contact", path: "/app/contacts/1"},
		staffPage{name: "contacts-import", path: "/app/contacts/import"},
		staffPage{name: "list", path: "/app/lists/1"},
		staffPage{name: "password", path: "/app/password"},
		staffPage{name: "settings", path: "/app/settings"},
		staffPage{name: "audit", path: "/app/audit"},
		staffPage{name: "communiques", path: "/app/communiques"},
		staffPage{name: "communique-new", path: "/app/communiques/new"},
		staffPage{name: "compose-draft", path: "/app/communiques/2"},
		staffPage{name: "compose-published", path: "/app/communiques/1"},
		staffPage{name: "revisions", path: "/app/communiques/2/revisions"},
		staffPage{name: "communique-approve", path: "/app/communiques/2/approve"},
		staffPage{name: "communique-delete", path: "/app/communiques/2/delete"},
		staffPage{name: "communique-withdraw", path: "/app/communiques/1/withdraw"},
		staffPage{name: "communique-preview", path: "/app/communiques/2/preview"},
		staffPage{name: "not-found", path: "/app/quotes/999/edit", status: http.StatusNotFound},
		staffPage{name: "quote-errors", path: "/app/quotes", form: url.Values{"text": {"x"}, "date": {"demain"}}, status: http.StatusUnprocessableEntity},
		staffPage{name: "statement-errors", path: "/app/quotes", form: url.Values{"kind": {"statement"}, "text": {"x"}, "source_url": {"ftp://x"}},
			status: http.StatusUnprocessableEntity},
		staffPage{name: "list-errors", path: "/app/lists", form: url.Values{"kinds": {"spy"}, "regions": {"Atlantide"}}, status: http.StatusUnprocessableEntity},
		staffPage{name: "stale-edit", path: "/app/people/1", form: url.Values{"version": {"1"}, "name": {"Nom saisi"}, "pole_id": {"1"}},
			status: http.StatusPreconditionFailed},
		staffPage{name: "csrf-403", path: "/app/quotes", form: url.Values{"csrf": {"pas-le-jeton"}}, status: http.StatusForbidden},
	)
}

// checkSite is the demo data behind the staff pages, its first speaker changed once since
// the stale edit's form was opened.
func checkSite(t *testing.T) *site {
	s := demoSite(t)
	person, err := storage.Get[storage.Person](s.store, 1)
	if err != nil {
		t.Fatal(err)
	}
	person.Title += " (modifié)"
	if err := storage.Update(s.store, "camille@example.org", person); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStaffPagesAreValidHTML runs the Nu Html Checker over every staff page, the sign-in
// page with and without its error, the forms answering with their errors, and the
// import's preview.
func TestStaffPagesAreValidHTML(t *testing.T) {
	s := checkSite(t)
	anonymous := s.browser()
	pages := []checkers.Page{{Name: "login", HTML: []byte(anonymous.get("/login").body)}}
	r := anonymous.post("/login", url.Values{"email": {"admin@example.org"}, "password": {"pas le bon"}})
	wantStatus(t, r, http.StatusUnauthorized)
	pages = append(pages, checkers.Page{Name: "login-error", HTML: []byte(r.body)})
	b := s.signIn(storage.RoleAdmin)
	for _, p := range staffPages(t, s) {
		r := b.get(p.path)
		if p.form != nil {
			b.get("/app") // the token of a page with a form
			r = b.post(p.path, maps.Clone(p.form))
		}
		wantStatus(t, r, max(p.status, http.StatusOK))
		pages = append(pages, checkers.Page{Name: p.name, HTML: []byte(r.body)})
	}
	sends := campaignPages(t, s, b)
	for _, name := range slices.Sorted(maps.Keys(sends)) {
		pages = append(pages, checkers.Page{Name: name, HTML: []byte(sends[name])})
	}
	b.get("/app/contacts/import")
	r = b.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), true)
	wantStatus(t, r, http.StatusOK)
	pages = append(pages, checkers.Page{Name: "import-preview", HTML: []byte(r.body)})
	checkers.ValidHTML(t, pages)
}

// TestStaffPagesAccessible opens the same pages in chromium and checks each at 1280 and
// 375 px with axe-core: no serious or critical violation, nothing scrolling sideways. The
// screenshots are kept under $PORTEVOIX_ARTIFACTS.
func TestStaffPagesAccessible(t *testing.T) {
	axe := checkers.Axe(t)
	ctx := checkers.Chromium(t)
	s := checkSite(t)
	shots := checkers.ArtifactsDir(t)
	run := func(actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	run(chromedp.Navigate(s.url + "/login"))
	checkers.Screens(ctx, t, axe, shots, "login")
	run(postInPage("/login", url.Values{"email": {"admin@example.org"}, "password": {"pas le bon"}})...)
	checkers.Screens(ctx, t, axe, shots, "login-error")
	run(chromedp.SetValue(`#f-email`, "admin@example.org", chromedp.ByQuery), chromedp.SendKeys(`#f-password`, password, chromedp.ByQuery),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`nav[aria-label="Sections"]`, chromedp.ByQuery))
	for _, p := range staffPages(t, s) {
		if p.form != nil {
			run(chromedp.Navigate(s.url + "/app"))
			run(postInPage(p.path, p.form)...)
		} else {
			run(chromedp.Navigate(s.url + p.path))
		}
		checkers.Screens(ctx, t, axe, shots, p.name)
	}
	file := filepath.Join(t.TempDir(), "contacts.csv")
	if err := os.WriteFile(file, frenchExcelCSV(t), 0o600); err != nil {
		t.Fatal(err)
	}
	run(chromedp.Navigate(s.url+"/app/contacts/import"), chromedp.SetUploadFiles(`#f-file`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`form[enctype] button[type=submit]`, chromedp.ByQuery), chromedp.WaitReady(`input[name="upload"]`, chromedp.ByQuery))
	checkers.Screens(ctx, t, axe, shots, "import-preview")
	t.Logf("screenshots in %s", shots)
}

// postInPage posts form to path from the page shown, as one of its forms would (with
// the page's CSRF token unless form has one), and waits for the answer.
func postInPage(path string, form url.Values) []chromedp.Action {
	action, _ := json.Marshal(path)
	fields, _ := json.Marshal(form)
	return []chromedp.Action{
		chromedp.Evaluate(`((action, fields) => {
			const f = document.createElement("form");
			f.method = "post";
			f.action = action;
			if (!("csrf" in fields)) {
				fields.csrf = [document.querySelector("input[name=csrf]").value];
			}
			for (const [name, values] of Object.entries(fields)) {
				for (const value of values) {
					const i = document.createElement("input");
					i.type = "hidden";
					i.name = name;
					i.value = value;
					f.append(i);
				}
			}
			document.body.dataset.sent = "1"; // gone once the answer is shown
			document.body.append(f);
			f.submit();
		})(`+string(action)+`, `+string(fields)+`)`, nil),
		chromedp.WaitNotPresent(`body[data-sent]`, chromedp.ByQuery),
		chromedp.WaitReady(`main`, chromedp.ByQuery),
	}
}
