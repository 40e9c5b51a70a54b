package pdf

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"portevoix/templates/hyphen"
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
// then the space after it (if any) and whether a hard line break follows. A part of a
// hyphenated word (glued to the next word, no space) has hy > 0: the width of the hyphen
// drawn if a line ends after it.
type word struct {
	start, end int
	w          float64
	n          int // runes
	space      token
	hasSpace   bool
	brk        bool
	hy         float64
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
	hb      hyphen.Breaker
	scratch []byte
	cost    []float64 // breakEvenly's tables
	next    []int
	fit     []fitWord
	sums    []fitSums
	runs    *runArena // the lines' runs, for one layout
	groups  [][]word  // a block's lines, as words
	lines   []line    // the body's lines, until the paginator copies them
	// justified counts the justified lines set so far (last lines apart), spaced those
	// letter-spaced: at most one in letterSpacedShare may be.
	justified, spaced int
}

// letterSpacedShare: at most one justified line in this many is letter-spaced, in every
// stretch of a document from its start.
const letterSpacedShare = 20

// wordBreaker cuts a block's pieces into tokens and words at U+0020 (U+00A0 and U+202F
// never break), splitting a word wider than the line between characters so that a long
// URL cannot run into the margin. With a hyphen.Breaker it also cuts words where they may
// be hyphenated.
type wordBreaker struct {
	r     *Renderer
	size  float64
	avail float64
	hb    *hyphen.Breaker // nil: no hyphenation
	toks  []token
	words []word
	cur   word
	text  []byte  // the current word's text, while it is hyphenated
	parts []token // its tokens, while they are cut
}

