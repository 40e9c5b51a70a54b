package pdf

import (
	"math"
	"strconv"
	"testing"
)

// TestTextMovesReachLayout follows the Td moves of each page's text, from the origin at
// each BT, and expects every run drawn where the layout placed it, to the hundredth of a
// point (as the absolute Tm matrices placed it): the moves neither drift nor miss a reset.
func TestTextMovesReachLayout(t *testing.T) {
	r := mustRenderer(t)
	docs := seedDocuments(t)
	docs["long"] = mustDocument(t, longBody(30))
	for name, doc := range docs {
		lay := r.layout(doc, nil)
		b := newRenderBuffers()
		if err := r.draw(doc, lay, b); err != nil {
			t.Fatal(err)
		}
		if len(b.pageEnds) != len(lay.pages) {
			t.Fatalf("%s: %d pages of text, want %d", name, len(b.pageEnds), len(lay.pages))
		}
		start := 0
		for p, pg := range lay.pages {
			var want [][2]int64
			for _, l := range pg.lines {
				for _, rn := range l.runs {
					want = append(want, [2]int64{hundredths(rn.x), hundredths(pageHeight - l.baseline())})
				}
			}
			got := textOrigins(t, b.text[start:b.pageEnds[p]])
			start = b.pageEnds[p]
			if len(got) != len(want)+1 { // and the page number's
				t.Fatalf("%s page %d: %d text moves, want %d", name, p+1, len(got), len(want)+1)
			}
			for k := range want {
				if got[k] != want[k] {
					t.Fatalf("%s page %d: run %d drawn at %v hundredths of a point, laid out at %v", name, p+1, k, got[k], want[k])
				}
			}
		}
	}
}

// textOrigins returns the text line origin each Td moves to, in hundredths of a point.
func textOrigins(t *testing.T, ops []byte) [][2]int64 {
	var origins [][2]int64
	var at [2]int64
	var operands []string
	for _, tok := range contentTokens(ops) {
		if !isOperator(tok) {
			operands = append(operands, tok)
			continue
		}
		switch tok {
		case "BT":
			at = [2]int64{}
		case "Td":
			for i, o := range operands[len(operands)-2:] {
				v, err := strconv.ParseFloat(o, 64)
				if err != nil {
					t.Fatalf("Td operand %q: %v", o, err)
				}
				at[i] += int64(math.Round(v * 100))
			}
			origins = append(origins, at)
		}
		operands = operands[:0]
	}
	return origins
}
