package templates

import (
	"bytes"
	"encoding/base64"
	"html"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer"
)

// htmlRenderer is goldmark's default HTML renderer: without the unsafe option it drops
// raw HTML and dangerous link destinations (javascript:…), and it escapes all text.
var htmlRenderer = sync.OnceValue(func() renderer.Renderer { return goldmark.DefaultRenderer() })

// RenderHTML renders a document as an HTML fragment: an <article> with a header (the
// co-signers' logos or names, the kind, the dateline, the embargo) then the body.
func RenderHTML(doc *Document) []byte {
	var buf bytes.Buffer
	writeArticle(&buf, doc)
	return buf.Bytes()
}

func writeArticle(buf *bytes.Buffer, doc *Document) {
	buf.WriteString("<article class=\"communique\">\n<header>\n")
	writeSigners(buf, doc.Signers)
	writeLine(buf, "kind", doc.Kind)
	writeLine(buf, "dateline", doc.Dateline)
	writeLine(buf, "embargo", doc.Embargo)
	buf.WriteString("</header>\n<div class=\"body\">\n")
	if doc.Root != nil {
		// Rendering into a bytes.Buffer cannot fail.
		_ = htmlRenderer().Render(buf, doc.Source, doc.Root)
	}
	buf.WriteString("</div>\n</article>\n")
}

func writeLine(buf *bytes.Buffer, class, text string) {
	if text == "" {
		return
	}
	buf.WriteString(`<p class="` + class + `">` + html.EscapeString(text) + "</p>\n")
}

// writeSigners shows each co-signer's logo as a data: URI, or its name when it has no
// logo of an accepted type.
func writeSigners(buf *bytes.Buffer, signers []Signer) {
	if len(signers) == 0 {
		return
	}
	buf.WriteString("<ul class=\"signers\">\n")
	for _, s := range signers {
		name := html.EscapeString(s.Name)
		if len(s.Logo) > 0 && (s.LogoType == "image/png" || s.LogoType == "image/jpeg") {
			buf.WriteString(`<li><img src="data:` + s.LogoType + ";base64," +
				base64.StdEncoding.EncodeToString(s.Logo) + `" alt="` + name + `" title="` + name + "\"></li>\n")
		} else {
			buf.WriteString("<li>" + name + "</li>\n")
		}
	}
	buf.WriteString("</ul>\n")
}

// PreviewPage renders a document as a standalone French HTML5 page styled like a printed
// communiqué. Its Content-Security-Policy allows nothing but the inline style and data:
// images, so even a rendering bug could not run a script.
func PreviewPage(doc *Document) []byte {
	var buf bytes.Buffer
	buf.WriteString("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n")
	buf.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	buf.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
	buf.WriteString("<title>" + html.EscapeString(doc.Title) + "</title>\n<style>\n")
	buf.WriteString(previewCSS)
	buf.WriteString("</style>\n</head>\n<body>\n")
	writeArticle(&buf, doc)
	buf.WriteString("</body>\n</html>\n")
	return buf.Bytes()
}
