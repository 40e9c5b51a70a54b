package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portevoix/templates"
)

// BenchmarkWarmRenderVsChromeDP compares, in alternated pairs, a running server's render of
// seed 001 (a shared Renderer, its font cache filled) with a running headless Chromium
// printing the same communiqué's preview page to an A4 PDF over its DevTools protocol
// (Page.printToPDF through chromedp). Both produce the PDF's bytes in memory. It reports
// each side's median and the median of the paired ratios; run it with a fixed count, say
// -bench WarmRenderVsChromeDP -benchtime 41x.
func BenchmarkWarmRenderVsChromeDP(b *testing.B) {
	chromium := mustTool(b, "chromium")
	doc, r := seedDocument(b), mustRenderer(b)
	preview := filepath.Join(b.TempDir(), "communique.html")
	if err := os.WriteFile(preview, templates.PreviewPage(doc), 0o600); err != nil {
		b.Fatal(err)
	}
	// Not b.TempDir: Chromium's last writes to its profile can race the test's cleanup.
	profile, err := os.MkdirTemp("", "chromedp-bench")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(profile)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium),
		chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(profile))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Navigate("file://"+preview)); err != nil {
		b.Fatal(err)
	}
	printPDF := func() []byte {
		var out []byte
		err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) (err error) {
			out, _, err = cdppage.PrintToPDF().WithPaperWidth(210 / 25.4).WithPaperHeight(297 / 25.4).
				WithPreferCSSPageSize(true).Do(ctx)
			return err
		}))
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	var buf bytes.Buffer
	render := func() {
		buf.Reset()
		if err := r.Render(doc, &buf); err != nil {
			b.Fatal(err)
		}
	}
	render() // warm both: fonts embedded, page laid out
	if size := a4MediaBox.Find(printPDF()); size == nil {
		b.Fatal("Chromium's PDF is not A4")
	}
	var ours, theirs, ratios []float64
	for b.Loop() {
		start := time.Now()
		render()
		mid := time.Now()
		printPDF()
		end := time.Now()
		o, t := mid.Sub(start).Seconds()*1e3, end.Sub(mid).Seconds()*1e3
		ours, theirs, ratios = append(ours, o), append(theirs, t), append(ratios, t/o)
	}
	b.ReportMetric(medianOf(ours), "render-ms")
	b.ReportMetric(medianOf(theirs), "chromium-ms")
	b.ReportMetric(medianOf(ratios), "paired-ratio")
	b.ReportMetric(quantile(ratios, 0.25), "ratio-q1")
	b.ReportMetric(quantile(ratios, 0.75), "ratio-q3")
}

// a4MediaBox matches an A4 page, 595.28 × 841.89 points, as Chromium rounds it.
var a4MediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+59[45]\.\d+\s+84[12]\.\d+\s*\]`)

func medianOf(v []float64) float64 { return quantile(v, 0.5) }

// quantile is the nearest-rank quantile q of v.
func quantile(v []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[int(q*float64(len(s)-1)+0.5)]
}
