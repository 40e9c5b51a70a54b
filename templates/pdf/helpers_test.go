package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"

	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// created is the fixed clock of every test document.
var created = time.Date(2020, 5, 11, 9, 30, 0, 0, time.FixedZone("CEST", 2*60*60))

var (
	sharedOnce     sync.Once
	sharedRenderer *Renderer
	sharedErr      error
)

// mustRenderer returns one Renderer shared by the tests, as the server shares it.
func mustRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	sharedOnce.Do(func() { sharedRenderer, sharedErr = New() })
	if sharedErr != nil {
		tb.Fatalf("New: %v", sharedErr)
	}
	return sharedRenderer
}

// mustDocument parses Markdown written to the composition contract into a Document with
// a header like seed 001's.
func mustDocument(tb testing.TB, markdown []byte) *templates.Document {
	tb.Helper()
	root := goldmark.New().Parser().Parse(text.NewReader(markdown))
	return &templates.Document{
		Kind:     "COMMUNIQUÉ DE PRESSE",
		Title:    "Proposition de mesures par les Pôles Santé en Réseau",
		Subject:  "Souveraineté sanitaire : les mesures proposées par les six pôles santé",
		Author:   "Atlanpole Biotherapies, BioValley France, Clubster NSL, Eurobiomed, Lyonbiopôle, Medicen Paris Region",
		Signers:  testSigners(tb),
		Dateline: "Paris, le 12 mai 2020",
		Embargo:  "Sous embargo jusqu’au 12 mai 2020, 10\u00a0h\u00a000",
		Created:  created,
		Source:   markdown,
		Root:     root,
	}
}

// seedDocument is the seed-001 communiqué as templates.Compose lays it out.
func seedDocument(tb testing.TB) *templates.Document {
	tb.Helper()
	doc, err := templates.Compose(templatestest.Seed001(created))
	if err != nil {
		tb.Fatalf("Compose: %v", err)
	}
	return doc
}

// testSigners gives three pôles a generated logo and leaves three to be shown by name.
func testSigners(tb testing.TB) []templates.Signer {
	names := []string{"Atlanpole Biotherapies", "BioValley France", "Clubster NSL",
		"Eurobiomed", "Lyonbiopôle", "Medicen Paris Region"}
	signers := make([]templates.Signer, len(names))
	for i, n := range names {
		signers[i] = templates.Signer{Name: n}
		if i < 3 {
			signers[i].Logo = mustLogo(tb, i)
		}
	}
	return signers
}

func mustLogo(tb testing.TB, seed int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120+20*seed, 48))
	for y := range 48 {
		for x := range img.Bounds().Dx() {
			img.Set(x, y, color.RGBA{uint8(40 * seed), uint8(x), uint8(4 * y), 255})
		}
	}
	// Stored, not deflated: the bytes (and so the golden PDF) do not depend on zlib's heuristics.
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func mustRender(tb testing.TB, doc *templates.Document) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := mustRenderer(tb).Render(doc, &buf); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

// mustTool skips the test when an external tool is not installed (fails it in CI).
func mustTool(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		templatestest.ToolMissing(tb, fmt.Sprintf("%s not installed (Debian: qpdf, poppler-utils, chromium): %v", name, err))
	}
	return path
}

// mustWritePDF writes pdf to a temporary file for the command-line tools.
func mustWritePDF(tb testing.TB, pdf []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func mustRun(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	out, err := exec.Command(mustTool(tb, name), args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}
