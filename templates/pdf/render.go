// Package pdf typesets a composed communiqué (templates.Document) as an A4 PDF with
// gopdf: embedded subset Liberation Sans in four styles, the co-signers' logos on page 1,
// justified and hyphenated paragraphs (French patterns, see package hyphen) without
// widows or orphans, clickable links, page numbers, metadata
// and an outline, tagged for screen readers (PDF/UA-1, see tagging). gopdf writes the
// document; this package adds its text, fonts and structure (see Renderer.Render). The
// same document and creation time always give the same bytes.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/signintech/gopdf"

	"portevoix/templates"
	"portevoix/templates/hyphen"
)

// Renderer typesets documents as PDF. It holds the parsed fonts, their width tables and
// the recently embedded font subsets; create it once with New and share it: Render is safe
// for concurrent use.
type Renderer struct {
	// Log receives a warning for each logo drawn as the pôle's name instead; nil means
	// slog.Default().
	Log *slog.Logger

	faces   [styleCount]*face
	hyphens *hyphen.Patterns
	// hyphenated caches the words' breaks.
	hyphenated hyphenCache
	fonts      fontCache
	logos      logoCache
	bufs       freeList[renderBuffers]
	// typesetters keeps the line breaker's scratch space from render to render.
	typesetters freeList[typesetter]
}

// New parses the embedded fonts; the hyphenation patterns come parsed (hyphen.French). It
// fails only if the fonts are missing or corrupt.
func New() (*Renderer, error) {
	faces, err := loadFaces()
	if err != nil {
		return nil, err
	}
	return &Renderer{faces: faces, hyphens: hyphen.French(), logos: newLogoCache()}, nil
}

func (r *Renderer) log() *slog.Logger {
	if r.Log == nil {
		return slog.Default()
	}
	return r.Log
}

// Render writes doc as a PDF to w.
//
// gopdf writes the document but for its text and rules: pages, logos, links, outline and
// metadata. Its font embedding allocates a fresh compressor (about 0.8 MB) for each face
// and its text writer formats every glyph with fmt, which together took three quarters of a
// render; so Render writes the text operators and the font objects itself, with font
// subsets cached by glyph set, and splices them into gopdf's output (see assemble); the
// rules and quote bars go with the text (see drawing.rules).
func (r *Renderer) Render(doc *templates.Document, w io.Writer) error {
	if doc == nil {
		return errors.New("render pdf: nil document")
	}
	bufs := r.bufs.get()
	if bufs == nil {
		bufs = newRenderBuffers()
	}
	defer r.bufs.put(bufs)
	lay := r.layout(doc, &bufs.space)
	if err := r.draw(doc, lay, bufs); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	_, err := w.Write(bufs.out.Bytes())
	return err
}

// drawing is the state of one render: the gopdf document, the text operators of the pages
// drawn so far, and the text state current on the page.
type drawing struct {
	gp      *gopdf.GoPdf
	tags    *tagging
	faces   *[styleCount]*face
	glyphs  [styleCount]glyphSet
	text    []byte
	ends    []int // where each page's text ends in text
	st      style
	size    float64
	tc      float64
	col     rgb
	lineAt  [2]int64 // the text line's origin, in hundredths of a point (see moveTo)
	outline outline
}

func (r *Renderer) draw(doc *templates.Document, lay *layout, b *renderBuffers) error {
	d := &drawing{gp: &gopdf.GoPdf{}, tags: newTagging(lay), faces: &r.faces, text: b.text[:0], ends: b.pageEnds[:0]}
	d.tags.xmp = xmpMetadata(doc)
	d.gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}, Unit: gopdf.UnitPT})
	d.gp.SetNoCompression() // assemble compresses, with a pooled compressor
	// gopdf formats each character of the info strings and outline titles with fmt, an
	// eighth of a render: it writes only the date and empty titles, and assemble the rest.
	d.gp.SetInfo(gopdf.PdfInfo{CreationDate: doc.Created})
	for i, pg := range lay.pages {
		d.page(pg, i+1, len(lay.pages), r)
	}
	b.text, b.pageEnds = d.text, d.ends // keep the grown buffers for the next render
	d.outline.nest()
	b.raw.Reset()
	if _, err := d.gp.WriteTo(&b.raw); err != nil {
		return err
	}
	if err := d.outline.fixRoot(b.raw.Bytes()); err != nil {
		return err
	}
	fonts, err := r.embeddedFonts(&d.glyphs, b)
	if err != nil {
		return err
	}
	return b.assemble(&fonts, &r.faces, d.tags, &d.outline, infoEntries(b.info[:0], doc))
}

// infoEntries appends the document information entries gopdf was not given, in gopdf's
// order and format, to out.
func infoEntries(out []byte, doc *templates.Document) []byte {
	for _, e := range [...]struct{ key, value string }{
		{"/Author ", doc.Author}, {"/Title ", doc.Title}, {"/Subject ", doc.Subject},
		{"/Creator ", creatorTool}, {"/Producer ", producer},
	} {
		if e.value != "" {
			out = append(out, e.key...)
			out = append(appendTextString(out, bmp(e.value)), '\n')
		}
	}
	return out
}

