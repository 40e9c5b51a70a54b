package ui

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"portevoix/assets"
	"portevoix/storage"
	"portevoix/templates"
)

// fontFaces are the PDF's fonts, served to the preview so that it shows the communiqué in
// the letters it prints in.
var fontFaces = []struct {
	file          string
	data          []byte
	weight, style string
}{
	{"LiberationSans-Regular.ttf", assets.FontRegular, "normal", "normal"}, {"LiberationSans-Bold.ttf", assets.FontBold, "bold", "normal"},
	{"LiberationSans-Italic.ttf", assets.FontItalic, "normal", "italic"}, {"LiberationSans-BoldItalic.ttf", assets.FontBoldItalic, "bold", "italic"},
}

// prepareFonts serves the fonts and the preview's style sheet, whose @font-face rules
// name the fonts' hashed URLs.
func (u *UI) prepareFonts() {
	var css strings.Builder
	for _, f := range fontFaces {
		url := u.addStatic(f.file, f.data, "font/ttf")
		fmt.Fprintf(&css, "@font-face { font-family: \"Liberation Sans\"; src: url(%q) format(\"truetype\"); font-weight: %s; font-style: %s; font-display: block; }\n",
			url, f.weight, f.style)
	}
	css.WriteString(templates.PreviewCSS())
	u.addStatic("preview.css", []byte(css.String()), "text/css; charset=utf-8")
}

// previewFrameCSP lets only the staff pages frame the preview; it loads its style sheet and
// fonts from this site and logos as data: URIs, and runs nothing.
const previewFrameCSP = "default-src 'none'; style-src 'self'; font-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// previewTemplate is parsed on first use: at package level, every command of the binary
// (`portevoix pdf` included) parsed it at start-up.
var previewTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("preview").Parse(previewHTML))
})

const previewHTML = `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Aperçu — {{.Title}}</title>
<link rel="stylesheet" href="{{.CSS}}">
</head>
<body>
{{.Article}}</body>
</html>
`

// previewPage is the saved communiqué composed as the PDF composes it, in the PDF's fonts:
// the composing page frames it, then its script replaces the article as the staffer types.
func (u *UI) previewPage(c *gin.Context) {
	doc, _, err := u.composeSaved(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	var buf bytes.Buffer
	err = previewTemplate().Execute(&buf, struct {
		Title, CSS string
		Article    template.HTML
	}{doc.Title, u.assets["preview.css"], template.HTML(templates.RenderHTML(doc))}) // RenderHTML escapes the text
	if err != nil {
		u.fail(c, err)
		return
	}
	c.Header("Content-Security-Policy", previewFrameCSP)
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// livePreview composes the form as sent, without saving it, and answers the article alone
// (an HTML fragment) for the preview frame. A reference to a missing record is answered
// 422 with its French message.
func (u *UI) livePreview(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	form := newForm(postForm(c))
	recordCommunique(form, v)
	b, err := u.Store.DraftBundle(*v)
	if err != nil {
		c.Data(http.StatusUnprocessableEntity, "text/plain; charset=utf-8", []byte(err.Error()))
		return
	}
	doc, err := templates.Compose(templates.InputFromBundle(b, u.Now()))
	if err != nil {
		c.Data(http.StatusUnprocessableEntity, "text/plain; charset=utf-8", []byte(err.Error()))
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", templates.RenderHTML(doc))
}

// composeSaved composes a stored communiqué as the API and the PDF do: its creation time
// is its last change, so one revision always gives the same PDF.
func (u *UI) composeSaved(id uint64) (*templates.Document, *storage.Communique, error) {
	b, err := u.Store.CommuniqueBundle(id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := templates.Compose(templates.InputFromBundle(b, b.Communique.UpdatedAt))
	return doc, &b.Communique, err
}

// communiquePDF answers the saved communiqué's PDF, shown by the browser or, with
// ?download=1, saved as a file.
func (u *UI) communiquePDF(c *gin.Context) {
	doc, v, err := u.composeSaved(id(c))
	if err != nil {
		u.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := u.PDF.Render(doc, &buf); err != nil {
		u.fail(c, err)
		return
	}
	disposition := "inline"
	if c.Query("download") != "" {
		disposition = "attachment"
	}
	c.Header("Content-Disposition", disposition+`; filename="`+v.Slug+`.pdf"`)
	c.Header("Content-Length", strconv.Itoa(buf.Len()))
	c.Header("X-Frame-Options", "SAMEORIGIN")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}
