// Package pdf typesets a composed communiqué (templates.Document) as an A4 PDF with
// gopdf: embedded subset Liberation Sans in four styles, the co-signers' logos on page 1,
// justified paragraphs without widows or orphans, clickable links, page numbers, metadata
// and an outline. The same document and creation time always give the same bytes.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/signintech/gopdf"

	"portevoix/templates"
)

// Renderer typesets documents as PDF. It holds the parsed fonts and their width tables;
// create it once with New and share it: Render is safe for concurrent use.
type Renderer struct {
	faces [styleCount]*face
	fonts *gopdf.FontContainer
	bufs  sync.Pool // *renderBuffers
}

// New parses the embedded fonts. It fails only if they are missing or corrupt.
func New() (*Renderer, error) {
	faces, fonts, err := loadFaces()
	if err != nil {
		return nil, err
	}
	return &Renderer{faces: faces, fonts: fonts}, nil
}

// Render writes doc as a PDF to w.
//
// Most of its time and memory is gopdf's font embedding, out of reach of its API: every
// embedded face is subset and deflated at zlib's default level with a fresh compressor
// (about 0.8 MB each); see BenchmarkPDFSeed001Layout for this package's own share.
func (r *Renderer) Render(doc *templates.Document, w io.Writer) error {
	if doc == nil {
		return errors.New("render pdf: nil document")
	}
	lay := r.layout(doc)
	bufs, _ := r.bufs.Get().(*renderBuffers)
	if bufs == nil {
		bufs = newRenderBuffers()
	}
	defer r.bufs.Put(bufs)
	bufs.raw.Reset()
	if err := r.draw(doc, lay, &bufs.raw); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := bufs.deflateStreams(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	_, err := w.Write(bufs.out.Bytes())
	return err
}

// drawing is the state of one render: the gopdf document and what is current in it.
type drawing struct {
	gp     *gopdf.GoPdf
	glyphs [styleCount]glyphSet
	st     style
	size   float64
	col    rgb
}

func (r *Renderer) draw(doc *templates.Document, lay *layout, buf *bytes.Buffer) error {
	d := &drawing{gp: &gopdf.GoPdf{}, st: styleCount}
	d.gp.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageWidth, H: pageHeight}, Unit: gopdf.UnitPT})
	d.gp.SetNoCompression() // deflateStreams compresses, with a pooled compressor
	d.gp.SetInfo(gopdf.PdfInfo{
		Title: bmp(doc.Title), Author: bmp(doc.Author), Subject: bmp(doc.Subject),
		Creator: "Porte-Voix", Producer: "Porte-Voix (gopdf)", CreationDate: doc.Created,
	})
	used := usedStyles(lay)
	for s := range styleCount {
		if used[s] {
			if err := d.gp.AddTTFFontFromFontContainer(fontFamilies[s], r.fonts); err != nil {
				return err
			}
		}
	}
	for i, pg := range lay.pages {
		if err := d.page(pg, i+1, len(lay.pages), r); err != nil {
			return err
		}
	}
	if _, err := d.gp.WriteTo(buf); err != nil {
		return err
	}
	d.patchSubsetTags(buf.Bytes())
	return nil
}

// usedStyles lists the faces a layout draws, so unused ones are not embedded. The page
// number is always regular.
func usedStyles(lay *layout) [styleCount]bool {
	var used [styleCount]bool
	used[regular] = true
	for _, pg := range lay.pages {
		for _, l := range pg.lines {
			for _, r := range l.runs {
				used[r.st] = true
			}
		}
	}
	return used
}

func (d *drawing) page(pg *page, number, total int, r *Renderer) error {
	d.gp.AddPage()
	for _, lg := range pg.logos {
		if err := d.logo(lg); err != nil {
			return err
		}
	}
	d.rules(pg)
	for _, o := range pg.outlines {
		d.gp.SetY(o.top)
		d.gp.AddOutlineWithPosition(bmp(o.title))
	}
	for i := range pg.lines {
		if err := d.line(&pg.lines[i]); err != nil {
			return err
		}
	}
	return d.footer(r, number, total)
}

