// Package diff compares two texts word by word, as the staff pages show what changed
// between two revisions of a communiqué.
package diff

import "strings"

// Kind says whether a chunk is in both texts, only in the new one or only in the old one.
type Kind int

// The kinds of chunk.
const (
	Equal Kind = iota
	Insert
	Delete
)

// Chunk is a run of words of one kind. Words are joined by single spaces; a line break is
// its own word, "\n".
type Chunk struct {
	Kind Kind
	Text string
}

// maxCells bounds the comparison table: past it, the changed middle of the texts is shown as
// deleted then inserted as a whole, rather than spending seconds on a huge edit.
const maxCells = 4_000_000

// Words returns the chunks that turn old into new, the longest common sequence of words
// kept as Equal. Whitespace other than line breaks is not compared.
func Words(old, new string) []Chunk {
	a, b := words(old), words(new)
	prefix := commonPrefix(a, b)
	suffix := commonSuffix(a[prefix:], b[prefix:])
	var out chunker
	out.add(Equal, a[:prefix]...)
	middle(&out, a[prefix:len(a)-suffix], b[prefix:len(b)-suffix])
	out.add(Equal, a[len(a)-suffix:]...)
	return out.chunks
}

// Changed reports whether chunks hold any insertion or deletion.
func Changed(chunks []Chunk) bool {
	for _, c := range chunks {
		if c.Kind != Equal {
			return true
		}
	}
	return false
}

// words splits a text into its words, each line break a word of its own. Only ASCII
// spaces separate words: the no-break spaces of French typography (U+00A0, U+202F) are part
// of the text shown, and splitting at them would lose them when the chunks are joined.
func words(s string) []string {
	var out []string
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, line := range lines {
		out = append(out, strings.FieldsFunc(line, isASCIISpace)...)
		if i < len(lines)-1 {
			out = append(out, "\n")
		}
	}
	return out
}

func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

// middle compares what lies between the common prefix and suffix by the longest common
// subsequence: lcs[i][j] is its length for a[i:] and b[j:].
func middle(out *chunker, a, b []string) {
	if len(a)*len(b) > maxCells {
		out.add(Delete, a...)
		out.add(Insert, b...)
		return
	}
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out.add(Equal, a[i])
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out.add(Delete, a[i])
			i++
		default:
			out.add(Insert, b[j])
			j++
		}
	}
	out.add(Delete, a[i:]...)
	out.add(Insert, b[j:]...)
}

// chunker gathers words into chunks, a new chunk when the kind changes.
type chunker struct{ chunks []Chunk }

func (c *chunker) add(kind Kind, words ...string) {
	for _, w := range words {
		if n := len(c.chunks); n > 0 && c.chunks[n-1].Kind == kind {
			c.chunks[n-1].Text += " " + w
			continue
		}
		c.chunks = append(c.chunks, Chunk{Kind: kind, Text: w})
	}
}

func isASCIISpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\v' || r == '\f'
}
