package pdf

import (
	"math"
	"testing"
)

// TestFitStretchPassesOverOnlyLooseLines checks that fitStretch, which only sums up the
// lines it is certain to pass over (looseLines), breaks every justified paragraph of the
// seed communiqués, at several widths, exactly as weighing every line does.
func TestFitStretchPassesOverOnlyLooseLines(t *testing.T) {
	r := mustRenderer(t)
	ts := &typesetter{Renderer: r}
	compared := 0
	for name, doc := range seedDocuments(t) {
		blocks, _ := toBlocks(doc.Root, doc.Source, nil)
		for _, b := range blocks {
			if b.align != justify {
				continue
			}
			for _, scale := range []float64{0.35, 0.5, 0.72, 1, 1.4} {
				avail := (contentRight - contentLeft - b.indent) * scale
				_, words := ts.words(b.pieces, b.size, avail, true)
				for start := 0; start < len(words); {
					end := start
					for end < len(words)-1 && !words[end].brk {
						end++
					}
					stretch := words[start : end+1]
					got := ts.fitStretch(stretch, avail, b.size, nil)
					want := weighEveryLine(stretch, avail, b.size)
					if len(got) != len(want) {
						t.Fatalf("%s at %.0f pt: %d lines, want %d", name, avail, len(got), len(want))
					}
					for k := range got {
						if len(got[k]) != want[k] {
							t.Fatalf("%s at %.0f pt: line %d has %d words, want %d", name, avail, k, len(got[k]), want[k])
						}
					}
					compared++
					start = end + 1
				}
			}
		}
	}
	if compared < 50 {
		t.Fatalf("only %d paragraphs compared", compared)
	}
}

// weighEveryLine is fitStretch as it was before looseLines: every line from each word is
// weighed. It returns the number of words of each line.
func weighEveryLine(words []word, avail, size float64) []int {
	n := len(words)
	cost, next := make([]float64, n+1), make([]int, n+1)
	fit := make([]fitWord, n+1)
	for k, w := range words {
		fit[k] = fitWord{w: w.w, hy: w.hy, n: w.n}
		if w.hasSpace {
			fit[k].space, fit[k].spaces = w.space.w, 1
		}
	}
	for i := n - 1; i >= 0; i-- {
		cost[i] = math.Inf(1)
		width, spaces, glyphs := 0.0, 0.0, 0
		for j := i; j < n; j++ {
			if j > i {
				width += fit[j-1].space
				spaces += fit[j-1].space
				glyphs += fit[j-1].spaces
			}
			width += fit[j].w
			glyphs += fit[j].n
			if j > i && width > avail+maxShrink*spaces+0.001 {
				break
			}
			slack := avail - width - fit[j].hy
			if j < n-1 && slack > maxStretch*spaces && fitsNext(fit, j, width, spaces, avail) {
				continue
			}
			c := 0.0
			switch {
			case j < n-1:
				c = demerits(slack, spaces, glyphs, size, fit[j].hy > 0)
				if i > 0 && fit[i-1].hy > 0 && fit[j].hy > 0 {
					c += doubleHyphenDemerits
				}
			case width > avail+0.001:
				c = overfull
			}
			if c+cost[j+1] < cost[i] {
				cost[i], next[i] = c+cost[j+1], j+1
			}
		}
	}
	var lines []int
	for i := 0; i < n; i = next[i] {
		lines = append(lines, next[i]-i)
	}
	return lines
}
