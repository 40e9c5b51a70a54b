package pdf

import (
	"math"
	"strconv"
	"strings"
)

// beginText opens a page's text object. Each page's text starts from the default graphics
// state (assemble puts gopdf's drawing between q and Q): black, no character spacing.
func (d *drawing) beginText() {
	d.st, d.size, d.tc, d.col, d.lineAt = styleCount, 0, 0, rgb{}, [2]int64{}
	d.text = append(d.text, "BT\n"...)
}

func (d *drawing) endText() {
	d.text = append(d.text, "ET\n"...)
	d.ends = append(d.ends, len(d.text))
}

// line draws each run at its place on the line's baseline, with the line's character
// spacing, as marked content of its structure element, and adds the runs' links.
func (d *drawing) line(l *line) {
	base := l.baseline()
	elem, label := d.tags.lineElements(l)
	for i := range l.runs {
		rn := &l.runs[i]
		last := i == len(l.runs)-1
		space := l.space && last
		owner := d.tags.runElement(elem, rn, space)
		if i == 0 && label > 0 {
			owner = label
		}
		d.mark(owner)
		d.run(rn, l.tc, base, space, l.hyphenated && last)
		if rn.link != "" {
			d.tags.annot(owner, d.gp.GetNextObjectID())
			d.gp.AddExternalLink(asciiURI(rn.link), rn.x, base-ascent*rn.size, rn.w, (ascent+descent)*rn.size)
		}
	}
}

// run draws a run's glyphs at its place on the baseline. A line's last run ends with an
// invisible space when the line was broken at a space (space), so that the text extracted
// (and read aloud) keeps the words apart. When hyphenation added the hyphen it ends with
// (hyphen), that hyphen is drawn as an artifact, out of the marked content, so that the
// tagged text holds the word whole; pdftotext, which ignores tags, still reads the hyphen
// and joins the word's parts.
func (d *drawing) run(rn *run, tc, base float64, space, hyphen bool) {
	d.textState(rn.st, rn.size, tc, rn.color)
	d.moveTo(rn.x, pageHeight-base)
	text, cut := strings.CutSuffix(rn.text, "-")
	if !hyphen || !cut {
		d.show(rn.text, rn, space)
		return
	}
	d.show(text, rn, false)
	d.unmark() // an artifact must not sit inside tagged content
	d.text = append(d.text, artifactOpen...)
	d.show("-", rn, false) // the text position runs on from the word's glyphs
	d.text = append(d.text, markClose...)
}

// moveTo starts a text line at x, y, rounded to hundredths of a point, with Td: a move
// from the last line's origin, shorter to write than the absolute matrix of Tm. The move
// is taken between the rounded origins, so the lines are where Tm would put them.
func (d *drawing) moveTo(x, y float64) {
	at := [2]int64{hundredths(x), hundredths(y)}
	d.text = appendHundredths(d.text, at[0]-d.lineAt[0])
	d.text = append(d.text, ' ')
	d.text = appendHundredths(d.text, at[1]-d.lineAt[1])
	d.text = append(d.text, " Td\n"...)
	d.lineAt = at
}

// hundredths is v in hundredths, rounded as appendFixed rounds.
func hundredths(v float64) int64 { return rounded(v, 100) }

// appendHundredths writes n hundredths as a decimal number, without trailing zeros.
func appendHundredths(out []byte, n int64) []byte { return appendScaled(out, n, 100, true) }

