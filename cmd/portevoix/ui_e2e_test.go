package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"portevoix/server/checkers"
	"portevoix/templates/templatestest"
)

// pageBrowser is a headless chromium with a fresh profile, and what it saw.
type pageBrowser struct {
	t     *testing.T
	ctx   context.Context
	base  string // the server's address
	shots string
	axe   string // axe-core's source, "" when it is not installed

	mu     sync.Mutex
	status map[string]int64 // the HTTP status of each page loaded, by URL
}

// newPageBrowser starts the browser; the test sets base once its server runs.
func newPageBrowser(t *testing.T) *pageBrowser {
	ctx := checkers.Chromium(t)
	b := &pageBrowser{t: t, ctx: ctx, shots: checkers.ArtifactsDir(t), status: map[string]int64{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		if r, ok := ev.(*network.EventResponseReceived); ok && r.Type == network.ResourceTypeDocument {
			b.mu.Lock()
			b.status[r.Response.URL] = r.Response.Status
			b.mu.Unlock()
		}
	})
	b.run(network.Enable())
	t.Logf("screenshots in %s", b.shots)
	var err error
	if b.axe, err = checkers.AxeSource(); err != nil {
		if templatestest.ToolsRequired() {
			t.Fatalf("%v (PORTEVOIX_REQUIRE_TOOLS is set: the pages must be checked for accessibility)", err)
		}
		t.Logf("%v: the pages are not checked for accessibility", err)
	}
	return b
}

func (b *pageBrowser) run(actions ...chromedp.Action) {
	b.t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// statusOf is the status of the last page loaded from that path.
func (b *pageBrowser) statusOf(path string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status[b.base+path]
}

func (b *pageBrowser) text(selector string) string {
	b.t.Helper()
	var s string
	b.run(chromedp.Text(selector, &s, chromedp.BySearch)) // CSS or XPath
	return s
}

// shoot checks the page as it is now at 1280 and 375 px (no sideways scrolling, no serious
// accessibility violation) and saves its screenshots.
func (b *pageBrowser) shoot(name string) {
	b.t.Helper()
	checkers.Screens(b.ctx, b.t, b.axe, b.shots, name)
}

// account is a member of staff added with `portevoix user add`.
type account struct{ email, name, role, password string }

// claire is the editor the staff pages are used as.
var claire = account{"claire@example.org", "Claire Martin", "editor", "une phrase de passe assez longue"}

// serveDemo builds the binary, fills a fresh data folder with the demo base and the
// accounts, starts the server on it with env and points the browser at it.
func (b *pageBrowser) serveDemo(env []string, accounts ...account) *process {
	t := b.t
	t.Helper()
	bin := buildBinary(t)
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, "", "demo", "--data", dir); code != 0 {
		t.Fatal(stderr)
	}
	for _, a := range accounts {
		if _, stderr, code := runCLI(t, a.password+"\n", "user", "add", "--data", dir, "--email", a.email,
			"--name", a.name, "--role", a.role, "--password-stdin"); code != 0 {
			t.Fatal(stderr)
		}
	}
	srv := startServerEnv(t, bin, dir, env)
	b.base = srv.url
	return srv
}

// signIn fills the sign-in form being shown as a, and waits for ready on the page it leads to.
func (b *pageBrowser) signIn(a account, ready string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(`#f-email`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-email`, a.email, chromedp.ByQuery),
		chromedp.SendKeys(`#f-password`, a.password, chromedp.ByQuery),
		chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(ready, chromedp.ByQuery))
}

