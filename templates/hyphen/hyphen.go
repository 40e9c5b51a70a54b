// Package hyphen finds where French words may be hyphenated at a line end, with Frank
// Liang's algorithm (the one TeX uses) and the French TeX patterns (assets/hyphen), and the
// rules of French typesetting: two letters at least before a break and three after, no
// break in a name, an e-mail address or a URL, nor at the word's own hyphens (see
// Breaker.Breaks).
package hyphen

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"unicode"
)

// Minimum letters of a word before and after a break.
const (
	minBefore = 2
	minAfter  = 3
)

// Patterns is a parsed set of Liang patterns, held in a trie over lowercase letters. It is
// read-only once parsed, so safe for concurrent use.
type Patterns struct {
	root   [128]int32 // the root's children by ASCII letter, -1 for none
	nodes  []node
	edges  []edge    // each node's children, sorted by letter, contiguous
	values [][]uint8 // the inter-letter values of the pattern ending at a node
}

type node struct {
	first, count int32 // the node's edges: edges[first : first+count]
	value        int32 // index in values, -1 if no pattern ends here
}

type edge struct {
	c    rune
	next int32
}

// Parse reads patterns in libhyphen's format (the .dic files of LibreOffice and Debian's
// hyphen-* packages): a charset line, keyword lines (LEFTHYPHENMIN…, NEXTLEVEL), comments
// starting with %, then one pattern a line, digits between letters. The typographic
// apostrophe is read as ', as Hyphenate looks words up.
//
// Parse inserts each pattern straight into a trie, with no map, sort or allocation per
// pattern (through a map of strings and sorted slices of runes, the French patterns took
// 2.2 ms, against 0.55 ms now). The renderer does not even pay that: French is Parse's
// result for the French patterns, generated.
func Parse(data []byte) (*Patterns, error) {
	// About one node per pattern letter: the French file's 2,700 patterns make 4,300 nodes.
	t := trieBuilder{nodes: make([]builderNode, 1, len(data)/5+1), values: make([]uint8, 0, len(data))}
	var letters [32]rune
	var values [33]uint8
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimSpace(line)
		if n == 1 || len(line) == 0 || line[0] == '%' || isKeyword(line) {
			continue
		}
		l, v := parsePattern(line, letters[:0], values[:0])
		if len(l) == 0 {
			return nil, fmt.Errorf("hyphenation patterns line %d: pattern %q has no letters", n, line)
		}
		t.insert(l, v)
	}
	if t.patterns == 0 {
		return nil, errors.New("hyphenation patterns: none found")
	}
	p := &Patterns{nodes: make([]node, 0, len(t.nodes)), edges: make([]edge, 0, len(t.nodes)-1),
		values: make([][]uint8, 0, t.patterns)}
	t.flatten(p, 0)
	for c := range p.root {
		p.root[c] = p.scan(0, rune(c))
	}
	return p, nil
}

// French returns the French TeX patterns (assets/hyphen/hyph_fr.dic, read by Parse when
// the package is generated, see french_table.go): parsing them at each `portevoix pdf`
// took half a millisecond. The patterns are shared and read-only.
//
//go:generate go test -run TestFrenchTable -update .
func French() *Patterns {
	return &frenchPatterns
}

// isKeyword tells libhyphen's keyword lines, all capitals (LEFTHYPHENMIN 2, NEXTLEVEL).
func isKeyword(line []byte) bool {
	return line[0] >= 'A' && line[0] <= 'Z'
}

// parsePattern splits "a1b2r" into its letters "abr" and the values between them,
// appended to letters and values.
func parsePattern(p []byte, letters []rune, values []uint8) ([]rune, []uint8) {
	values = append(values, 0)
	for _, c := range string(p) {
		if c >= '0' && c <= '9' {
			values[len(values)-1] = uint8(c - '0')
			continue
		}
		letters = append(letters, fold(c))
		values = append(values, 0)
	}
	return letters, values
}

// trieBuilder is a trie under construction, each node's children in a list sorted by
// letter; flatten turns it into a Patterns.
type trieBuilder struct {
	nodes    []builderNode // nodes[0] is the root
	values   []uint8       // every pattern's values, back to back
	patterns int
}

