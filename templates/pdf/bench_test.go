package pdf

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/yuin/goldmark"
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

// BenchmarkChromiumPrintToPDF prints the same communiqué's HTML to PDF with headless
// Chromium, the alternative to a Go renderer, to compare in the same run.
func BenchmarkChromiumPrintToPDF(b *testing.B) {
	chromium := mustTool(b, "chromium")
	dir := b.TempDir()
	page := filepath.Join(dir, "communique.html")
	if err := os.WriteFile(page, previewHTML(b), 0o600); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out.pdf")
	for b.Loop() {
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--no-first-run", "--user-data-dir="+b.TempDir(), "--print-to-pdf="+out, page)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("chromium: %v\n%s", err, msg)
		}
	}
}

// previewHTML is a plain HTML rendering of seed001.md, standing in for the preview page.
func previewHTML(tb testing.TB) []byte {
	doc := seedDocument(tb)
	var buf bytes.Buffer
	buf.WriteString(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Communiqué</title>` +
		`<style>@page{size:A4;margin:20mm}body{font-family:"Liberation Sans",sans-serif;font-size:10.5pt}` +
		`p,li{text-align:justify}blockquote{font-style:italic}</style></head><body>`)
	if err := goldmark.Convert(doc.Source, &buf); err != nil {
		tb.Fatal(err)
	}
	buf.WriteString("</body></html>")
	return buf.Bytes()
}
