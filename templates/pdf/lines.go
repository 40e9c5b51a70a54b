package pdf

import "strings"

// token is a stretch of text without breakable spaces, in one style.
type token struct {
	text string
	st   style
	link string
	w    float64 // natural width, pt
	n    int     // runes
}

// word is what the line breaker moves as a unit: tokens glued together, then the space
// after it (if any) and whether a hard line break follows.
type word struct {
	boxes    []token
	w        float64
	space    token
	hasSpace bool
	brk      bool
}

// measure returns text with every rune the font lacks replaced, its width at size, and its
// rune count. It allocates only when it has to replace.
func (r *Renderer) measure(text string, st style, size float64) (string, float64, int) {
	f := r.faces[st]
	units, n := 0, 0
	var repl []rune
	for i, c := range text {
		g, w := f.glyph(c)
		if g != c && repl == nil {
			repl = []rune(text[:i])
		}
		if repl != nil {
			repl = append(repl, g)
		}
		units += w
		n++
	}
	if repl != nil {
		text = string(repl)
	}
	return text, float64(units) * size / 1000, n
}

// words splits pieces into words at U+0020 (U+00A0 and U+202F never break).
func (r *Renderer) words(pieces []piece, size float64) []word {
	var out []word
	var cur word
	flush := func(space *token, brk bool) {
		if len(cur.boxes) == 0 && !brk {
			if space != nil && len(out) > 0 && !out[len(out)-1].hasSpace && !out[len(out)-1].brk {
				out[len(out)-1].space, out[len(out)-1].hasSpace = *space, true
			}
			return
		}
		if space != nil {
			cur.space, cur.hasSpace = *space, true
		}
		cur.brk = brk
		out = append(out, cur)
		cur = word{}
	}
	for _, p := range pieces {
		if p.text == "\n" {
			flush(nil, true)
			continue
		}
		rest := p.text
		for rest != "" {
			i := strings.IndexByte(rest, ' ')
			chunk := rest
			if i >= 0 {
				chunk, rest = rest[:i], rest[i+1:]
			} else {
				rest = ""
			}
			if chunk != "" {
				text, w, n := r.measure(chunk, p.st, size)
				cur.boxes = append(cur.boxes, token{text: text, st: p.st, link: p.link, w: w, n: n})
				cur.w += w
			}
			if i >= 0 {
				_, w, _ := r.measure(" ", p.st, size)
				flush(&token{text: " ", st: p.st, link: p.link, w: w, n: 1}, false)
			}
		}
	}
	flush(nil, false)
	return out
}

// splitLong cuts a word wider than the line into pieces that fit, between characters:
// a long URL must not run into the margin.
func (r *Renderer) splitLong(w word, avail, size float64) []word {
	if w.w <= avail {
		return []word{w}
	}
	var out []word
	var cur word
	for _, b := range w.boxes {
		for _, c := range b.text {
			s := string(c)
			_, cw, _ := r.measure(s, b.st, size)
			if cur.w+cw > avail && len(cur.boxes) > 0 {
				out = append(out, cur)
				cur = word{}
			}
			cur.boxes = append(cur.boxes, token{text: s, st: b.st, link: b.link, w: cw, n: 1})
			cur.w += cw
		}
	}
	cur.space, cur.hasSpace, cur.brk = w.space, w.hasSpace, w.brk
	return append(out, cur)
}

// breakLines fills lines greedily and returns, for each line, its words.
func breakLines(words []word, avail float64) [][]word {
	var lines [][]word
	start, width := 0, 0.0
	for i, w := range words {
		if i > start {
			prev := words[i-1]
			if width+prev.space.w+w.w > avail+0.001 {
				lines = append(lines, words[start:i])
				start, width = i, 0
			} else {
				width += prev.space.w
			}
		}
		width += w.w
		if w.brk {
			lines = append(lines, words[start:i+1])
			start, width = i+1, 0
		}
	}
	if start < len(words) {
		lines = append(lines, words[start:])
	}
	return lines
}

// layoutBlock breaks a paragraph or heading into lines between left and right, with their
// runs placed horizontally; tops are set when the paginator places them.
func (r *Renderer) layoutBlock(b *block, left, right float64) []line {
	var words []word
	for _, w := range r.words(b.pieces, b.size) {
		words = append(words, r.splitLong(w, right-left, b.size)...)
	}
	groups := breakLines(words, right-left)
	lines := make([]line, len(groups))
	for i, g := range groups {
		last := i == len(groups)-1 || g[len(g)-1].brk
		lines[i] = r.placeLine(b, g, left, right, last)
	}
	if b.marker != "" && len(lines) > 0 {
		text, w, _ := r.measure(b.marker, regular, b.size)
		m := run{text: text, st: regular, size: b.size, x: left - markerPadding - w, w: w, color: textColor}
		lines[0].runs = append([]run{m}, lines[0].runs...)
	}
	return lines
}

// maxCharSpacing bounds letter-spacing justification (in em): beyond it letters look
// detached and pdftotext may split words, so the line is justified by word spacing.
const maxCharSpacing = 0.04

func (r *Renderer) placeLine(b *block, ws []word, left, right float64, last bool) line {
	l := line{height: b.leading, left: left, right: right, heading: b.kind == heading, quote: b.quote}
	natural, glyphs, spaces := 0.0, 0, 0
	for i, w := range ws {
		natural += w.w
		for _, t := range w.boxes {
			glyphs += t.n
		}
		if i < len(ws)-1 && w.hasSpace {
			natural += w.space.w
			glyphs++
			spaces++
		}
	}
	x, spaceExtra := left, 0.0
	switch {
	case b.align == alignRight:
		x = right - natural
	case b.align == justify && !last && glyphs > 1:
		extra := right - left - natural
		l.tc = extra / float64(glyphs-1)
		if l.tc > maxCharSpacing*b.size && spaces > 0 {
			l.tc, spaceExtra = 0, extra/float64(spaces)
		}
	}
	l.runs = buildRuns(ws, b, x, l.tc, spaceExtra)
	return l
}

// buildRuns merges a line's tokens into runs of one style and link, each drawn as one text
// object. With word spacing (spaceExtra > 0) a run ends after each space.
func buildRuns(ws []word, b *block, x, tc, spaceExtra float64) []run {
	var runs []run
	add := func(t token) {
		if n := len(runs); n > 0 && runs[n-1].st == t.st && runs[n-1].link == t.link &&
			!(spaceExtra > 0 && strings.HasSuffix(runs[n-1].text, " ")) {
			runs[n-1].text += t.text
			runs[n-1].w += t.w + tc*float64(t.n)
			return
		}
		c := textColor
		if b.kind == heading {
			c = accentColor
		} else if t.link != "" {
			c = linkColor
		}
		runs = append(runs, run{text: t.text, st: t.st, size: b.size, link: t.link, w: t.w + tc*float64(t.n), color: c})
	}
	for i, w := range ws {
		for _, t := range w.boxes {
			add(t)
		}
		if i < len(ws)-1 && w.hasSpace {
			add(w.space)
		}
	}
	for i := range runs {
		runs[i].x = x
		x += runs[i].w
		if spaceExtra > 0 && strings.HasSuffix(runs[i].text, " ") {
			x += spaceExtra
		}
		if i == len(runs)-1 && tc > 0 {
			runs[i].w -= tc // no spacing after the last glyph
		}
	}
	return runs
}
