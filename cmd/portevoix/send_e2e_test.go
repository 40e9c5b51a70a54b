package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	"portevoix/server/mailer/smtptest"
)

// TestSendInChromium sends the demo's published communiqué to a regional list through the
// staff pages, against a real SMTP server that answers 451 to one journalist the first
// time: the bar reaches 100 %, the report explains the refusal, and a retry delivers it.
func TestSendInChromium(t *testing.T) {
	b := newPageBrowser(t) // first: skips the test when chromium is missing
	const greylisted = "noemie.rouquette@example.org"
	var mu sync.Mutex
	refused := 0
	box := smtptest.Start(t, func(s *smtptest.Server) {
		s.Delay = 150 * time.Millisecond // slow enough for the bar to be seen moving
		s.Rcpt = func(to string) error {
			mu.Lock()
			defer mu.Unlock()
			if to == greylisted && refused == 0 {
				refused++
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}
			}
			return nil
		}
	})
	// A retry an hour away: the 451 waits until someone asks for it again.
	srv := b.serveDemo([]string{"PORTEVOIX_SMTP=smtp://" + box.Addr + "?starttls=false", "PORTEVOIX_RETRY_MIN=1h"}, claire)
	b.run(chromedp.Navigate(srv.url + "/app/campaigns"))
	b.signIn(claire, `a[href="/app/campaigns/new?communique=1"]`)
	b.shoot("campaigns")

	// Prepare: a regional list, the live total, the greeting, a pitch.
	// The page's script listens once the document is loaded (a deferred script).
	b.run(chromedp.Click(`a[href="/app/campaigns/new?communique=1"]`, chromedp.ByQuery), chromedp.WaitVisible(`#f-subject`, chromedp.ByQuery),
		chromedp.Poll(`document.readyState === "complete"`, nil))
	if total := b.text(`.live-total output`); total != "0\u00a0destinataire" {
		t.Fatalf("no list ticked: %q", total)
	}
	b.run(chromedp.Click(`//label[contains(., "Presse Occitanie")]/input`, chromedp.BySearch),
		chromedp.WaitVisible(`//output[contains(., "destinataires")]`, chromedp.BySearch))
	total := b.text(`.live-total output`)
	if !strings.HasSuffix(total, "destinataires") {
		t.Fatalf("live total: %q", total)
	}
	b.run(chromedp.Click(`input[name=greeting][value=name]`, chromedp.ByQuery),
		chromedp.SendKeys(`#f-pitch`, "Voici le communiqué commun des pôles de santé, en PDF joint.", chromedp.ByQuery))
	b.shoot("campaign-form")
	b.run(chromedp.Click(`form.card button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(`iframe.message`, chromedp.ByQuery))
	if text := b.text(`pre.message-text`); !strings.HasPrefix(text, "Bonjour ") || !strings.Contains(text, "Voici le communiqué commun") {
		t.Fatalf("text preview: %.120q", text)
	}
	b.shoot("campaign-draft")

	// A test to oneself, marked as such.
	b.run(chromedp.Click(`form[action$="/test"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//p[@class="flash" and contains(., "Message de test envoyé")]`, chromedp.BySearch))
	if got := box.Received(); len(got) != 1 || got[0].To != "claire@example.org" || !strings.Contains(string(got[0].Data), "[TEST]") {
		t.Fatalf("the test message: %d messages", len(got))
	}

	// Confirm with the number of recipients, then send.
	b.run(chromedp.Click(`input[name=when][value=now]`, chromedp.ByQuery), chromedp.Click(`form[action$="/send"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/start"]`, chromedp.ByQuery))
	if confirm := b.text(`main`); !strings.Contains(confirm, "vers "+strings.Replace(total, " ", "\u00a0", 1)) {
		t.Fatalf("the confirmation names %q: %q", total, confirm)
	}
	b.shoot("campaign-confirm")
	b.run(chromedp.Click(`form[action$="/start"] button`, chromedp.ByQuery), chromedp.WaitVisible(`progress#bar`, chromedp.ByQuery))
	b.run(chromedp.WaitVisible(`//span[@data-live="percent" and text()="100"]`, chromedp.BySearch))
	if retrying := b.text(`[data-live="retrying"]`); retrying != "1" {
		t.Fatalf("the greylisted journalist waits for a retry: %q", retrying)
	}
	b.shoot("campaign-progress")

	// The report: the 451 explained, then retried now.
	b.run(chromedp.Click(`a[href$="/report"]`, chromedp.ByQuery), chromedp.WaitVisible(`figure.chart svg`, chromedp.ByQuery))
	row := b.text(`//tr[contains(., "` + greylisted + `")]`)
	if !strings.Contains(row, "nouvel essai prévu") || !strings.Contains(row, "Refus temporaire") || !strings.Contains(row, "451") {
		t.Fatalf("the greylisted row: %q", row)
	}
	if chart := b.text(`figure.chart`); !strings.Contains(chart, "Résultat par région") {
		t.Fatalf("chart: %q", chart)
	}
	b.shoot("campaign-report")
	b.run(chromedp.Click(`form[action$="/retry"] button`, chromedp.ByQuery), chromedp.WaitVisible(`p.flash`, chromedp.ByQuery),
		chromedp.WaitVisible(`//span[contains(@class, "badge") and text()="terminée"]`, chromedp.BySearch))
	if n := box.Rcpts(greylisted); n != 2 {
		t.Fatalf("the greylisted journalist was asked %d times, want 2", n)
	}
	b.shoot("campaign-done")
	b.run(chromedp.Navigate(srv.url+"/app/campaigns/1/report?status=sent"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	if row := b.text(`//tr[contains(., "` + greylisted + `")]`); !strings.Contains(row, "envoyé") {
		t.Fatalf("after the retry: %q", row)
	}
	b.run(chromedp.Navigate(srv.url+"/app"), chromedp.WaitVisible(`#t-sent`, chromedp.ByQuery))
	if reach := b.text(`.reach`); !strings.Contains(reach, "atteint 100") {
		t.Fatalf("dashboard reach: %q", reach)
	}
	b.shoot("dashboard-reach")
}
