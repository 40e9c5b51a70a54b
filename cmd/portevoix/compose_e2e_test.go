package main

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portevoix/templates/templatestest"
)

// TestComposerInChromium composes a communiqué from the demo data with two co-signers,
// picks and reorders measures and quotes, checks the live preview's order and the PDF's
// text, records both approvals, edits (setting an embargo), reads what changed, approves
// again and publishes.
func TestComposerInChromium(t *testing.T) {
	b := newPageBrowser(t) // first: skips the test when chromium is missing
	srv := b.serveDemo(nil, claire)
	b.run(chromedp.Navigate(srv.url + "/app/communiques"))
	b.signIn(claire, `a[href="/app/communiques/new"]`)
	b.shoot("communiques")

	// A new communiqué from the "mesures" template.
	b.run(chromedp.Click(`a[href="/app/communiques/new"]`, chromedp.ByQuery), chromedp.WaitVisible(`input[value="mesures"]`, chromedp.ByQuery))
	b.shoot("communique-new")
	b.run(chromedp.Click(`input[value="mesures"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-title`, "Sept mesures pour la santé", chromedp.ByQuery),
		chromedp.Click(`form[action="/app/communiques"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#preview-frame`, chromedp.ByQuery))

	// Two co-signers, two measures and two quotes, each pair then reordered: one by a
	// button, one by the keyboard.
	var measures, quotes []string // the texts' first words, in the order picked
	b.run(chromedp.Evaluate(`document.querySelectorAll("#poles input").forEach((box, i) => { if ((i < 2) !== box.checked) box.click(); })`, nil),
		chromedp.Evaluate(pickTwo("measures"), &measures), chromedp.Evaluate(pickTwo("quotes"), &quotes))
	if len(measures) != 2 || len(quotes) != 2 {
		t.Fatalf("picked %q and %q", measures, quotes)
	}
	b.run(chromedp.SendKeys(`#measures-search`, "zzz-rien", chromedp.ByQuery))
	var shown int
	b.run(chromedp.Evaluate(`[...document.querySelectorAll("#measures label.choice")].filter(l => !l.hidden).length`, &shown))
	if shown != 0 {
		t.Errorf("a search for nothing leaves %d measures", shown)
	}
	b.run(chromedp.Click(`#measures-picked li:nth-child(2) button[data-move=up]`, chromedp.ByQuery))
	b.run(chromedp.Focus(`#quotes-picked li:nth-child(1) button[data-move=down]`, chromedp.ByQuery), chromedp.KeyEvent("\r"))
	measures[0], measures[1] = measures[1], measures[0]
	quotes[0], quotes[1] = quotes[1], quotes[0]

	// The preview follows, in that order, without a reload.
	var ok bool
	b.run(chromedp.Poll(inOrder(`document.getElementById("preview-frame").contentDocument.body.innerText`, append(measures, quotes...)), &ok),
		chromedp.Poll(saved, &ok),
		chromedp.Poll(`document.querySelectorAll("#approbations tbody tr").length === 2`, &ok)) // the two co-signers, without a reload
	b.shoot("compose")
	b.run(chromedp.Reload(), chromedp.WaitVisible(`#preview-frame`, chromedp.ByQuery),
		chromedp.Poll(inOrder(`document.getElementById("measures-picked").innerText + document.getElementById("quotes-picked").innerText`, append(measures, quotes...)), &ok))

	// The PDF, read back.
	var pdf64 string
	b.run(chromedp.Evaluate(`fetch(document.querySelector("a[download]").href).then(r => r.arrayBuffer()).then(a => {
		let s = ""; new Uint8Array(a).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, &pdf64, awaitPromise))
	checkPDFText(t, pdf64, append(measures, quotes...))

	// Both co-signers approve: one as a member, the other by e-mail on its behalf.
	approve := func(row, via, approver string) {
		b.run(chromedp.Click(`#approbations tbody tr:nth-child(`+row+`) a[href*="/approve"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`input[value="`+via+`"]`, chromedp.ByQuery), chromedp.Click(`input[value="`+via+`"]`, chromedp.ByQuery))
		if approver != "" {
			b.run(chromedp.SendKeys(`#f-approver`, approver, chromedp.ByQuery))
		}
		b.run(chromedp.Click(`form[action$="/approve"] button`, chromedp.ByQuery), chromedp.WaitVisible(`p.flash`, chromedp.ByQuery))
	}
	approve("1", "member", "")
	approve("2", "email", "Jeanne Roux")
	if got := b.text(`#approbations`); strings.Count(got, "approuvé") != 2 || !strings.Contains(got, "par courriel (Jeanne Roux)") {
		t.Fatalf("approvals: %q", got)
	}

	// An edit with an embargo: both approvals are asked again, with what changed.
	b.run(chromedp.SendKeys(`#f-lede`, "Huit pôles proposent.", chromedp.ByQuery),
		chromedp.SetValue(`#f-embargo_until`, "2030-05-12T10:00", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("f-embargo_until").dispatchEvent(new Event("input", {bubbles: true}))`, nil),
		chromedp.Poll(`document.getElementById("preview-frame").contentDocument.body.innerText.includes("Sous embargo")`, &ok),
		chromedp.Poll(saved, &ok),
		chromedp.Reload(), chromedp.WaitVisible(`#approbations`, chromedp.ByQuery))
	if got := b.text(`#approbations`); strings.Count(got, "Avait approuvé la révision") != 2 {
		t.Fatalf("after the edit: %q", got)
	}
	b.run(chromedp.Click(`#approbations tbody tr:nth-child(1) a[href*="/approve"]`, chromedp.ByQuery), chromedp.WaitVisible(`#since-title`, chromedp.ByQuery))
	if got := b.text(`//section[@aria-labelledby="since-title"]`); !strings.Contains(got, "Chapeau") || !strings.Contains(got, "Huit pôles proposent.") || !strings.Contains(got, "Embargo") {
		t.Fatalf("what changed: %q", got)
	}
	b.shoot("communique-approve-diff")
	b.run(chromedp.Navigate(srv.url+"/app/communiques"), chromedp.Click(`//a[text()="Sept mesures pour la santé"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#approbations`, chromedp.ByQuery))
	approve("1", "member", "")
	approve("2", "in_person", "Jeanne Roux")
	b.run(chromedp.Click(`a[href$="/revisions"]`, chromedp.ByQuery), chromedp.WaitVisible(`#diff-title`, chromedp.ByQuery))
	b.shoot("communique-revisions")

	// Published under embargo, with its public address.
	b.run(chromedp.Click(`//main//a[starts-with(., "Retour au communiqué")]`, chromedp.BySearch), chromedp.WaitVisible(`a[href$="/publish"]`, chromedp.ByQuery),
		chromedp.Click(`a[href$="/publish"]`, chromedp.ByQuery), chromedp.WaitVisible(`form[action$="/publish"]`, chromedp.ByQuery))
	if got := b.text("main"); !strings.Contains(got, "sous embargo jusqu’au 12\u00a0mai 2030 à 10\u00a0h\u00a000") {
		t.Fatalf("publish: %q", got)
	}
	b.shoot("communique-publish")
	b.run(chromedp.Click(`form[action$="/publish"] button`, chromedp.ByQuery), chromedp.WaitVisible(`p.public-link`, chromedp.ByQuery))
	if got := b.text(`p.public-link`); !strings.Contains(got, "/presse/sept-mesures-pour-la-sante") {
		t.Fatalf("public address: %q", got)
	}
	b.shoot("communique-published")
}

// saved is true once the composing page saved everything typed.
const saved = `document.getElementById("compose").dataset.state === "saved" && document.getElementById("save-status").textContent.startsWith("Enregistré à")`

// pickTwo checks the first two records offered by a picker and returns their texts' first
// three words.
func pickTwo(picker string) string {
	return `[...document.querySelectorAll("#` + picker + ` label.choice")].slice(0, 2).map(label => {
		const words = label.querySelector(".what").firstChild.textContent.replace(/[«»\u202f\u00a0…]/g, " ").trim().split(/\s+/).slice(0, 3).join(" ");
		label.querySelector("input").click();
		return words;
	})`
}

// inOrder is a script that is true when the text of expr holds every part, in order.
func inOrder(expr string, parts []string) string {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = "`" + p + "`"
	}
	return `(() => { const text = (` + expr + `).replace(/\s+/g, " "); let at = -1;
		for (const part of [` + strings.Join(quoted, ",") + `]) { const i = text.indexOf(part, at + 1); if (i < 0) return false; at = i; }
		return true; })()`
}

// checkPDFText reads the PDF's text with pdftotext, when installed, and checks that it
// holds the parts in order.
func checkPDFText(t *testing.T, pdf64 string, parts []string) {
	t.Helper()
	data, err := base64.StdEncoding.DecodeString(pdf64)
	if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("PDF: %v %q", err, data[:min(20, len(data))])
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		const msg = "pdftotext is not installed (apt-get install poppler-utils): the PDF's text is not read back"
		if templatestest.ToolsRequired() {
			t.Fatal(msg + " (PORTEVOIX_REQUIRE_TOOLS is set: it must be here)")
		}
		t.Log(msg)
		return
	}
	path := filepath.Join(t.TempDir(), "communique.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text, at := strings.Join(strings.Fields(string(out)), " "), -1
	for _, p := range parts {
		i := strings.Index(text[at+1:], p)
		if i < 0 {
			t.Fatalf("the PDF lacks %q after position %d:\n%s", p, at, text)
		}
		at += 1 + i
	}
}

// awaitPromise makes Evaluate wait for the promise the script returns.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
