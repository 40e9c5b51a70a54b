package pdf

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// BenchmarkPDFSeed001 renders the seed-001 communiqué with a shared Renderer, as the server
// does for each download.
func BenchmarkPDFSeed001(b *testing.B) {
	r := mustRenderer(b)
	doc := seedDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFSeed001SixLogos renders seed 001 with a logo, stored as uploads are, for each
// of its six pôles: three opaque (RGB, copied as is) and three with transparency (RGBA,
// whose alpha channel gopdf splits off).
func BenchmarkPDFSeed001SixLogos(b *testing.B) {
	r := mustRenderer(b)
	doc := seedDocument(b)
	sixLogos(b, doc)
	b.ReportAllocs()
	for b.Loop() {
		if err := r.Render(doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFSeed001Uncached renders seed 001 with an empty font cache, as for a
// communiqué whose glyph sets were never embedded before: the worst case.
func BenchmarkPDFSeed001Uncached(b *testing.B) {
	r, err := New()
	if err != nil {
		b.Fatal(err)
	}
	doc := seedDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		r.fonts.fonts = nil
		if err := r.Render(doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFSeed001Layout is the share of BenchmarkPDFSeed001 spent in this package's
// layout, before gopdf draws and writes.
func BenchmarkPDFSeed001Layout(b *testing.B) {
	r := mustRenderer(b)
	doc := seedDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		r.layout(doc, nil)
	}
}

// BenchmarkChromiumPrintToPDF prints the same communiqué's preview page to PDF with
// headless Chromium, the alternative to a Go renderer, to compare in the same run.
func BenchmarkChromiumPrintToPDF(b *testing.B) {
	chromium := mustTool(b, "chromium")
	dir := b.TempDir()
	page := filepath.Join(dir, "communique.html")
	if err := os.WriteFile(page, templates.PreviewPage(seedDocument(b)), 0o600); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out.pdf")
	for b.Loop() {
		ctx, cancel := context.WithTimeout(b.Context(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--no-first-run", "--user-data-dir="+b.TempDir(), "--print-to-pdf="+out, page)
		msg, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			b.Fatalf("chromium: %v\n%s", err, msg)
		}
	}
}

// BenchmarkComposeRenderSeed001 is what a running server does for a PDF request of a
// communiqué it has not rendered yet: compose seed 001 from its records, then render it
// with a shared Renderer (fonts parsed, font subsets cached).
func BenchmarkComposeRenderSeed001(b *testing.B) {
	r := mustRenderer(b)
	in := templatestest.Seed001(created)
	b.ReportAllocs()
	for b.Loop() {
		doc, err := templates.Compose(in)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Render(doc, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