// page draws one page. A logo gopdf refuses is logged and replaced by the pôle's name: a
// bad logo must not fail the PDF, nor the campaign it is attached to.
func (d *drawing) page(pg *page, number, total int, r *Renderer) {
	d.gp.AddPage()
	d.tags.newPage(number - 1)
	var names []line  // of the signers whose logo gopdf refused
	var drawn []*logo // the others
	for i := range pg.logos {
		lg := &pg.logos[i]
		if err := d.logo(*lg, r); err != nil {
			r.log().Warn("pdf: logo unreadable, pôle name drawn instead", "pole", lg.description, "err", err)
			names = append(names, lg.name...)
			continue
		}
		drawn = append(drawn, lg)
	}
	if number == 1 {
		d.tags.headerElements(pg, drawn)
	}
	d.rules(pg)
	for _, o := range pg.outlines {
		d.gp.SetY(o.top)
		d.outline.add(d.gp.AddOutlineWithPosition(""), bmp(o.title), o.level)
	}
	d.beginText()
	for i := range pg.lines {
		d.line(&pg.lines[i])
	}
	for i := range names {
		d.line(&names[i])
	}
	d.unmark()
	d.footer(r, number, total)
	d.endText()
}

// logo draws a signer's logo as stored, but flattened on white when it has transparency
// (see logoCache): gopdf copies the data of an 8-bit RGB PNG or of a JPEG without decoding it.
func (d *drawing) logo(lg logo, r *Renderer) error {
	data, err := r.logos.opaque(lg.data)
	if err != nil {
		return err
	}
	img := logoHolder{Reader: bytes.NewReader(data), id: r.logos.id(data)}
	return d.gp.ImageByHolder(img, lg.x, lg.y, &gopdf.Rect{W: lg.w, H: lg.h})
}

// logoHolder hands a logo to gopdf. gopdf.ImageHolderByBytes copies the bytes and names
// them by their MD5 digest, which took longer than the rest of the render for a logo of
// some 100 KB; gopdf only compares the names, to embed the same image once.
type logoHolder struct {
	*bytes.Reader
	id string
}

// ID is the logo's name in the document.
func (h logoHolder) ID() string { return h.id }

// rules draws the page's rules and quote bars, as one artifact before the page's text
// (gopdf formatted each line with four calls to fmt). It also sets gopdf's stroke colour,
// which opens the page's gopdf content stream that assemble appends the text to.
func (d *drawing) rules(pg *page) {
	d.gp.SetStrokeColor(ruleColor[0], ruleColor[1], ruleColor[2])
	start := len(d.text)
	d.text = append(d.text, artifactOpen+"q\n"...)
	d.text = appendColor(d.text, ruleColor)
	d.text = append(d.text, "RG\n0.6 w\n"...)
	drawn := len(d.text)
	for _, h := range pg.rules {
		d.stroke(h.x1, h.y, h.x2, h.y)
	}
	for _, l := range pg.lines {
		if l.quote {
			x := l.left - quoteIndent/2
			d.stroke(x, l.top-l.barUp, x, l.top+l.height)
		}
	}
	if len(d.text) == drawn {
		d.text = d.text[:start] // nothing drawn
		return
	}
	d.text = append(d.text, "Q\n"+markClose...)
}

// stroke draws a line from x1, y1 to x2, y2, from the page's top edge.
func (d *drawing) stroke(x1, y1, x2, y2 float64) {
	d.text = appendFixed(d.text, x1, 2, false)
	d.text = append(d.text, ' ')
	d.text = appendFixed(d.text, pageHeight-y1, 2, false)
	d.text = append(d.text, " m "...)
	d.text = appendFixed(d.text, x2, 2, false)
	d.text = append(d.text, ' ')
	d.text = appendFixed(d.text, pageHeight-y2, 2, false)
	d.text = append(d.text, " l S\n"...)
}

func (d *drawing) footer(r *Renderer, number, total int) {
	text := strconv.Itoa(number) + "/" + strconv.Itoa(total)
	_, w, _ := r.measure(text, regular, 9)
	l := line{top: footerLine - 9, height: 9 * (ascent + descent),
		runs: []run{{text: text, st: regular, size: 9, x: (pageWidth - w) / 2, w: w, color: textColor}}}
	d.text = append(d.text, footerOpen...)
	d.run(&l.runs[0], 0, l.baseline(), false, false)
	d.text = append(d.text, markClose...)
}

// bmp replaces characters outside the Basic Multilingual Plane with U+FFFD in metadata and
// outline strings, as gopdf, which wrote them before, could not encode them (it wrote
// UTF-16 without surrogates): the XMP metadata and the information dictionary agree.
func bmp(s string) string {
	for _, c := range s {
		if c > 0xFFFF {
			out := []rune(s)
			for i, c := range out {
				if c > 0xFFFF {
					out[i] = '\uFFFD'
				}
			}
			return string(out)
		}
	}
	return s
}

// asciiURI percent-encodes the bytes a PDF URI action must not hold raw (ISO 32000 12.6.4.7
// wants 7-bit ASCII): non-ASCII, controls and spaces.
func asciiURI(uri string) string {
	var sb strings.Builder
	for i := 0; i < len(uri); i++ {
		if c := uri[i]; c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&sb, "%%%02X", c)
		} else {
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
