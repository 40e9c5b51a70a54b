package pdf

import (
	"math"
	"strings"
	"unicode/utf8"
)

// token is a stretch of text without breakable spaces, in one style.
type token struct {
	text string
	st   style
	link string
	w    float64 // natural width, pt
	n    int     // runes
}

// word is what the line breaker moves as a unit: tokens toks[start:end] glued together,
// then the space after it (if any) and whether a hard line break follows.
type word struct {
	start, end int
	w          float64
	n          int // runes
	space      token
	hasSpace   bool
	brk        bool
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

// typesetter breaks one render's blocks into lines, reusing its scratch space from one
// block to the next.
type typesetter struct {
	*Renderer
	wb      wordBreaker
	scratch []byte
	cost    []float64 // breakEvenly's tables
	next    []int
}

// wordBreaker cuts a block's pieces into tokens and words at U+0020 (U+00A0 and U+202F
// never break), splitting a word wider than the line between characters so that a long
// URL cannot run into the margin.
type wordBreaker struct {
	r     *Renderer
	size  float64
	avail float64
	toks  []token
	words []word
	cur   word
}

// words returns the tokens and words of pieces, valid until the next call.
func (t *typesetter) words(pieces []piece, size, avail float64) ([]token, []word) {
	r, wb := t.Renderer, &t.wb
	*wb = wordBreaker{r: r, size: size, avail: avail, toks: wb.toks[:0], words: wb.words[:0]}
	for _, p := range pieces {
		if p.text == "\n" {
			wb.flush(nil, true)
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
				wb.box(chunk, p)
			}
			if i >= 0 {
				_, w, _ := r.measure(" ", p.st, size)
				wb.flush(&token{text: " ", st: p.st, link: p.link, w: w, n: 1}, false)
			}
		}
	}
	wb.flush(nil, false)
	return wb.toks, wb.words
}

func (wb *wordBreaker) box(chunk string, p piece) {
	text, w, n := wb.r.measure(chunk, p.st, wb.size)
	if wb.cur.w+w > wb.avail {
		wb.splitBox(text, p)
		return
	}
	wb.toks = append(wb.toks, token{text: text, st: p.st, link: p.link, w: w, n: n})
	wb.cur.end = len(wb.toks)
	wb.cur.w += w
	wb.cur.n += n
}

// splitBox adds an overlong chunk character by character, ending words where they fill a
// line. It is rare: only unbreakable strings longer than a line take this path.
func (wb *wordBreaker) splitBox(text string, p piece) {
	for i, c := range text {
		s := text[i : i+utf8.RuneLen(c)]
		_, w, _ := wb.r.measure(s, p.st, wb.size)
		if wb.cur.w+w > wb.avail && wb.cur.end > wb.cur.start {
			wb.words = append(wb.words, wb.cur)
			wb.cur = word{start: len(wb.toks), end: len(wb.toks)}
		}
		wb.toks = append(wb.toks, token{text: s, st: p.st, link: p.link, w: w, n: 1})
		wb.cur.end = len(wb.toks)
		wb.cur.w += w
		wb.cur.n++
	}
}

