package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portevoix/storage"
)

// checkersDir is where .ci/run installs the page checkers (npm ci --prefix .ci).
const checkersDir = "../.ci/node_modules"

// checker returns the path of an installed checker file, or skips the test saying how to
// install it.
func checker(t *testing.T, rel string) string {
	t.Helper()
	path := filepath.Join(checkersDir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is missing: run `npm ci --prefix .ci` (as .ci/run does) to check the pages", path)
	}
	return path
}

// TestPublicPagesNuHtmlChecker runs the Nu Html Checker on one page of each kind.
func TestPublicPagesNuHtmlChecker(t *testing.T) {
	jar := checker(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		t.Skip("java is missing (Debian package default-jre-headless): the Nu Html Checker needs it")
	}
	s := newNewsroomSite(t)
	s.withdrawnNow(t)
	dir := t.TempDir()
	var files []string
	for i, pp := range s.publicPages() {
		r := s.get(pp.path)
		if r.status != pp.status {
			t.Fatalf("%s: %d, want %d", pp.path, r.status, pp.status)
		}
		file := filepath.Join(dir, fmt.Sprintf("%d-%s.html", i, storage.Slugify(pp.path)))
		must(t, os.WriteFile(file, r.body, 0o600))
		files = append(files, file)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--format", "gnu", "--also-check-svg"}, files...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Fatalf("Nu Html Checker (%v):\n%s", err, out)
	}
}

// axeResult is what the test reads of axe.run's results.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			HTML string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestPublicPagesAxe runs axe-core (WCAG 2 A and AA rules) in headless Chromium on one
// page of each kind and fails on serious and critical violations.
func TestPublicPagesAxe(t *testing.T) {
	axe := checker(t, "axe-core/axe.min.js")
	browser := "/usr/bin/chromium"
	if _, err := os.Stat(browser); err != nil {
		t.Skip("chromium is missing (Debian package chromium): axe-core runs in it")
	}
	script, err := os.ReadFile(axe)
	must(t, err)
	s := newNewsroomSite(t)
	s.withdrawnNow(t)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun,
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The pages forbid scripts (CSP): let the injected checker run.
	must(t, chromedp.Run(ctx, cdppage.SetBypassCSP(true)))
	for _, pp := range s.publicPages() {
		var raw json.RawMessage
		err := chromedp.Run(ctx,
			chromedp.Navigate(s.url+pp.path),
			chromedp.Evaluate(string(script), nil),
			chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}, resultTypes: ["violations"]})
				.then(r => JSON.stringify({violations: r.violations}))`, &raw, awaitPromise))
		must(t, err)
		var encoded string
		must(t, json.Unmarshal(raw, &encoded))
		var res axeResult
		must(t, json.Unmarshal([]byte(encoded), &res))
		for _, v := range res.Violations {
			msg := v.ID + " (" + v.Impact + "): " + v.Help
			for _, n := range v.Nodes {
				msg += "\n    " + n.HTML
			}
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s", pp.path, msg)
			} else {
				t.Logf("%s: %s", pp.path, msg)
			}
		}
	}
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
