package server_test

import (
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portevoix/server/checkers"
)

// TestPublicPagesNuHtmlChecker runs the Nu Html Checker on one page of each kind.
func TestPublicPagesNuHtmlChecker(t *testing.T) {
	s := newNewsroomSite(t)
	s.withdrawnNow(t)
	var pages []checkers.Page
	for _, pp := range s.publicPages() {
		r := s.get(pp.path)
		if r.status != pp.status {
			t.Fatalf("%s: %d, want %d", pp.path, r.status, pp.status)
		}
		pages = append(pages, checkers.Page{Name: pp.path, HTML: r.body})
	}
	checkers.ValidHTML(t, pages)
}

// TestPublicPagesAxe runs axe-core (WCAG 2.0 and 2.1, A and AA) in headless chromium on
// one page of each kind, at a laptop's and a phone's width, and fails on serious and
// critical violations and on sideways scrolling.
func TestPublicPagesAxe(t *testing.T) {
	axe := checkers.Axe(t)
	ctx := checkers.Chromium(t)
	s := newNewsroomSite(t)
	s.withdrawnNow(t)
	// The pages forbid scripts (CSP): let the injected checker run.
	must(t, chromedp.Run(ctx, cdppage.SetBypassCSP(true)))
	shots := checkers.ArtifactsDir(t)
	for _, pp := range s.publicPages() {
		must(t, chromedp.Run(ctx, chromedp.Navigate(s.url+pp.path)))
		checkers.Screens(ctx, t, axe, shots, pp.path)
	}
}
