package pdf

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendFixedMatchesStrconv checks appendFixed against strconv's exact formatting on
// page coordinates, sizes and spacing, halves apart (which it rounds away from zero).
func TestAppendFixedMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		v := (rng.Float64()*2 - 1) * 1000
		for _, d := range []int{2, 3} {
			scaled := math.Abs(v) * math.Pow10(d)
			if math.Abs(scaled-math.Floor(scaled)-0.5) < 1e-6 {
				continue
			}
			want := strconv.FormatFloat(v, 'f', d, 64)
			if want == "-0.00" || want == "-0.000" {
				want = want[1:]
			}
			if got := string(appendFixed(nil, v, d, false)); got != want {
				t.Fatalf("appendFixed(%v, %d) = %s, want %s", v, d, got, want)
			}
		}
		want := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
		if want == "-0" {
			want = "0"
		}
		if got := string(appendNumber(nil, v)); got != want {
			t.Fatalf("appendNumber(%v) = %s, want %s", v, got, want)
		}
	}
	for _, c := range []struct {
		v    float64
		want string
	}{{0, "0"}, {12, "12"}, {-0.5, "-0.5"}, {0.0004, "0"}, {-0.0004, "0"}, {10.05, "10.05"}, {1.125, "1.125"}} {
		if got := string(appendNumber(nil, c.v)); got != c.want {
			t.Errorf("appendNumber(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}

// TestAppendGlyphLiteral checks that every glyph id written into a literal string reads
// back as its two bytes, the string ending where it should: the bytes that are parentheses,
// a backslash or an end of line are escaped.
func TestAppendGlyphLiteral(t *testing.T) {
	for g := range 1 << 16 {
		lit := append(appendGlyph([]byte("("), uint16(g)), ")"...)
		if end := literalEnd(append(lit, ")"...), 0); end != len(lit) {
			t.Fatalf("glyph %#04x: %q ends at %d, want %d", g, lit, end, len(lit))
		}
		if got := literalBytes(t, string(lit)); len(got) != 2 || uint16(got[0])<<8|uint16(got[1]) != uint16(g) {
			t.Fatalf("glyph %#04x: %q reads back as %x", g, lit, got)
		}
	}
}

// TestAppendHundredths checks the text moves' numbers against appendFixed, on every
// hundredth from -1,000 to 1,000 points, and that hundredths rounds as appendFixed does.
func TestAppendHundredths(t *testing.T) {
	for n := int64(-100_000); n <= 100_000; n++ {
		v := float64(n) / 100
		if got, want := string(appendHundredths(nil, n)), string(appendFixed(nil, v, 2, true)); got != want {
			t.Fatalf("appendHundredths(%d) = %q, want %q", n, got, want)
		}
	}
	for _, v := range []float64{0.004, 0.005, -0.005, 62, 777.265, -12.345, 841.89 - 63.625} {
		if got, want := string(appendHundredths(nil, hundredths(v))), string(appendFixed(nil, v, 2, true)); got != want {
			t.Errorf("hundredths(%v) written %q, want %q", v, got, want)
		}
	}
}