// logo draws a signer's logo. gopdf reads only some PNG and JPEG variants (not 16-bit or
// interlaced PNG, for one); any other image Go can decode is converted to a plain PNG.
func (d *drawing) logo(lg logo) error {
	err := d.image(lg.data, lg)
	if err == nil {
		return nil
	}
	img, _, decodeErr := image.Decode(bytes.NewReader(lg.data))
	if decodeErr != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, toNRGBA(img)); err != nil {
		return err
	}
	return d.image(buf.Bytes(), lg)
}

func (d *drawing) image(data []byte, lg logo) error {
	img, err := gopdf.ImageHolderByBytes(data)
	if err != nil {
		return err
	}
	return d.gp.ImageByHolder(img, lg.x, lg.y, &gopdf.Rect{W: lg.w, H: lg.h})
}

// toNRGBA converts an image to 8-bit non-premultiplied RGBA, which gopdf reads.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

func (d *drawing) rules(pg *page) {
	d.gp.SetStrokeColor(ruleColor[0], ruleColor[1], ruleColor[2])
	d.gp.SetLineWidth(0.6)
	for _, h := range pg.rules {
		d.gp.Line(h.x1, h.y, h.x2, h.y)
	}
	for _, l := range pg.lines {
		if l.quote {
			x := l.left - quoteIndent/2
			d.gp.Line(x, l.top, x, l.top+l.height)
		}
	}
}

// line draws each run as one text object, with the line's character spacing.
func (d *drawing) line(l *line) error {
	base := l.baseline()
	if err := d.gp.SetCharSpacing(l.tc); err != nil {
		return err
	}
	for i := range l.runs {
		rn := &l.runs[i]
		if err := d.font(rn.st, rn.size, rn.color); err != nil {
			return err
		}
		for _, c := range rn.text {
			d.glyphs[rn.st].add(c)
		}
		d.gp.SetXY(rn.x, base) // Text draws on the baseline at y
		if err := d.gp.Text(rn.text); err != nil {
			return err
		}
		if rn.link != "" {
			d.gp.AddExternalLink(asciiURI(rn.link), rn.x, base-ascent*rn.size, rn.w, (ascent+descent)*rn.size)
		}
	}
	return nil
}

func (d *drawing) font(st style, size float64, c rgb) error {
	if st != d.st || size != d.size {
		if err := d.gp.SetFont(fontFamilies[st], "", size); err != nil {
			return err
		}
		d.st, d.size = st, size
	}
	if c != d.col {
		d.gp.SetTextColor(c[0], c[1], c[2])
		d.col = c
	}
	return nil
}

func (d *drawing) footer(r *Renderer, number, total int) error {
	text := strconv.Itoa(number) + "/" + strconv.Itoa(total)
	_, w, _ := r.measure(text, regular, 9)
	l := line{top: footerLine - 9, height: 9 * (ascent + descent),
		runs: []run{{text: text, st: regular, size: 9, x: (pageWidth - w) / 2, w: w, color: textColor}}}
	return d.line(&l)
}

// patchSubsetTags replaces each placeholder subset tag ("/PVSUBA+…") with one hashed from
// the glyphs drawn in that face; see fontFamilies for why this happens after gopdf.
func (d *drawing) patchSubsetTags(pdf []byte) {
	for s := range styleCount {
		placeholder := []byte("/" + fontFamilies[s][:tagLen+1])
		tag := d.glyphs[s].tag(s)
		for i := 0; ; {
			j := bytes.Index(pdf[i:], placeholder)
			if j < 0 {
				break
			}
			copy(pdf[i+j+1:], tag[:])
			i += j + len(placeholder)
		}
	}
}

// bmp replaces characters outside the Basic Multilingual Plane, which gopdf cannot encode
// in metadata and outline strings (it writes UTF-16 without surrogates), with U+FFFD.
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
