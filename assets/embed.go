// Package assets holds the files the server and the PDF renderer embed: the fonts (with their
// licence) under fonts/, the French hyphenation patterns (with their licence) under hyphen/,
// the style sheets under css/.
package assets

import _ "embed" // for go:embed

// The four Liberation Sans 2 styles (SIL Open Font Licence, see fonts/LICENSE.txt) used to
// typeset PDFs. They are variables rather than an embed.FS because reading a file of an
// embed.FS copies it: 1.6 MB for the four, a tenth of `portevoix pdf`'s time.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	FontBold []byte
	//go:embed fonts/LiberationSans-Italic.ttf
	FontItalic []byte
	//go:embed fonts/LiberationSans-BoldItalic.ttf
	FontBoldItalic []byte
)

// FrenchHyphenation holds hyphen/hyph_fr.dic: the French TeX hyphenation patterns in
// libhyphen's format (LGPL 2.1 or later, see hyphen/LICENSE.txt), used to hyphenate PDFs:
// package hyphen generates its French table from them (hyphen.French).
//
//go:embed hyphen/hyph_fr.dic
var FrenchHyphenation []byte

// PublicCSS styles the public pages: the newsroom, a communiqué, the unsubscribe page.
//
//go:embed css/public.css
var PublicCSS []byte

// FaviconSVG and FaviconICO are the site's icon: the SVG for browsers that take one, the
// ICO (32 and 16 pixels) for the others and for the /favicon.ico they ask for by name.
var (
	//go:embed favicon.svg
	FaviconSVG []byte
	//go:embed favicon.ico
	FaviconICO []byte
)
