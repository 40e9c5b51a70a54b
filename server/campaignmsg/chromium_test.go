package campaignmsg_test

import (
	"encoding/base64"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portevoix/server/checkers"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portevoix/templates"
)

// box is an element's place on the rendered page, in CSS pixels.
type box struct {
	Alt                      string
	Top, Left, Right, Height float64
	Loaded                   bool
}

// rendering is what the page measures once its <style> elements are gone.
type rendering struct {
	Styles     int     // <style> elements removed
	PageWidth  float64 // the window's width less its scroll bar
	Column     box     // the 600 px layout table
	Logos      []box
	Background string // the column's computed background colour
	Colour     string // the column's computed text colour
}

// measure removes every <style> element, as Gmail does, waits for the images and
// measures the column and the logos.
const measure = `(async () => {
	const styles = document.querySelectorAll("style");
	styles.forEach(s => s.remove());
	const imgs = Array.from(document.images);
	await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = r; i.onerror = r; })));
	const place = e => { const r = e.getBoundingClientRect();
		return {Alt: e.alt || "", Top: r.top, Left: r.left, Right: r.right, Height: r.height, Loaded: !e.alt || e.naturalWidth > 0}; };
	const column = document.querySelector('table[width="600"]');
	const cs = getComputedStyle(column);
	return {Styles: styles.length, PageWidth: document.documentElement.clientWidth, Column: place(column), Logos: imgs.map(place), Background: cs.backgroundColor, Colour: cs.color};
})()`

// TestMessageInChromium renders the HTML part of a campaign message with six co-signers'
// logos in headless Chromium, without any <style> element and with each cid: URL served
// from its part: the column is at most 600 px wide, and the logos stand in one row, all
// at the same height, inside it. The screenshot is kept in the test's artifact directory
// (go test -artifacts).
func TestMessageInChromium(t *testing.T) {
	ctx := checkers.Chromium(t)
	f := newFixture(t)
	draft := f.draftWithLogos(t)
	m := parse(t, f.message(t, draft.ID))
	page := withDataImages(m)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	defer srv.Close()

	var got rendering
	var shot []byte
	err := chromedp.Run(ctx,
		emulation.SetDeviceMetricsOverride(1000, 800, 1, false),
		chromedp.Navigate(srv.URL),
		chromedp.Evaluate(measure, &got, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.FullScreenshot(&shot, 100),
	)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.ArtifactDir(), "message.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s; column %+v; logos %+v", path, got.Column, got.Logos)
	checkColumn(t, got)
	checkLogoRow(t, got, len(draft.PoleIDs))
}

// withDataImages is the HTML part with each cid: URL replaced by its part as a data: URL,
// the way a mail client resolves it.
func withDataImages(m parsed) string {
	page := string(m.leaves["text/html"].body)
	for key, p := range m.leaves {
		if cid, ok := strings.CutPrefix(key, "cid:"); ok {
			page = strings.ReplaceAll(page, `src="cid:`+cid+`"`,
				`src="data:`+p.header.Get("Content-Type")+";base64,"+base64.StdEncoding.EncodeToString(p.body)+`"`)
		}
	}
	return page
}

// checkColumn: one centred column of at most 600 px, dark text on white.
func checkColumn(t *testing.T, got rendering) {
	t.Helper()
	width := got.Column.Right - got.Column.Left
	if width > templates.EmailWidth || width < templates.EmailWidth-1 {
		t.Errorf("column %.1f px wide in a 1000 px window, want %d", width, templates.EmailWidth)
	}
	if margin := got.Column.Left - (got.PageWidth - got.Column.Right); math.Abs(margin) > 1 {
		t.Errorf("column not centred: %.1f px more on the left", margin)
	}
	if got.Background != "rgb(255, 255, 255)" || got.Colour != "rgb(26, 26, 26)" {
		t.Errorf("column background %s, text %s; want both set, dark on white", got.Background, got.Colour)
	}
}

// checkLogoRow: n logos, loaded, described, on one row at one height, inside the column.
func checkLogoRow(t *testing.T, got rendering, n int) {
	t.Helper()
	if len(got.Logos) != n {
		t.Fatalf("%d images, want %d logos", len(got.Logos), n)
	}
	first := got.Logos[0]
	if first.Height < 24 || first.Height > templates.EmailLogoHeight {
		t.Errorf("logos %.1f px high, want at most %d and readable", first.Height, templates.EmailLogoHeight)
	}
	for _, l := range got.Logos {
		if !l.Loaded || !strings.HasPrefix(l.Alt, "Logo d") {
			t.Errorf("logo %q: loaded %v, want loaded and described « Logo de … »", l.Alt, l.Loaded)
		}
		if l.Top != first.Top || l.Height != first.Height {
			t.Errorf("logo %q at top %.1f, %.1f px high; the first at %.1f, %.1f px high: not one row at one height",
				l.Alt, l.Top, l.Height, first.Top, first.Height)
		}
		if l.Left < got.Column.Left || l.Right > got.Column.Right {
			t.Errorf("logo %q spans %.1f–%.1f, outside the column %.1f–%.1f", l.Alt, l.Left, l.Right, got.Column.Left, got.Column.Right)
		}
	}
}
