// Package assets holds the files the server and the PDF renderer embed: the fonts (with their
// licence) under fonts/.
package assets

import "embed"

// Fonts holds fonts/: the four Liberation Sans 2 styles (SIL Open Font Licence, see
// fonts/LICENSE.txt) used to typeset PDFs.
//
//go:embed fonts
var Fonts embed.FS
