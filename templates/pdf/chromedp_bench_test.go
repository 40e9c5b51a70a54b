package pdf

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// BenchmarkWarmRenderVsChromeDP compares, round by round, what a running server does for a PDF
// request of a communiqué it has not rendered yet with what a running headless Chromium does
// over its DevTools protocol (through chromedp), each producing the PDF's bytes in memory:
//
//   - render: composing seed 001 from its records (templates.Compose: template, typography,
//     Markdown) and rendering it with a shared Renderer, fonts parsed and font subsets cached
//     as a running server has them;
//   - chromium-load-print: the like-for-like side, Chromium loading the communiqué's preview
//     page (the HTML the server serves, which asks for A4 with @page) from a file and
//     printing it with Page.printToPDF on A4; the HTML is written once, before the rounds,
//     so composing it is not counted on Chromium's side;
//   - chromium-print: Page.printToPDF alone on the page already loaded and laid out, which
//     re-prints a document where the render composes one; shown as a bound, not like for like.
//
// The three run one after the other in each round, their order rotating from round to round.
// It reports each side's median and, for each Chromium variant, the median and quartiles of
// the per-round ratios to the render; and each side's mean CPU time per PDF (the test
// process's for the render, Chromium's processes' for the others, which /proc counts in
// 10 ms ticks) and the ratio of the load-and-print side's to the render's. On a loaded
// machine the wall times favour Chromium, whose processes run on both cores. Run it
// with a fixed count, say -benchtime 61x.
func BenchmarkWarmRenderVsChromeDP(b *testing.B) {
	chromium := mustTool(b, "chromium")
	in := templatestest.Seed001(created)
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
	loadPrint := func() []byte {
		if err := chromedp.Run(ctx, chromedp.Navigate("file://"+preview)); err != nil {
			b.Fatal(err)
		}
		return printPDF()
	}
	var buf bytes.Buffer
	render := func() {
		buf.Reset()
		composed, err := templates.Compose(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Render(composed, &buf); err != nil {
			b.Fatal(err)
		}
	}
	render() // warm all three: fonts embedded, page loaded and laid out
	if size := a4MediaBox.Find(loadPrint()); size == nil {
		b.Fatal("Chromium's PDF is not A4")
	}
	chromiumPid := chromedp.FromContext(ctx).Browser.Process().Pid
	sides := [...]func(){render, func() { loadPrint() }, func() { printPDF() }}
	// CPU time: ours is the test process's, Chromium's that of its processes.
	chromiumCPU := func() time.Duration { return treeCPU(b, chromiumPid) }
	cpuOf := [...]func() time.Duration{processCPU, chromiumCPU, chromiumCPU}
	var times [len(sides)][]float64
	var cpu [len(sides)]time.Duration
	var loadRatios, printRatios []float64
	round := 0
	for b.Loop() {
		var ms [len(sides)]float64
		for k := range sides {
			s := (round + k) % len(sides)
			cpuStart := cpuOf[s]()
			start := time.Now()
			sides[s]()
			ms[s] = time.Since(start).Seconds() * 1e3
			cpu[s] += cpuOf[s]() - cpuStart
			times[s] = append(times[s], ms[s])
		}
		loadRatios, printRatios = append(loadRatios, ms[1]/ms[0]), append(printRatios, ms[2]/ms[0])
		round++
	}
	b.ReportMetric(cpu[0].Seconds()*1e3/float64(round), "render-cpu-ms")
	b.ReportMetric(cpu[1].Seconds()*1e3/float64(round), "chromium-load-print-cpu-ms")
	b.ReportMetric(cpu[2].Seconds()*1e3/float64(round), "chromium-print-cpu-ms")
	b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "load-print-cpu-ratio")
	b.ReportMetric(medianOf(times[0]), "render-ms")
	b.ReportMetric(medianOf(times[1]), "chromium-load-print-ms")
	b.ReportMetric(medianOf(times[2]), "chromium-print-ms")
	b.ReportMetric(medianOf(loadRatios), "load-print-ratio")
	b.ReportMetric(quantile(loadRatios, 0.25), "load-print-ratio-q1")
	b.ReportMetric(quantile(loadRatios, 0.75), "load-print-ratio-q3")
	b.ReportMetric(medianOf(printRatios), "print-ratio")
	b.ReportMetric(quantile(printRatios, 0.25), "print-ratio-q1")
	b.ReportMetric(quantile(printRatios, 0.75), "print-ratio-q3")
}

// processCPU is the CPU time, user and system, of the test process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru) // cannot fail with RUSAGE_SELF
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// treeCPU is the CPU time, user and system, of process pid and its descendants so far,
// from /proc: in clock ticks of 10 ms, so only its sum over many rounds is meaningful.
func treeCPU(tb testing.TB, pid int) time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		tb.Fatal(err)
	}
	parent, ticks := map[int]int{}, map[int]int{}
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone since
		}
		// After "pid (comm) ": state, ppid, then utime and stime as the 12th and 13th.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 13 {
			continue
		}
		parent[n], _ = strconv.Atoi(fields[1])
		utime, _ := strconv.Atoi(fields[11])
		stime, _ := strconv.Atoi(fields[12])
		ticks[n] = utime + stime
	}
	total := 0
	for n, t := range ticks {
		for p := n; p > 1; p = parent[p] {
			if p == pid {
				total += t
				break
			}
		}
	}
	return time.Duration(total) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// a4MediaBox matches an A4 page, 595.28 × 841.89 points, as Chromium rounds it.
var a4MediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+59[45]\.\d+\s+84[12]\.\d+\s*\]`)

func medianOf(v []float64) float64 { return quantile(v, 0.5) }

// quantile is the nearest-rank quantile q of v.
func quantile(v []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(v))
	return s[int(q*float64(len(s)-1)+0.5)]
}
