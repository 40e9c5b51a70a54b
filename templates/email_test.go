package templates_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portevoix/storage/logotest"
	"portevoix/templates"
)

var emailImage = regexp.MustCompile(`<img src="cid:([^"]+)" width="(\d+)" height="(\d+)" alt="([^"]*)"`)

// TestEmailLogos: the logos a message can carry are cid: references to parts of their own,
// in one row at one height, described « Logo de … »; the others are named in text.
func TestEmailLogos(t *testing.T) {
	doc := &templates.Document{Signers: []templates.Signer{
		{Name: "Atlanpole", Logo: logotest.PNG(t, logotest.Image(96, 32, true))},
		{Name: "Pôle Bombe", Logo: logotest.Bomb(t, 16000)},
		{Name: "BioValley", Logo: logotest.JPEG(t, logotest.Image(64, 64, false))},
		{Name: "Pôle Palette", Logo: logotest.Palette(t)},
	}}
	got := templates.RenderEmailHTML(doc, "porte-voix.example.org")
	imgs := emailImage.FindAllStringSubmatch(got.HTML, -1)
	if len(imgs) != 2 || len(got.Logos) != 2 {
		t.Fatalf("%d images and %d parts, want 2:\n%s", len(imgs), len(got.Logos), got.HTML)
	}
	want := [][4]string{{"logo1@porte-voix.example.org", "144", "48", "Logo d’Atlanpole"}, {"logo2@porte-voix.example.org", "48", "48", "Logo de BioValley"}}
	for i, w := range want {
		if [4]string(imgs[i][1:]) != w {
			t.Errorf("image %d = %q, want %q", i, imgs[i][1:], w)
		}
		if l := got.Logos[i]; l.ContentID != w[0] || len(l.Data) == 0 {
			t.Errorf("part %d = %s (%d bytes), want %s", i, l.ContentID, len(l.Data), w[0])
		}
	}
	if got.Logos[0].Type != "image/png" || got.Logos[0].FileName != "logo-1.png" || got.Logos[1].Type != "image/jpeg" || got.Logos[1].FileName != "logo-2.jpg" {
		t.Errorf("parts %+v", got.Logos)
	}
	if !strings.Contains(got.HTML, ">Pôle Bombe · Pôle Palette</p>") {
		t.Errorf("co-signers without a usable logo not named:\n%s", got.HTML)
	}
	if strings.Contains(got.HTML, "data:") || strings.Contains(got.HTML, "class=") {
		t.Error("the e-mail HTML holds a data: URL or a class")
	}
}

// TestEmailLogosFitTheColumn: logos too wide for the column together all get smaller, to
// the same height, rather than wrap or overflow.
func TestEmailLogosFitTheColumn(t *testing.T) {
	var signers []templates.Signer
	for range 6 {
		signers = append(signers, templates.Signer{Name: "Pôle", Logo: logotest.PNG(t, logotest.Image(300, 100, false))})
	}
	got := templates.RenderEmailHTML(&templates.Document{Signers: signers}, "example.org")
	imgs := emailImage.FindAllStringSubmatch(got.HTML, -1)
	room := templates.EmailWidth - 2*templates.EmailPadding
	total := 0
	for _, img := range imgs {
		w, _ := strconv.Atoi(img[2])
		total += w + 16
		if img[3] != imgs[0][3] {
			t.Errorf("heights %s and %s differ", img[3], imgs[0][3])
		}
	}
	if h, _ := strconv.Atoi(imgs[0][3]); h >= templates.EmailLogoHeight || total-16 > room {
		t.Errorf("six logos %d px high take %d px, want smaller than %d px high within %d px", h, total-16, templates.EmailLogoHeight, room)
	}
}

// TestEmailBodyInlineStyles: every element of the body whose client defaults would not do
// carries its style, as mail clients drop <style> blocks.
func TestEmailBodyInlineStyles(t *testing.T) {
	doc := templates.Snippet("## Titre\n\nUn [lien](https://example.org).\n\n> Citation\n\n1. un\n2. deux\n\n- trois\n\n---\n")
	html := templates.EmailBody(doc)
	for _, tag := range []string{"<h2>", "<a href", "<blockquote>", "<ol>", "<li>", "<ul>", "<hr>"} {
		if strings.Contains(html, tag) {
			t.Errorf("unstyled %s in:\n%s", tag, html)
		}
	}
	if !strings.Contains(html, `<a style="color:#1d4f91;" href="https://example.org">lien</a>`) {
		t.Errorf("link not styled:\n%s", html)
	}
}

func TestLogoAlt(t *testing.T) {
	for name, want := range map[string]string{
		"Eurobiomed": "Logo d’Eurobiomed", "Île-de-France Santé": "Logo d’Île-de-France Santé",
		"BioValley France": "Logo de BioValley France", "Atlanpole Biotherapies": "Logo d’Atlanpole Biotherapies",
		"Lyonbiopôle": "Logo de Lyonbiopôle", "Medicen Paris Region": "Logo de Medicen Paris Region",
	} {
		if got := templates.LogoAlt(name); got != want {
			t.Errorf("LogoAlt(%q) = %q, want %q", name, got, want)
		}
	}
}
