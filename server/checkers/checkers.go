// Package checkers runs, for tests, the checkers every web page of Porte-Voix must pass:
// the Nu Html Checker (npm vnu-jar, run with the machine's Java) and axe-core (npm
// axe-core, run in Debian's headless chromium through chromedp). It is for tests only:
// nothing in the product imports it.
//
// .ci/run installs both with `npm ci --prefix .ci`; the package finds them in the
// module's .ci/node_modules, or where PORTEVOIX_VNU_JAR and PORTEVOIX_AXE say. A test
// whose checker, Java or chromium is missing is skipped, saying how to install it.
//
//	checkers.ValidHTML(t, pages)           // no error nor warning in any page
//	ctx := checkers.Chromium(t)            // a fresh headless browser
//	axe := checkers.Axe(t)                 // axe-core's source
//	… navigate …
//	violations, err := checkers.RunAxe(ctx, axe)
package checkers

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portevoix/templates/templatestest"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// installed returns the path env names, or else the path of a file of .ci/node_modules,
// or an error saying how to install it.
func installed(env, rel string) (string, error) {
	path := os.Getenv(env)
	if path == "" {
		root, err := moduleRoot()
		if err != nil {
			return "", err
		}
		path = filepath.Join(root, ".ci", "node_modules", rel)
	}
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s is missing: run `npm ci --prefix .ci` (as .ci/run does), or set %s, to check the pages", path, env)
	}
	return path, nil
}

// moduleRoot is the nearest folder above the working directory (a test's package folder)
// that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Page is one page to check: a name for messages and file names, and its HTML.
type Page struct {
	Name string
	HTML []byte
}

// ValidHTML runs the Nu Html Checker over pages and fails the test on every error or
// warning it reports, naming the page, the line and the extract.
func ValidHTML(tb testing.TB, pages []Page) {
	tb.Helper()
	jar, err := installed("PORTEVOIX_VNU_JAR", "vnu-jar/build/dist/vnu.jar")
	if err != nil {
		templatestest.ToolMissing(tb, err)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		templatestest.ToolMissing(tb, "java is missing (Debian package default-jre-headless): the Nu Html Checker needs it")
	}
	dir := tb.TempDir()
	files := make([]string, len(pages))
	for i, p := range pages {
		files[i] = filepath.Join(dir, fmt.Sprintf("%03d-%s.html", i, fileName(p.Name)))
		if err := os.WriteFile(files[i], p.HTML, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	cmd := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--also-check-svg"}, files...)...)
	var out bytes.Buffer
	cmd.Stderr = &out // the checker reports on standard error
	runErr := cmd.Run()
	var report struct {
		Messages []struct {
			Type, SubType, URL, Message, Extract string
			LastLine                             int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		tb.Fatalf("Nu Html Checker: %v, %v:\n%s", runErr, err, out.String())
	}
	for _, m := range report.Messages {
		tb.Errorf("%s:%d: %s %s: %s\n\t%s", filepath.Base(m.URL), m.LastLine, m.Type, m.SubType, m.Message, m.Extract)
	}
}

// fileName keeps the letters and digits of a page's name, for its file.
func fileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, name)
}

// Chromium starts a headless chromium with a fresh profile, stopped when the test ends,
// or skips the test when chromium is not installed. Its context times out after five
// minutes, so that a hung browser cannot hang CI.
func Chromium(tb testing.TB) context.Context {
	tb.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		templatestest.ToolMissing(tb, "chromium is not installed (apt-get install chromium): the browser checks of the pages are skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.UserDataDir(profileDir(tb)))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	tb.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// profileDir is a fresh chromium profile, removed at the end as far as possible: chromium's
// helper processes may still write in it for a moment after the browser closed, which
// must not fail the test as tb.TempDir's cleanup would.
func profileDir(tb testing.TB) string {
	dir, err := os.MkdirTemp("", "portevoix-chromium-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// Axe returns axe-core's source, to give RunAxe, or skips the test when it is missing.
func Axe(tb testing.TB) string {
	tb.Helper()
	src, err := AxeSource()
	if err != nil {
		templatestest.ToolMissing(tb, err)
	}
	return src
}

// AxeSource returns axe-core's source, or an error saying how to install it: for a test
// that has more to do than checking pages.
func AxeSource() (string, error) {
	path, err := installed("PORTEVOIX_AXE", "axe-core/axe.min.js")
	if err != nil {
		return "", err
	}
	src, err := os.ReadFile(path)
	return string(src), err
}

// Violation is one rule axe-core finds broken, and where.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // the CSS selectors of the elements at fault
}

// Serious reports whether the violation is serious or critical: the ones a page must not
// have.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s [%s]", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
}

// axeRun checks the page against the WCAG 2.0 and 2.1 rules of levels A and AA.
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})
	.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))}))))`

// RunAxe injects axe-core (its source, from Axe) into the page the browser shows and
// returns every violation it finds.
func RunAxe(ctx context.Context, axe string) ([]Violation, error) {
	var encoded string
	err := chromedp.Run(ctx, chromedp.Evaluate(axe, nil), chromedp.Evaluate(axeRun, &encoded, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
	if err != nil {
		return nil, fmt.Errorf("axe-core: %w", err)
	}
	var out []Violation
	return out, json.Unmarshal([]byte(encoded), &out)
}

// ArtifactsDir is where a test saves what people look at (screenshots): under
// $PORTEVOIX_ARTIFACTS, in a folder named after the test, when set (CI keeps it), else
// a temporary folder.
func ArtifactsDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("PORTEVOIX_ARTIFACTS")
	if dir == "" {
		return tb.TempDir()
	}
	dir = filepath.Join(dir, fileName(tb.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// Widths are the screen widths every page is checked at: a laptop's and a phone's.
var Widths = []int64{1280, 375}

// Screens checks the page the browser shows at each of Widths: nothing may scroll
// sideways, and axe-core (its source; skipped when "") may find nothing serious. It saves
// a full screenshot of each width as dir/name-WIDTH.png, then leaves the browser at the
// first width.
func Screens(ctx context.Context, tb testing.TB, axe, dir, name string) {
	tb.Helper()
	for _, width := range Widths {
		var png []byte
		var fits bool
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(width, 800),
			chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth`, &fits),
			chromedp.FullScreenshot(&png, 100)); err != nil {
			tb.Fatalf("%s at %d px: %v", name, width, err)
		}
		if !fits {
			tb.Errorf("%s scrolls sideways at %d px", name, width)
		}
		if axe != "" {
			violations, err := RunAxe(ctx, axe)
			if err != nil {
				tb.Fatalf("%s at %d px: %v", name, width, err)
			}
			for _, v := range violations {
				if v.Serious() {
					tb.Errorf("%s at %d px: %s", name, width, v)
				} else {
					tb.Logf("%s at %d px: %s", name, width, v)
				}
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", fileName(name), width)), png, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(Widths[0], 800)); err != nil {
		tb.Fatal(err)
	}
}