func (wb *wordBreaker) flush(space *token, brk bool) {
	if wb.cur.end == wb.cur.start && !brk {
		if n := len(wb.words); space != nil && n > 0 && !wb.words[n-1].hasSpace && !wb.words[n-1].brk {
			wb.words[n-1].space, wb.words[n-1].hasSpace = *space, true
		}
		return
	}
	if space != nil {
		wb.cur.space, wb.cur.hasSpace = *space, true
	}
	wb.cur.brk = brk
	wb.words = append(wb.words, wb.cur)
	wb.cur = word{start: len(wb.toks), end: len(wb.toks)}
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
func (r *typesetter) layoutBlock(b *block, left, right float64) []line {
	toks, words := r.words(b.pieces, b.size, right-left)
	var groups [][]word
	if b.align == justify {
		groups = r.breakEvenly(words, right-left, b.size)
	} else {
		groups = breakLines(words, right-left)
	}
	lines := make([]line, len(groups))
	for i, g := range groups {
		last := i == len(groups)-1 || g[len(g)-1].brk
		lines[i], r.scratch = placeLine(b, toks, g, left, right, last, r.scratch)
		end := g[len(g)-1]
		lines[i].space = i < len(groups)-1 && (end.hasSpace || end.brk)
	}
	if b.marker != "" && len(lines) > 0 {
		text, w, _ := r.measure(b.marker, regular, b.size)
		m := run{text: text, st: regular, size: b.size, x: left - markerPadding - w, w: w, color: textColor}
		lines[0].runs = append([]run{m}, lines[0].runs...)
	}
	return lines
}

// breakEvenly chooses the line breaks of a justified paragraph that minimise the sum, over
// its lines, of the squared letter spacing each needs (the last line of each stretch
// between hard breaks goes free), as Knuth and Plass's total-fit does: lines then stretch
// about evenly instead of the greedy fill leaving a few very loose.
func (r *typesetter) breakEvenly(words []word, avail, size float64) [][]word {
	var lines [][]word
	for start := 0; start < len(words); {
		end := start
		for end < len(words)-1 && !words[end].brk {
			end++
		}
		lines = r.fitStretch(words[start:end+1], avail, size, lines)
		start = end + 1
	}
	return lines
}

// fitStretch breaks words (with no hard break inside) by dynamic programming from the end:
// cost[i] is the least cost of setting words[i:], next[i] where its first line ends.
func (r *typesetter) fitStretch(words []word, avail, size float64, lines [][]word) [][]word {
	n := len(words)
	if cap(r.cost) <= n {
		r.cost, r.next = make([]float64, n+1), make([]int, n+1)
	}
	r.cost, r.next = r.cost[:n+1], r.next[:n+1]
	r.cost[n] = 0
	limit := maxCharSpacing * size
	for i := n - 1; i >= 0; i-- {
		r.cost[i] = math.Inf(1)
		width, glyphs := 0.0, -1
		for j := i; j < n; j++ {
			if j > i {
				width += words[j-1].space.w
				glyphs++
			}
			width += words[j].w
			glyphs += words[j].n
			if j > i && width > avail+0.001 {
				break
			}
			c := 0.0
			if j < n-1 {
				// glyphs counts the gaps letter spacing can widen; a line of one glyph has
				// none and cannot be justified at all, so it must not look free.
				c = spacingCost((avail-width)/float64(max(glyphs, 1)), limit)
			}
			if c+r.cost[j+1] < r.cost[i] {
				r.cost[i], r.next[i] = c+r.cost[j+1], j+1
			}
		}
	}
	for i := 0; i < n; i = r.next[i] {
		lines = append(lines, words[i:r.next[i]])
	}
	return lines
}

// spacingCost rates a line needing letter spacing tc (pt): past the limit, where word
// spacing takes over and gaps show, it costs far more.
func spacingCost(tc, limit float64) float64 {
	if tc <= limit {
		return tc * tc
	}
	return limit*limit + 100*(tc-limit)*(tc-limit)
}

// maxCharSpacing bounds letter-spacing justification (in em). pdftotext (poppler) starts a
// new word where glyphs are more than 0.1 em apart, and wide letter spacing shows, so past
// half that the rest is made up by word spacing.
const maxCharSpacing = 0.05

func placeLine(b *block, toks []token, ws []word, left, right float64, last bool, scratch []byte) (line, []byte) {
	l := line{height: b.leading, left: left, right: right, heading: b.kind == heading, quote: b.quote}
	natural, glyphs, spaces := 0.0, 0, 0
	for i, w := range ws {
		natural += w.w
		for _, t := range toks[w.start:w.end] {
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
		if limit := maxCharSpacing * b.size; l.tc > limit && spaces > 0 {
			l.tc = limit
			spaceExtra = (extra - limit*float64(glyphs-1)) / float64(spaces)
		}
	}
	l.runs, scratch = buildRuns(toks, ws, b, x, l.tc, spaceExtra, scratch)
	return l, scratch
}

// buildRuns merges a line's tokens into runs of one style and link, each drawn as one text
// object. With word spacing (spaceExtra > 0) a run ends after each space. Run texts are
// gathered in scratch, so each run allocates one string.
func buildRuns(toks []token, ws []word, b *block, x, tc, spaceExtra float64, scratch []byte) ([]run, []byte) {
	var runs []run
	var ends []int // end of each run's text in scratch
	scratch = scratch[:0]
	add := func(t token) {
		if n := len(runs); n > 0 && runs[n-1].st == t.st && runs[n-1].link == t.link &&
			!(spaceExtra > 0 && scratch[len(scratch)-1] == ' ') {
			scratch = append(scratch, t.text...)
			ends[n-1] = len(scratch)
			runs[n-1].w += t.w + tc*float64(t.n)
			return
		}
		c := textColor
		if b.kind == heading {
			c = accentColor
		} else if t.link != "" {
			c = linkColor
		}
		scratch = append(scratch, t.text...)
		ends = append(ends, len(scratch))
		runs = append(runs, run{st: t.st, size: b.size, link: t.link, w: t.w + tc*float64(t.n), color: c})
	}
	for i, w := range ws {
		for _, t := range toks[w.start:w.end] {
			add(t)
		}
		if i < len(ws)-1 && w.hasSpace {
			add(w.space)
		}
	}
	from := 0
	for i := range runs {
		runs[i].text = string(scratch[from:ends[i]])
		from = ends[i]
		runs[i].x = x
		x += runs[i].w
		if spaceExtra > 0 && strings.HasSuffix(runs[i].text, " ") {
			x += spaceExtra
		}
		if i == len(runs)-1 && tc > 0 {
			runs[i].w -= tc // no spacing after the last glyph
		}
	}
	return runs, scratch
}
