package templates

import "embed"

// communiqueFiles holds the communiqué templates, one file per template name:
// communique/NAME.md.tmpl, plus the sections they share. Adding a template is adding a file.
//
//go:embed communique/*.tmpl
var communiqueFiles embed.FS

// previewCSS styles PreviewPage.
//
//go:embed preview.css
var previewCSS string

// PreviewCSS is the style sheet of PreviewPage, for pages that show a communiqué's HTML
// as it prints (the staff pages' live preview serves it with the PDF's fonts).
func PreviewCSS() string { return previewCSS }