type builderNode struct {
	c           rune
	child, next int32 // first child and next sibling, 0 for none (the root is neither)
	value, end  int32 // the pattern ending here: values[value:end], empty if none
}

// insert adds a pattern; a pattern already present (the same letters once folded) keeps,
// between each two letters, the greater of the two values.
func (t *trieBuilder) insert(letters []rune, values []uint8) {
	n := int32(0)
	for _, c := range letters {
		n = t.child(n, c)
	}
	if nd := &t.nodes[n]; nd.end > nd.value {
		for i, v := range t.values[nd.value:nd.end] {
			t.values[int(nd.value)+i] = max(v, values[i])
		}
		return
	}
	t.nodes[n].value = int32(len(t.values))
	t.values = append(t.values, values...)
	t.nodes[n].end = int32(len(t.values))
	t.patterns++
}

// child returns node n's child by letter c, added in its place if missing.
func (t *trieBuilder) child(n int32, c rune) int32 {
	link := &t.nodes[n].child
	for *link != 0 && t.nodes[*link].c < c {
		link = &t.nodes[*link].next
	}
	if *link != 0 && t.nodes[*link].c == c {
		return *link
	}
	at := int32(len(t.nodes))
	next := *link
	*link = at // before append, which may move the nodes link points into
	t.nodes = append(t.nodes, builderNode{c: c, next: next})
	return at
}

// flatten appends node n and its descendants to p, depth first, so that each node's
// edges are contiguous, and returns n's index in p.nodes.
func (t *trieBuilder) flatten(p *Patterns, n int32) int32 {
	at := int32(len(p.nodes))
	p.nodes = append(p.nodes, node{value: -1})
	if nd := t.nodes[n]; nd.end > nd.value {
		p.nodes[at].value = int32(len(p.values))
		p.values = append(p.values, t.values[nd.value:nd.end:nd.end])
	}
	first := int32(len(p.edges))
	for c := t.nodes[n].child; c != 0; c = t.nodes[c].next {
		p.edges = append(p.edges, edge{c: t.nodes[c].c})
	}
	p.nodes[at].first, p.nodes[at].count = first, int32(len(p.edges))-first
	for i, c := first, t.nodes[n].child; c != 0; i, c = i+1, t.nodes[c].next {
		p.edges[i].next = t.flatten(p, c)
	}
	return at
}

// child is node n's child by letter c, or -1.
func (p *Patterns) child(n int32, c rune) int32 {
	if n == 0 && c < 128 {
		return p.root[c]
	}
	return p.scan(n, c)
}

func (p *Patterns) scan(n int32, c rune) int32 {
	nd := p.nodes[n]
	for _, e := range p.edges[nd.first : nd.first+nd.count] {
		if e.c == c {
			return e.next
		}
		if e.c > c {
			break
		}
	}
	return -1
}

// fold lowercases a letter as the patterns are written, with the typographic apostrophe
// as '.
func fold(c rune) rune {
	if c == '’' {
		return '\''
	}
	return unicode.ToLower(c)
}

// Hyphenate appends to out the rune positions in word (letters only, any case) before
// which a hyphen may go by the patterns, keeping minBefore letters before and minAfter
// after. scratch is reused for the word's values and may be nil; it is returned grown.
func (p *Patterns) Hyphenate(word []rune, out []int, scratch []uint8) ([]int, []uint8) {
	n := len(word)
	if n < minBefore+minAfter {
		return out, scratch
	}
	// dotted is ".word." folded; values[i] is the value before dotted[i].
	var buf [64]rune
	dotted := append(buf[:0], '.')
	for _, c := range word {
		dotted = append(dotted, fold(c))
	}
	dotted = append(dotted, '.')
	values := slices.Grow(scratch[:0], n+3)[:n+3]
	clear(values)
	for start := range dotted {
		cur := int32(0)
		for _, c := range dotted[start:] {
			if cur = p.child(cur, c); cur < 0 {
				break
			}
			if v := p.nodes[cur].value; v >= 0 {
				for k, x := range p.values[v] {
					values[start+k] = max(values[start+k], x)
				}
			}
		}
	}
	for i := minBefore; i <= n-minAfter; i++ {
		if values[i+1]%2 == 1 {
			out = append(out, i)
		}
	}
	return out, values
}
