package templates

import (
	"bytes"
	"encoding/base64"
	"html"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	goldmarkhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"

	"portevoix/storage"
)

// htmlRenderer is goldmark's default HTML renderer, which drops raw HTML and escapes all
// text, with links rendered by linkRenderer.
var htmlRenderer = sync.OnceValue(func() renderer.Renderer {
	h := goldmarkhtml.NewRenderer()
	links := linkRenderer{html: nodeFuncs{}}
	h.RegisterFuncs(links.html)
	return renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(h, 1000),
		util.Prioritized(links, 100), // registered last, so its functions win
	))
})

// nodeFuncs collects a node renderer's functions by node kind.
type nodeFuncs map[ast.NodeKind]renderer.NodeRendererFunc

func (f nodeFuncs) Register(kind ast.NodeKind, fn renderer.NodeRendererFunc) { f[kind] = fn }

// linkRenderer renders as goldmark does the links LinkURL lets through, and any other link
// as its plain text: goldmark would write javascript: or data: ones as <a href="">.
type linkRenderer struct {
	html nodeFuncs // goldmark's HTML renderer's functions
}

// RegisterFuncs implements renderer.NodeRenderer.
func (l linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, l.render)
	reg.Register(ast.KindAutoLink, l.render)
}

func (l linkRenderer) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if LinkURL(n, source) != "" {
		return l.html[n.Kind()](w, source, n, entering)
	}
	if auto, ok := n.(*ast.AutoLink); ok && entering {
		_, _ = w.Write(util.EscapeHTML(auto.Label(source))) // a bufio.Writer's error comes back on Flush
	}
	return ast.WalkContinue, nil // a Link's children are its text
}

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

// writeSigners shows each co-signer's logo as a data: URI, or its name when it has no logo
// a renderer may embed as is (storage.EmbeddableLogo): a base may still hold a logo stored
// before uploads were normalised, such as a 16,000 × 16,000 pixel PNG.
func writeSigners(buf *bytes.Buffer, signers []Signer) {
	if len(signers) == 0 {
		return
	}
	buf.WriteString("<ul class=\"signers\">\n")
	for _, s := range signers {
		name := html.EscapeString(s.Name)
		if logo, ok := storage.EmbeddableLogo(s.Logo); ok {
			buf.WriteString(`<li><img src="data:` + logo.Type + ";base64," +
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
