// Package hyphen finds where French words may be hyphenated at a line end, with Frank
// Liang's algorithm (the one TeX uses) and the French TeX patterns (assets/hyphen), and the
// rules of French typesetting: two letters at least before a break and three after, no
// break in a name, an e-mail address or a URL, nor at a hyphen followed by a digit.
package hyphen

import (
	"bufio"
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
func Parse(data []byte) (*Patterns, error) {
	table := map[string][]uint8{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if n == 1 || len(line) == 0 || line[0] == '%' || isKeyword(line) {
			continue
		}
		letters, values, err := parsePattern(string(line))
		if err != nil {
			return nil, fmt.Errorf("hyphenation patterns line %d: %w", n, err)
		}
		if old, ok := table[letters]; ok {
			for i := range values {
				values[i] = max(values[i], old[i])
			}
		}
		table[letters] = values
	}
	if len(table) == 0 {
		return nil, errors.New("hyphenation patterns: none found")
	}
	return build(table), nil
}

// isKeyword tells libhyphen's keyword lines, all capitals (LEFTHYPHENMIN 2, NEXTLEVEL).
func isKeyword(line []byte) bool {
	return line[0] >= 'A' && line[0] <= 'Z'
}

// parsePattern splits "a1b2r" into its letters "abr" and the values between them.
func parsePattern(p string) (string, []uint8, error) {
	var letters []rune
	values := []uint8{0}
	for _, c := range p {
		if c >= '0' && c <= '9' {
			values[len(values)-1] = uint8(c - '0')
			continue
		}
		letters = append(letters, fold(c))
		values = append(values, 0)
	}
	if len(letters) == 0 {
		return "", nil, fmt.Errorf("pattern %q has no letters", p)
	}
	return string(letters), values, nil
}

// build puts the patterns into a trie, breadth by breadth so that each node's edges are
// contiguous.
func build(table map[string][]uint8) *Patterns {
	keys := make([][]rune, 0, len(table))
	for k := range table {
		keys = append(keys, []rune(k))
	}
	slices.SortFunc(keys, slices.Compare)
	p := &Patterns{}
	p.subtree(keys, 0, table)
	for c := range p.root {
		p.root[c] = p.scan(0, rune(c))
	}
	return p
}

// subtree adds the node for the common prefix of keys (whose first depth letters are
// equal) and its descendants, and returns its index.
func (p *Patterns) subtree(keys [][]rune, depth int, table map[string][]uint8) int32 {
	at := int32(len(p.nodes))
	p.nodes = append(p.nodes, node{value: -1})
	if len(keys[0]) == depth {
		p.nodes[at].value = int32(len(p.values))
		p.values = append(p.values, table[string(keys[0])])
		keys = keys[1:]
	}
	// Group the remaining keys by their letter at depth; reserve the edges first.
	var groups [][][]rune
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j][depth] == keys[i][depth] {
			j++
		}
		groups = append(groups, keys[i:j])
		i = j
	}
	first := int32(len(p.edges))
	p.nodes[at].first, p.nodes[at].count = first, int32(len(groups))
	for _, g := range groups {
		p.edges = append(p.edges, edge{c: g[0][depth]})
	}
	for i, g := range groups {
		child := p.subtree(g, depth+1, table)
		p.edges[first+int32(i)].next = child
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
