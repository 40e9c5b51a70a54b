// Package templates composes a communiqué from its records into one Markdown document
// (French typography applied once), parses it into one goldmark AST, and renders that AST
// as HTML (preview, newsroom, email) and plain text (email). The PDF renderer lives in
// templates/pdf and walks the same AST.
package templates

import (
	"time"

	"github.com/yuin/goldmark/ast"
)

// Document is a composed communiqué: header facts that each renderer lays out as it likes,
// and the body as Markdown with its parsed AST. Every string is already typographed.
type Document struct {
	Kind     string   // "COMMUNIQUÉ DE PRESSE" or "TRIBUNE"
	Title    string   // plain text, for metadata and the HTML <title>
	Subject  string   // one line for PDF metadata
	Author   string   // co-signers' names joined, for PDF metadata
	Signers  []Signer // co-signing pôles, in order, shown on page 1
	Dateline string   // "Paris, le 12 mai 2020"
	Embargo  string   // "Sous embargo jusqu’au 12 mai 2020, 10 h 00", or ""
	Created  time.Time

	Source []byte   // the composed Markdown
	Root   ast.Node // goldmark AST of Source
}

// Signer is a co-signing pôle as shown in a document's header.
type Signer struct {
	Name string
	// Logo is a PNG or JPEG, or nil: then the name is shown. Renderers read its type from
	// its header (storage.EmbeddableLogo).
	Logo []byte
}