// TestStaffPagesInChromium signs in, adds a spokesperson and a quote with a script in it,
// approves the quote, and checks that a form without its CSRF token is refused.
func TestStaffPagesInChromium(t *testing.T) {
	b := newPageBrowser(t) // first: skips the test when chromium is missing
	admin := account{"admin@example.org", "Alex Admin", "admin", "une autre phrase assez longue"}
	viewer := account{"lecteur@example.org", "Léa Lecture", "viewer", "une phrase pour le lecteur"}
	srv := b.serveDemo(nil, claire, admin, viewer)

	// Signing in, and back to the page asked for.
	b.run(chromedp.Navigate(srv.url+"/app/people"), chromedp.WaitVisible(`#f-email`, chromedp.ByQuery))
	b.shoot("login")
	b.signIn(claire, `a[href="/app/people/new"]`)
	if h1 := b.text("h1"); h1 != "Porte-parole" {
		t.Fatalf("after signing in: %q", h1)
	}
	b.shoot("people")

	// A spokesperson.
	b.run(chromedp.Click(`a[href="/app/people/new"]`, chromedp.ByQuery), chromedp.WaitVisible(`#f-name`, chromedp.ByQuery))
	b.run(chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`#e-name`, chromedp.ByQuery))
	b.shoot("person-form-errors")
	b.run(chromedp.SendKeys(`#f-name`, "Nadia Lefort", chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Directrice de la communication", chromedp.ByQuery),
		chromedp.SetValue(`#f-pole_id`, "4", chromedp.ByQuery),
		chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	if flash := b.text("p.flash"); flash != "Porte-parole enregistré." {
		t.Fatalf("flash %q", flash)
	}

	// Her quote, with a script typed into it.
	b.run(chromedp.Click(`//tr[contains(., "Nadia Lefort")]//a[contains(@href, "/app/quotes/new")]`, chromedp.BySearch),
		chromedp.WaitVisible(`#f-text`, chromedp.ByQuery))
	b.shoot("quote-form")
	b.run(chromedp.SendKeys(`#f-text`, `Nous devons <script>document.title="piégé"</script> agir ensemble.`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-tags`, "souveraineté, production", chromedp.ByQuery),
		chromedp.SetValue(`#f-status`, "pending", chromedp.ByQuery),
		chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	var title string
	b.run(chromedp.Title(&title))
	if cell := b.text(`//tr[contains(., "Nadia Lefort")]/td[1]`); !strings.Contains(cell, `<script>document.title="piégé"</script>`) || title != "Citations — Porte-Voix" {
		t.Fatalf("the script must show as text and never run: %q, title %q", cell, title)
	}
	b.shoot("quotes")

	// The speaker approves it by e-mail.
	b.run(chromedp.Click(`//tr[contains(., "Nadia Lefort")]//a[contains(@href, "/approve")]`, chromedp.BySearch),
		chromedp.WaitVisible(`input[value="email"]`, chromedp.ByQuery))
	b.shoot("quote-approve")
	b.run(chromedp.Click(`input[value="email"]`, chromedp.ByQuery),
		chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	if row := b.text(`//tr[contains(., "Nadia Lefort")]`); !strings.Contains(row, "approuvée") || !strings.Contains(row, "par courriel") {
		t.Fatalf("approved: %q", row)
	}

	b.run(chromedp.Navigate(srv.url+"/app"), chromedp.WaitVisible(`#t-drafts`, chromedp.ByQuery))
	b.shoot("dashboard")

	// A form without its token, as another site would post it.
	b.run(chromedp.Evaluate(`(() => { const f = document.createElement("form"); f.method = "post"; f.action = "/app/quotes";
		const i = document.createElement("input"); i.name = "text"; i.value = "forgée"; f.append(i); document.body.append(f); f.submit(); })()`, nil),
		chromedp.WaitVisible(`//h1[text()="Action non autorisée"]`, chromedp.BySearch))
	if got := b.statusOf("/app/quotes"); got != 403 {
		t.Fatalf("a POST without CSRF token: %d, want 403", got)
	}
	if !strings.Contains(b.text("main"), "jeton de sécurité absent ou invalide") {
		t.Fatalf("the 403 page explains, in French: %q", b.text("main"))
	}
	b.shoot("csrf-403")

	// Every other page, as an editor, then the accounts as an admin.
	for _, p := range []struct{ name, path, ready string }{
		{"poles", "/app/poles", `a[href="/app/poles/new"]`}, {"pole-logo", "/app/poles/1/logo/edit", `#f-logo`},
		{"measures", "/app/measures", `ol.measures`}, {"boilerplates", "/app/boilerplates", `article.boilerplate`},
		{"contacts", "/app/contacts?region=Occitanie", `table`}, {"contact", "/app/contacts/1", `dl.facts`},
		{"contact-form", "/app/contacts/1/edit", `#f-email`}, {"lists", "/app/lists", `table`}, {"list", "/app/lists/1", `dl.facts`},
		{"list-form", "/app/lists/1/edit", `#f-name`}, {"settings", "/app/settings", `#t-mail`}, {"password", "/app/password", `#f-current_password`},
		{"delete-confirm", "/app/boilerplates/1/delete", `button.danger`}, {"not-found", "/app/nulle-part", `main h1`},
	} {
		b.run(chromedp.Navigate(srv.url+p.path), chromedp.WaitVisible(p.ready, chromedp.ByQuery))
		if got := b.statusOf(p.path); got != 200 && !(p.name == "not-found" && got == 404) {
			t.Errorf("%s: %d", p.path, got)
		}
		b.shoot(p.name)
	}
	// A measure dragged above the one before it: the page comes back in the new order.
	var before2, after2 []string
	b.run(chromedp.Navigate(srv.url+"/app/measures"), chromedp.WaitVisible(`ol.measures li[draggable="true"]`, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const [a, b] = document.querySelector("ol.measures").children; const dt = new DataTransfer();
			const fire = (el, type) => { const r = a.getBoundingClientRect();
				el.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + 5, clientY: r.top + 2})); };
			document.body.dataset.sent = "1"; fire(b, "dragstart"); fire(a, "dragover"); fire(a, "drop"); return [a.id, b.id]; })()`, &before2),
		chromedp.WaitNotPresent(`body[data-sent]`, chromedp.ByQuery), chromedp.WaitVisible(`ol.measures`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelector("ol.measures").children].slice(0, 2).map(li => li.id)`, &after2))
	if len(before2) != 2 || len(after2) != 2 || after2[0] != before2[1] || after2[1] != before2[0] {
		t.Fatalf("drag and drop: %q then %q", before2, after2)
	}

	// A regional list: its count follows the rule as it is typed.
	var before, after string
	b.run(chromedp.Navigate(srv.url+"/app/lists/new"), chromedp.WaitVisible(`output`, chromedp.ByQuery),
		chromedp.Text(`output`, &before, chromedp.ByQuery),
		chromedp.SendKeys(`#f-name`, "Occitanie, tous types", chromedp.ByQuery),
		chromedp.Click(`input[name="regions"][value="Occitanie"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//output[contains(., "destinataires")]`, chromedp.BySearch),
		chromedp.Text(`output`, &after, chromedp.ByQuery))
	if !strings.HasSuffix(after, "destinataires") || after == before {
		t.Fatalf("live count: %q then %q", before, after)
	}
	b.shoot("list-live-count")
	b.run(chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	if n := b.text(`//tr[contains(., "Occitanie, tous types")]/td[@data-label="Destinataires"]`); n+" destinataires" != after {
		t.Fatalf("the saved list has the count shown: %q, %q", n, after)
	}

	// A French Excel file: previewed, then imported.
	csv := filepath.Join(t.TempDir(), "journalistes.csv")
	if err := os.WriteFile(csv, []byte("Pr\xe9nom;Nom;E-mail;M\xe9dia;R\xe9gion\r\nH\xe9l\xe8ne;Lef\xe8vre;helene.lefevre@example.com;La D\xe9p\xeache;Occitanie\r\n"+
		"Lo\xefc;Le Gall;loic.legall@example.com;Le T\xe9l\xe9gramme;Bretagne\r\nZo\xe9;Martin;pas-une-adresse;Midi Libre;Occitanie\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b.run(chromedp.Navigate(srv.url+"/app/contacts"), chromedp.Click(`a[href="/app/contacts/import"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-file`, chromedp.ByQuery), chromedp.SetUploadFiles(`#f-file`, []string{csv}, chromedp.ByQuery),
		chromedp.Click(`form[enctype] button[type=submit]`, chromedp.ByQuery), chromedp.WaitReady(`input[name="upload"]`, chromedp.ByQuery))
	if facts := b.text(`dl.facts`); !strings.Contains(facts, "À créer\n2") || !strings.Contains(facts, "Refusées\n1") {
		t.Fatalf("preview: %q", facts)
	}
	b.shoot("import-preview")
	b.run(chromedp.Click(`form[action="/app/contacts/import/confirm"] button`, chromedp.ByQuery), chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	if flash := b.text(`p.flash`); !strings.HasPrefix(flash, "Import terminé\u00a0: 2\u00a0contacts créés") {
		t.Fatalf("import: %q", flash)
	}

	// Searching as one types.
	var rows []*cdp.Node
	b.run(chromedp.SendKeys(`#f-q`, "legall", chromedp.ByQuery),
		chromedp.WaitNotPresent(`//div[@id="contact-results"]//tr[not(contains(., "Le Gall")) and td]`, chromedp.BySearch),
		chromedp.Nodes(`#contact-results tbody tr`, &rows, chromedp.ByQueryAll))
	if len(rows) != 1 || !strings.Contains(b.text(`#contact-results`), "Loïc Le Gall") {
		t.Fatalf("live search: %d rows, %q", len(rows), b.text(`#contact-results`))
	}
	b.shoot("contacts-search")

	// A logo: previewed by the page's script once chosen, then sent.
	logo := filepath.Join(t.TempDir(), "logo.png")
	writePNG(t, logo)
	b.run(chromedp.Navigate(srv.url+"/app/poles/2/logo/edit"), chromedp.WaitVisible(`#f-logo`, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#f-logo`, []string{logo}, chromedp.ByQuery),
		chromedp.WaitVisible(`img[alt="Aperçu du logo choisi"]`, chromedp.ByQuery))
	b.shoot("pole-logo-preview")
	b.run(chromedp.Click(`form[enctype] button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`p.flash`, chromedp.ByQuery),
		chromedp.WaitVisible(`img[alt^="Logo actuel"]`, chromedp.ByQuery))

	b.run(chromedp.Click(`form[action="/app/logout"] button`, chromedp.ByQuery))
	b.signIn(admin, `#t-drafts`)
	b.run(chromedp.Navigate(srv.url+"/app/users"), chromedp.WaitVisible(`a[href="/app/users/new"]`, chromedp.ByQuery))
	b.shoot("users")

	// A viewer: no button to change anything, and a form forged with her own token is refused.
	b.run(chromedp.Click(`form[action="/app/logout"] button`, chromedp.ByQuery))
	b.signIn(viewer, `#t-drafts`)
	b.run(chromedp.Navigate(srv.url+"/app/quotes"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	var edits []*cdp.Node
	b.run(chromedp.Nodes(`a[href$="/edit"], a[href$="/delete"], a[href="/app/quotes/new"]`, &edits, chromedp.ByQueryAll, chromedp.AtLeast(0)))
	if len(edits) != 0 {
		t.Fatalf("a viewer sees %d edit links", len(edits))
	}
	b.shoot("quotes-viewer")
	b.run(chromedp.Evaluate(`(() => { const f = document.createElement("form"); f.method = "post"; f.action = "/app/quotes/1/delete";
		const i = document.createElement("input"); i.name = "csrf"; i.value = document.querySelector("input[name=csrf]").value; f.append(i);
		document.body.append(f); f.submit(); })()`, nil),
		chromedp.WaitVisible(`//h1[text()="Action non autorisée"]`, chromedp.BySearch))
	if got := b.statusOf("/app/quotes/1/delete"); got != 403 {
		t.Fatalf("a viewer's forged POST: %d, want 403", got)
	}

	// Six wrong passwords: the sixth attempt is refused with when to try again.
	b.run(chromedp.Navigate(srv.url+"/app"), chromedp.Click(`form[action="/app/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#f-email`, chromedp.ByQuery))
	for range 6 {
		b.run(chromedp.SetValue(`#f-email`, "claire@example.org", chromedp.ByQuery),
			chromedp.SendKeys(`#f-password`, "ce n’est pas la bonne", chromedp.ByQuery),
			chromedp.Evaluate(`document.body.dataset.sent = "1"`, nil), // gone once the answer is shown
			chromedp.Click(`form button[type=submit]`, chromedp.ByQuery),
			chromedp.WaitNotPresent(`body[data-sent]`, chromedp.ByQuery), chromedp.WaitVisible(`div.alert`, chromedp.ByQuery))
	}
	if got, alert := b.statusOf("/login"), b.text(`div.alert`); got != 429 || !strings.Contains(alert, "réessayez dans 1\u00a0minute") {
		t.Fatalf("the sixth wrong password: %d %q", got, alert)
	}
	b.shoot("login-429")
}

// writePNG writes a small logo-like PNG.
func writePNG(t *testing.T, path string) {
	img := image.NewRGBA(image.Rect(0, 0, 240, 80))
	for x := range 240 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{uint8(40 + x/3), 90, 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
