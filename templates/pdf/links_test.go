package pdf

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"portevoix/templates"
)

// linkSource mixes the links every rendering must follow with those none may: script,
// data and file schemes (disguised by case or a character reference), and a relative link.
const linkSource = "Sûrs : [le site](https://example.org/a), [écrire](mailto:presse@example.org), " +
	"<http://example.com/b> et <contact@example.org>.\n\n" +
	"Piégés : [un](javascript:alert(1)), [deux](JaVaScRiPt:alert(2)), [trois](vbscript:msgbox), " +
	"[quatre](data:text/html;base64,PHNjcmlwdD4=), [cinq](&#106;avascript:alert(5)), " +
	"[six](file:///etc/passwd), [sept](/relatif) et <javascript:alert(8)>.\n"

var safeURLs = []string{"https://example.org/a", "mailto:presse@example.org", "http://example.com/b", "mailto:contact@example.org"}

// unsafeTargets are the destinations of the links that must stay plain text.
var unsafeTargets = []string{"javascript:alert(1)", "alert(2)", "vbscript", "data:", "alert(5)", "file:", "/relatif"}

// TestLinksOneRule renders one document as HTML, plain text and PDF: only http, https and
// mailto links are links in each, the others are their text, with no URL printed.
func TestLinksOneRule(t *testing.T) {
	doc := templates.Snippet(linkSource)
	texts := []string{"le site", "écrire", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "javascript:alert(8)"}

	t.Run("HTML", func(t *testing.T) {
		html := string(templates.BodyHTML(doc))
		hrefs := regexp.MustCompile(`<a href="([^"]*)"`).FindAllStringSubmatch(html, -1)
		if len(hrefs) != len(safeURLs) {
			t.Fatalf("%d links, want %d:\n%s", len(hrefs), len(safeURLs), html)
		}
		for i, h := range hrefs {
			if h[1] != safeURLs[i] {
				t.Errorf("link %d = %q, want %q", i, h[1], safeURLs[i])
			}
		}
		checkPlain(t, html, texts)
	})
	t.Run("Text", func(t *testing.T) {
		text := templates.RenderText(doc)
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{"le site <https://example.org/a>", "écrire <mailto:presse@example.org>",
			"un, deux, trois, quatre, cinq, six, sept et javascript:alert(8)."} {
			if !strings.Contains(flat, want) {
				t.Errorf("no %q in:\n%s", want, text)
			}
		}
		checkPlain(t, text, texts)
	})
	t.Run("PDF", func(t *testing.T) {
		pdf := mustRender(t, doc)
		uris := regexp.MustCompile(`/URI \(([^)]*)\)`).FindAllSubmatch(pdf, -1)
		if len(uris) != len(safeURLs) {
			t.Fatalf("%d link annotations, want %d", len(uris), len(safeURLs))
		}
		for i, u := range uris {
			if string(u[1]) != safeURLs[i] {
				t.Errorf("link annotation %d = %q, want %q", i, u[1], safeURLs[i])
			}
		}
		path := mustWritePDF(t, pdf)
		mustRun(t, "qpdf", "--check", path)
		checkPlain(t, mustRun(t, "pdftotext", "-enc", "UTF-8", path, "-"), texts)
		if bytes.Contains(pdf, []byte("javascript:alert(1)")) {
			t.Error("a javascript: destination is in the PDF")
		}
	})
}

// checkPlain wants every link text in out and none of the unsafe destinations.
func checkPlain(t *testing.T, out string, texts []string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range texts {
		if !strings.Contains(flat, want) {
			t.Errorf("no text %q in:\n%s", want, out)
		}
	}
	for _, bad := range unsafeTargets {
		if strings.Contains(flat, bad) {
			t.Errorf("unsafe destination %q printed in:\n%s", bad, out)
		}
	}
}

// TestBareURLsAreLinks: http and https URLs written as plain text become links, without
// the sentence's punctuation, even where the parser cuts the text (at "_" or "&"); other
// schemes and bare domains stay text.
func TestBareURLsAreLinks(t *testing.T) {
	doc := templates.Snippet("Le dossier : https://example.org/presse/dossier_2020?a=1&b=2. " +
		"Voir aussi http://example.com, ftp://example.org et www.example.net.\n\n- Liste : https://example.org/l.\n")
	uris := regexp.MustCompile(`/URI \(([^)]*)\)`).FindAllSubmatch(mustRender(t, doc), -1)
	want := []string{"https://example.org/presse/dossier_2020?a=1&b=2", "http://example.com", "https://example.org/l"}
	if len(uris) != len(want) {
		t.Fatalf("%d link annotations, want %d", len(uris), len(want))
	}
	for i, u := range uris {
		if string(u[1]) != want[i] {
			t.Errorf("link %d = %q, want %q", i, u[1], want[i])
		}
	}
}
