package templates

import (
	"bytes"

	"portevoix/templates/typo"
)

// Snippet is a short piece of staff Markdown (a campaign's pitch) as a headerless
// Document, typography applied, so that RenderText and BodyHTML render it like a communiqué.
func Snippet(markdown string) *Document {
	source := []byte(typo.Markdown(markdown))
	return &Document{Source: source, Root: parseMarkdown(source)}
}

// BodyHTML renders only a document's body, without the header: for e-mails, which show
// the header facts their own way.
func BodyHTML(doc *Document) []byte {
	var buf bytes.Buffer
	if doc.Root != nil {
		_ = htmlRenderer().Render(&buf, doc.Source, doc.Root) // a bytes.Buffer cannot fail
	}
	return buf.Bytes()
}