// words returns the tokens and words of pieces, valid until the next call; hyphenate
// cuts words where they may be hyphenated.
func (t *typesetter) words(pieces []piece, size, avail float64, hyphenate bool) ([]token, []word) {
	r, wb := t.Renderer, &t.wb
	*wb = wordBreaker{r: r, size: size, avail: avail, toks: wb.toks[:0], words: wb.words[:0],
		text: wb.text, parts: wb.parts}
	if hyphenate && r.hyphens != nil {
		t.hb.Patterns = r.hyphens
		wb.hb = &t.hb
	}
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
// line, after their last hyphen if they have one (« Nutrition-Santé-|Longévité »). It is
// rare: only unbreakable strings longer than a line take this path.
func (wb *wordBreaker) splitBox(text string, p piece) {
	for i, c := range text {
		s := text[i : i+utf8.RuneLen(c)]
		_, w, _ := wb.r.measure(s, p.st, wb.size)
		if wb.cur.w+w > wb.avail && wb.cur.end > wb.cur.start {
			wb.endAtHyphen()
		}
		wb.toks = append(wb.toks, token{text: s, st: p.st, link: p.link, w: w, n: 1})
		wb.cur.end = len(wb.toks)
		wb.cur.w += w
		wb.cur.n++
	}
}

// endAtHyphen ends the current word after its last hyphen, or at its end if it has none
// (or only as its first character), and starts the next with the rest.
func (wb *wordBreaker) endAtHyphen() {
	end := wb.cur.end
	for k := wb.cur.end - 1; k > wb.cur.start+1; k-- {
		if wb.toks[k-1].text == "-" {
			end = k
			break
		}
	}
	rest := word{start: end, end: wb.cur.end}
	for _, t := range wb.toks[end:wb.cur.end] {
		rest.w += t.w
		rest.n += t.n
	}
	wb.cur.end, wb.cur.w, wb.cur.n = end, wb.cur.w-rest.w, wb.cur.n-rest.n
	wb.words = append(wb.words, wb.cur)
	wb.cur = rest
}

func (wb *wordBreaker) flush(space *token, brk bool) {
	if wb.cur.end == wb.cur.start && !brk {
		if n := len(wb.words); space != nil && n > 0 && !wb.words[n-1].hasSpace && !wb.words[n-1].brk {
			wb.words[n-1].space, wb.words[n-1].hasSpace = *space, true
		}
		return
	}
	if wb.hb != nil && wb.cur.end > wb.cur.start {
		wb.hyphenate()
	}
	if space != nil {
		wb.cur.space, wb.cur.hasSpace = *space, true
	}
	wb.cur.brk = brk
	wb.words = append(wb.words, wb.cur)
	wb.cur = word{start: len(wb.toks), end: len(wb.toks)}
}

// hyphenate cuts the current word at its breaks into words of their own, leaving the last
// part current. Link texts (addresses) are never cut.
func (wb *wordBreaker) hyphenate() {
	toks := wb.toks[wb.cur.start:wb.cur.end]
	wb.text = wb.text[:0]
	for _, t := range toks {
		if t.link != "" {
			return
		}
		wb.text = append(wb.text, t.text...)
	}
	breaks := wb.r.hyphenated.breaks(wb.text, wb.hb)
	if len(breaks) == 0 {
		return
	}
	wb.parts = append(wb.parts[:0], toks...)
	wb.toks = wb.toks[:wb.cur.start]
	wb.cur = word{start: wb.cur.start, end: wb.cur.start}
	at, next := 0, 0 // byte offset of the token in text; next break
	for _, t := range wb.parts {
		from := 0
		for ; next < len(breaks) && breaks[next] <= at+len(t.text); next++ {
			b := breaks[next] - at
			wb.part(t.text[from:b], t)
			_, wb.cur.hy, _ = wb.r.measure("-", t.st, wb.size)
			wb.words = append(wb.words, wb.cur)
			wb.cur = word{start: len(wb.toks), end: len(wb.toks)}
			from = b
		}
		wb.part(t.text[from:], t)
		at += len(t.text)
	}
}

// part adds text, a part of token t, to the current word.
func (wb *wordBreaker) part(text string, t token) {
	if text == "" {
		return
	}
	if len(text) < len(t.text) {
		_, t.w, t.n = wb.r.measure(text, t.st, wb.size)
		t.text = text
	}
	wb.toks = append(wb.toks, t)
	wb.cur.end = len(wb.toks)
	wb.cur.w += t.w
	wb.cur.n += t.n
}

// breakLines fills lines greedily and appends to lines, for each line, its words.
func breakLines(lines [][]word, words []word, avail float64) [][]word {
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
	return r.appendBlock(nil, b, left, right)
}

// appendBlock appends the lines of b (see layoutBlock) to dst and returns them.
func (r *typesetter) appendBlock(dst []line, b *block, left, right float64) []line {
	toks, words := r.words(b.pieces, b.size, right-left, b.align == justify)
	var groups [][]word
	if b.align == justify {
		groups = r.breakEvenly(r.groups[:0], words, right-left, b.size)
	} else {
		groups = breakLines(r.groups[:0], words, right-left)
	}
	r.groups = groups
	dst = slices.Grow(dst, len(groups))
	lines := dst[len(dst) : len(dst)+len(groups)]
	for i, g := range groups {
		last := i == len(groups)-1 || g[len(g)-1].brk
		if b.align == justify && !last {
			r.justified++
		}
		spacing := (r.spaced+1)*letterSpacedShare <= r.justified
		lines[i], r.scratch = placeLine(b, toks, g, left, right, last, spacing, r.scratch, r.runs)
		if lines[i].tc > 0 {
			r.spaced++
		}
		// A hyphenated line's last word goes on on the next line: no space there.
		end := g[len(g)-1]
		lines[i].space = i < len(groups)-1 && (end.hasSpace || end.brk)
	}
	if b.marker != "" && len(lines) > 0 {
		text, w, _ := r.measure(b.marker, regular, b.size)
		m := run{text: text, st: regular, size: b.size, x: left - markerPadding - w, w: w, color: textColor}
		lines[0].runs = append([]run{m}, lines[0].runs...)
	}
	return dst[:len(dst)+len(groups)]
}

// breakEvenly chooses the line breaks of a justified paragraph that minimise the sum, over
// its lines, of their demerits (the last line of each stretch between hard breaks goes
// free), as Knuth and Plass's total-fit does: lines then stretch about evenly instead of the
// greedy fill leaving a few very loose, and words are hyphenated where that helps.
// It appends the lines to lines.
func (r *typesetter) breakEvenly(lines [][]word, words []word, avail, size float64) [][]word {
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
// cost[i] is the least cost of setting words[i:], next[i] where its first line ends. It
// reads the words' measures from r.fit, packed apart from their tokens (the loop touches
// each word about as many times as a line holds words). The lines from word i too short
// to be chosen are only summed up (see looseLines).
func (r *typesetter) fitStretch(words []word, avail, size float64, lines [][]word) [][]word {
	n := len(words)
	if cap(r.cost) <= n {
		r.cost, r.next, r.fit = make([]float64, n+1), make([]int, n+1), make([]fitWord, n+1)
		r.sums = make([]fitSums, n+2)
	}
	r.cost, r.next = r.cost[:n+1], r.next[:n+1]
	fit, sums := r.fit[:n+1], r.sums[:n+2]
	maxHy := 0.0
	for k, w := range words {
		fit[k] = fitWord{w: w.w, hy: w.hy, n: w.n}
		if w.hasSpace {
			fit[k].space, fit[k].spaces = w.space.w, 1
		}
		sums[k+1] = fitSums{words: sums[k].words + w.w, spaces: sums[k].spaces + fit[k].space}
		maxHy = max(maxHy, w.hy)
	}
	r.cost[n] = 0
	start := n - 1
	for i := n - 1; i >= 0; i-- {
		r.cost[i] = math.Inf(1)
		start = looseLines(sums, i, max(start, i), avail, maxHy)
		width, spaces, glyphs := fit[i].w, 0.0, fit[i].n
		for j := i; j < n; j++ {
			if j > i {
				width += fit[j-1].space
				spaces += fit[j-1].space
				glyphs += fit[j-1].spaces
				width += fit[j].w
				glyphs += fit[j].n
			}
			if j < start {
				continue // a line passed over for certain, only summed up
			}
			if j > i && width > avail+maxShrink*spaces+0.001 {
				break
			}
			slack := avail - width - fit[j].hy
			if j < n-1 && slack > maxStretch*spaces && fitsNext(fit, j, width, spaces, avail) {
				continue // a line that must be letter-spaced, when a fuller one can be had
			}
			c := 0.0
			switch {
			case j < n-1:
				c = demerits(slack, spaces, glyphs, size, fit[j].hy > 0)
				if i > 0 && fit[i-1].hy > 0 && fit[j].hy > 0 {
					c += doubleHyphenDemerits // the line before ends hyphenated too
				}
			case width > avail+0.001:
				c = overfull // the last line keeps its natural spacing
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

// fitSums are the widths of the words, and of their spaces, before a word.
type fitSums struct{ words, spaces float64 }

// looseLines returns the first j from i at which fitStretch must weigh the line of words
// i to j: before it, each such line is certainly one it passes over, letter-spaced
// (its spaces stretched past maxStretch even with the widest hyphen, maxHy) while the next
// word still fits. sums are the running sums of fitStretch's words (n of them), and from
// is the j found for the lines from word i+1: a line from i is longer, so passed over less
// far, and the search walks back from there (all of fitStretch's searches take as many
// steps as it has words). The sums' rounding is covered by a margin: fitStretch decides
// on its exact sums in the order it always did.
func looseLines(sums []fitSums, i, from int, avail, maxHy float64) int {
	const margin = 0.01 // pt: far more than the rounding error of a paragraph's sums
	n := len(sums) - 2
	passed := func(j int) bool { // the line i..j is passed over for certain
		words, spaces := sums[j+1].words-sums[i].words, sums[j].spaces-sums[i].spaces
		// The line with the next word: its width, words i..j+1 and the spaces between.
		withNext := sums[j+2].words - sums[i].words + sums[j+1].spaces - sums[i].spaces
		return j < n-1 && words+2*spaces < avail-maxHy-margin && withNext < avail-margin
	}
	j := min(from, n-1)
	for j > i && !passed(j-1) {
		j--
	}
	return j
}

// fitWord is what fitStretch reads of a word: its width, its space's (0 without one),
// its hyphen's, its rune count and its space's (0 or 1).
type fitWord struct {
	w, space, hy float64
	n, spaces    int
}

// fitsNext tells whether the line ending with words[j], of width and spaces, still fits
// avail with the next word.
func fitsNext(words []fitWord, j int, width, spaces, avail float64) bool {
	width += words[j+1].w + words[j].space
	spaces += words[j].space
	return width <= avail+maxShrink*spaces+0.001
}

// Justification, as fractions of the line's natural word spacing: spaces may shrink by
// maxShrink; past maxStretch the line is letter-spaced as a last resort; past maxLoose it
// is not justified.
const (
	maxShrink  = 0.2
	maxStretch = 1.0
	maxLoose   = 3.0
	// maxCharSpacing bounds letter spacing, in em: wider shows.
	maxCharSpacing = 0.02
	// hyphenPenalty and letterSpacedBadness weigh a hyphenated line and a letter-spaced
	// one against loose word spacing (TeX's badness 100 is a line stretched by half its
	// spaces' width).
	hyphenPenalty       = 100
	letterSpacedBadness = 10000
	// doubleHyphenDemerits weighs two hyphenated lines in a row, as TeX's default does.
	doubleHyphenDemerits = 10000
	// overfull is the cost of a line that does not fit: finite, so that the line breaker
	// always finds a way, even through it, rather than none.
	overfull = 1e15
)

// demerits rates a line of glyphs whose spaces (of total natural width spaces) must take
// up slack, as TeX does: the square of 10 plus its badness, plus the square of the
// hyphenation penalty if it ends hyphenated. A line that would shrink its spaces past
// maxShrink is overfull.
func demerits(slack, spaces float64, glyphs int, size float64, hyphenated bool) float64 {
	var badness float64
	switch {
	case spaces == 0 && slack > 0.001:
		// Only letter spacing can justify it, and not fully past maxCharSpacing.
		badness = letterSpacedBadness + slack/float64(max(glyphs, 1))/(maxCharSpacing*size)
	case spaces == 0:
		badness = 0
	case slack < -maxShrink*spaces-0.001:
		return overfull
	case slack > maxStretch*spaces:
		badness = letterSpacedBadness + slack/spaces
	default:
		ratio := slack / spaces / 0.5 // TeX's stretch: half a space
		if slack < 0 {
			ratio = -slack / spaces / maxShrink
		}
		badness = 100 * ratio * ratio * math.Abs(ratio)
	}
	d := (10 + badness) * (10 + badness)
	if hyphenated {
		d += hyphenPenalty * hyphenPenalty
	}
	return d
}

// placeLine places a line's runs. A justified line takes up its slack in its word spaces;
// past maxStretch of them, letter spacing takes up to maxCharSpacing of what is left if
// spacing allows it.
func placeLine(b *block, toks []token, ws []word, left, right float64, last, spacing bool, scratch []byte, runs *runArena) (line, []byte) {
	l := line{height: b.leading, left: left, right: right, heading: b.kind == heading, quote: b.quote}
	natural, spaceWidth, glyphs, spaces := 0.0, 0.0, 0, 0
	for i, w := range ws {
		natural += w.w
		glyphs += w.n
		if i < len(ws)-1 && w.hasSpace {
			natural += w.space.w
			spaceWidth += w.space.w
			glyphs++
			spaces++
		}
	}
	hy := ws[len(ws)-1].hy
	if !last && hy > 0 {
		natural += hy
		glyphs++
	}
	x, spaceExtra := left, 0.0
	switch {
	case b.align == alignRight:
		x = right - natural
	case b.align == justify && !last && glyphs > 1:
		l.tc, spaceExtra = justification(right-left-natural, spaceWidth, spaces, glyphs, b.size, spacing)
	}
	if last {
		hy = 0
	}
	l.hyphenated = hy > 0
	l.runs, scratch = buildRuns(toks, ws, b, x, l.tc, spaceExtra, hy, scratch, runs)
	return l, scratch
}

// justification returns the letter spacing and the width added to each space that make a
// line take up extra more than its natural width, letter spacing only if spacing allows.
// Spaces grown past maxLoose times their width would open holes (pdftotext even reads
// columns there): such a line, before a word too long to share it, is left ragged.
func justification(extra, spaceWidth float64, spaces, glyphs int, size float64, spacing bool) (tc, spaceExtra float64) {
	spread := extra // what letter spacing must take up
	if spaces > 0 {
		spread -= maxStretch * spaceWidth
	}
	if spread > 0.001 && spacing {
		tc = min(spread/float64(glyphs-1), maxCharSpacing*size)
		extra -= tc * float64(glyphs-1)
	}
	switch {
	case spaces == 0:
		return tc, 0
	case extra > maxLoose*spaceWidth:
		return 0, 0
	}
	return tc, extra / float64(spaces)
}

// buildRuns merges a line's tokens into runs of one style and link, each drawn as one text
// object, and ends the line with a hyphen of width hy if hy > 0. Each space is widened by
// spaceExtra (see run.wordSpacing). Run texts are gathered in scratch, then cut from one
// string: a line allocates one string, and its runs come from arena.
func buildRuns(toks []token, ws []word, b *block, x, tc, spaceExtra, hy float64, scratch []byte, arena *runArena) ([]run, []byte) {
	runs := arena.get(2)
	var endsBuf [16]int
	ends := endsBuf[:0] // end of each run's text in scratch
	scratch = scratch[:0]
	add := func(t token) {
		w := t.w + tc*float64(t.n)
		if t.text == " " {
			w += spaceExtra
		}
		if n := len(runs); n > 0 && runs[n-1].st == t.st && runs[n-1].link == t.link {
			scratch = append(scratch, t.text...)
			ends[n-1] = len(scratch)
			runs[n-1].w += w
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
		runs = append(runs, run{st: t.st, size: b.size, link: t.link, w: w, wordSpacing: spaceExtra, color: c})
	}
	for i, w := range ws {
		for _, t := range toks[w.start:w.end] {
			add(t)
		}
		if i < len(ws)-1 && w.hasSpace {
			add(w.space)
		}
	}
	if hy > 0 {
		last := toks[ws[len(ws)-1].end-1]
		add(token{text: "-", st: last.st, link: last.link, w: hy, n: 1})
	}
	from, all := 0, string(scratch)
	for i := range runs {
		runs[i].text = all[from:ends[i]]
		from = ends[i]
		runs[i].x = x
		x += runs[i].w
		if i == len(runs)-1 && tc > 0 {
			runs[i].w -= tc // no spacing after the last glyph
		}
	}
	return runs, scratch
}