// show writes the operator that shows text in rn's font: Tj, or TJ moving the text on by
// the run's word spacing after each space; with space, an unspaced space glyph after it.
// The glyph ids are written as a literal string, two bytes each (see appendGlyph): half
// the size of a hex string, so less to deflate.
func (d *drawing) show(text string, rn *run, space bool) {
	f, glyphs := d.faces[rn.st], &d.glyphs[rn.st]
	spaced := rn.wordSpacing != 0 && strings.IndexByte(text, ' ') >= 0
	var move []byte // after each space: the string closed, the move, the next opened
	if spaced {
		d.text = append(d.text, '[')
		// TJ's numbers are thousandths of the font size, subtracted from the position.
		var buf [24]byte
		move = append(appendNumber(append(buf[:0], ") "...), -rn.wordSpacing*1000/rn.size), " ("...)
	}
	d.text = append(d.text, '(')
	for _, c := range text {
		glyphs.add(c)
		d.text = appendGlyph(d.text, f.gid(c))
		if c == ' ' && spaced {
			d.text = append(d.text, move...)
		}
	}
	if space {
		glyphs.add(' ')
		d.text = appendGlyph(d.text, f.gid(' '))
	}
	if spaced {
		d.text = append(d.text, ")] TJ\n"...)
		return
	}
	d.text = append(d.text, ") Tj\n"...)
}

// appendGlyph appends glyph id g to a literal string, high byte first, escaping the bytes a
// literal string cannot hold as they are: parentheses, backslash, and the end-of-line
// bytes, which a reader would otherwise normalise (ISO 32000-1, 7.3.4.2).
func appendGlyph(out []byte, g uint16) []byte {
	for _, c := range [2]byte{byte(g >> 8), byte(g)} {
		switch c {
		case '(', ')', '\\':
			out = append(out, '\\', c)
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		default:
			out = append(out, c)
		}
	}
	return out
}

// textState sets the font, character spacing and colour that differ from the current ones.
func (d *drawing) textState(st style, size, tc float64, c rgb) {
	if st != d.st || size != d.size {
		d.text = append(d.text, "/F"...)
		d.text = strconv.AppendInt(d.text, int64(st)+1, 10)
		d.text = append(d.text, ' ')
		d.text = appendNumber(d.text, size)
		d.text = append(d.text, " Tf\n"...)
		d.st, d.size = st, size
	}
	if tc != d.tc {
		d.text = appendNumber(d.text, tc)
		d.text = append(d.text, " Tc\n"...)
		d.tc = tc
	}
	if c != d.col {
		d.text = append(appendColor(d.text, c), "rg\n"...)
		d.col = c
	}
}

// appendColor writes c's components, each followed by a space, for rg or RG.
func appendColor(out []byte, c rgb) []byte {
	for _, v := range c {
		out = appendFixed(out, float64(v)/255, 3, false)
		out = append(out, ' ')
	}
	return out
}

// appendNumber writes v with at most three decimals, as gopdf writes sizes and spacing.
func appendNumber(out []byte, v float64) []byte {
	return appendFixed(out, v, 3, true)
}

// appendFixed writes v rounded to decimals places (at most 3), without the trailing zeros
// if trim. It rounds halves away from zero where strconv's 'f' format looks at the exact
// binary value (at most a hundredth of a point apart), and writes no "-0": strconv's exact
// formatting took a twentieth of a render.
func appendFixed(out []byte, v float64, decimals int, trim bool) []byte {
	scale := int64(1)
	for range decimals {
		scale *= 10
	}
	return appendScaled(out, rounded(v, scale), scale, trim)
}

// rounded is v times scale, rounded half away from zero.
func rounded(v float64, scale int64) int64 {
	n := int64(math.Round(math.Abs(v) * float64(scale)))
	if v < 0 {
		return -n
	}
	return n
}

// appendScaled writes n units of 1/scale (a power of ten, at most 1000) as a decimal
// number, without the trailing zeros if trim.
func appendScaled(out []byte, n, scale int64, trim bool) []byte {
	if n < 0 {
		out, n = append(out, '-'), -n
	}
	out = strconv.AppendInt(out, n/scale, 10)
	frac := n % scale
	if scale == 1 || trim && frac == 0 {
		return out
	}
	out = append(out, '.')
	for scale /= 10; scale > 0 && !(trim && frac == 0); scale /= 10 {
		out = append(out, byte('0'+frac/scale))
		frac %= scale
	}
	return out
}
