package pdf

import (
	"math"
	"strconv"
	"strings"
)

// beginText opens a page's text object. Each page's text starts from the default graphics
// state (assemble puts gopdf's drawing between q and Q): black, no character spacing.
func (d *drawing) beginText() {
	d.st, d.size, d.tc, d.col = styleCount, 0, 0, rgb{}
	d.text = append(d.text, "BT\n"...)
}

func (d *drawing) endText() {
	d.text = append(d.text, "ET\n"...)
	d.ends = append(d.ends, len(d.text))
}

// line draws each run at its place on the line's baseline, with the line's character
// spacing, and adds the runs' links.
func (d *drawing) line(l *line) {
	base := l.baseline()
	for i := range l.runs {
		rn := &l.runs[i]
		d.textState(rn.st, rn.size, l.tc, rn.color)
		d.text = append(d.text, "1 0 0 1 "...)
		d.text = strconv.AppendFloat(d.text, rn.x, 'f', 2, 64)
		d.text = append(d.text, ' ')
		d.text = strconv.AppendFloat(d.text, pageHeight-base, 'f', 2, 64)
		d.text = append(d.text, " Tm\n"...)
		d.show(rn)
		if rn.link != "" {
			d.gp.AddExternalLink(asciiURI(rn.link), rn.x, base-ascent*rn.size, rn.w, (ascent+descent)*rn.size)
		}
	}
}

// show writes the operator that shows a run's glyphs: Tj, or TJ moving the text on by the
// run's word spacing after each space.
func (d *drawing) show(rn *run) {
	f, glyphs := d.faces[rn.st], &d.glyphs[rn.st]
	spaced := rn.wordSpacing != 0 && strings.IndexByte(rn.text, ' ') >= 0
	if spaced {
		d.text = append(d.text, '[')
	}
	d.text = append(d.text, '<')
	for _, c := range rn.text {
		glyphs.add(c)
		d.text = appendHex16(d.text, f.gid(c))
		if c == ' ' && spaced {
			// TJ's numbers are thousandths of the font size, subtracted from the position.
			d.text = append(d.text, "> "...)
			d.text = appendNumber(d.text, -rn.wordSpacing*1000/rn.size)
			d.text = append(d.text, " <"...)
		}
	}
	if spaced {
		d.text = append(d.text, ">] TJ\n"...)
		return
	}
	d.text = append(d.text, "> Tj\n"...)
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
		for _, v := range c {
			d.text = strconv.AppendFloat(d.text, float64(v)/255, 'f', 3, 64)
			d.text = append(d.text, ' ')
		}
		d.text = append(d.text, "rg\n"...)
		d.col = c
	}
}

// appendNumber writes v with at most three decimals, as gopdf writes sizes and spacing.
func appendNumber(out []byte, v float64) []byte {
	return strconv.AppendFloat(out, math.Round(v*1000)/1000, 'f', -1, 64)
}
