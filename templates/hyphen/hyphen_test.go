package hyphen

import (
	"strings"
	"testing"

	"portevoix/assets"
)

func mustPatterns(tb testing.TB) *Patterns {
	tb.Helper()
	p, err := Parse(assets.FrenchHyphenation)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return p
}

// show writes word with "-|" at each break.
func show(word string, breaks []int) string {
	var sb strings.Builder
	last := 0
	for _, at := range breaks {
		sb.WriteString(word[last:at])
		sb.WriteString("-|")
		last = at
	}
	sb.WriteString(word[last:])
	return sb.String()
}

func TestBreaks(t *testing.T) {
	b := Breaker{Patterns: mustPatterns(t)}
	tests := []struct{ name, word, want string }{
		{"OK", "souveraineté", "sou-|ve-|rai-|neté"},
		{"OK", "approvisionnement", "ap-|pro-|vi-|sion-|ne-|ment"},
		{"OK", "thérapeutiques", "thé-|ra-|peu-|tiques"},
		{"OK", "biomédicaments", "bio-|mé-|di-|ca-|ments"},
		{"OK", "développement", "dé-|ve-|lop-|pe-|ment"},
		{"OK", "réglementaire", "ré-|gle-|men-|taire"},
		{"Ligature", "œuvrer", "œu-|vrer"},
		{"Elision", "l’innovation", "l’in-|no-|va-|tion"},
		{"Elision", "d’augmentation", "d’aug-|men-|ta-|tion"},
		{"Punctuation", "(subventions,", "(sub-|ven-|tions,"},
		{"ThreeAfter", "chercheurs", "cher-|cheurs"},
		{"ThreeAfter", "neté", "neté"},
		{"TwoBefore", "exigeant", "exi-|geant"},
		{"Short", "santé", "santé"},
		{"Compound", "savoir-faire", "sa-|voir-faire"},
		{"Compound", "peut-être", "peut-être"},
		{"HyphenDigit", "COVID-19", "COVID-19"},
		{"HyphenDigit", "covid-19", "co-|vid-19"},
		{"Name", "Lyonbiopôle", "Lyonbiopôle"},
		{"Name", "Hauts-de-France", "Hauts-de-France"},
		{"Name", "Agostino-Etchetto", "Agostino-Etchetto"},
		{"Acronym", "HEALTHTECH", "HEALTHTECH"},
		{"Email", "barto@example.org", "barto@example.org"},
		{"URL", "https://example.org/presse/communiques", "https://example.org/presse/communiques"},
		{"Domain", "www.example.org", "www.example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(tt.word, b.Breaks(tt.word, nil)); got != tt.want {
				t.Errorf("Breaks(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

// TestHyphenateMinimum checks the two-before, three-after rule on every word of a text
// against what the patterns alone allow.
func TestHyphenateMinimum(t *testing.T) {
	p := mustPatterns(t)
	for _, w := range strings.Fields("anticipation extrêmement industrialisation européennes académiques") {
		at, _ := p.Hyphenate([]rune(w), nil, nil)
		if len(at) == 0 {
			t.Errorf("Hyphenate(%q): no break", w)
		}
		for _, i := range at {
			if i < 2 || len([]rune(w))-i < 3 {
				t.Errorf("Hyphenate(%q): break at %d", w, i)
			}
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, data string
		ok         bool
	}{
		{"OK", "UTF-8\nLEFTHYPHENMIN 2\n% comment\n1ba\n", true},
		{"ErrEmpty", "UTF-8\nNEXTLEVEL\n", false},
		{"ErrNoLetters", "UTF-8\n12\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.data))
			if (err == nil) != tt.ok {
				t.Errorf("Parse: err = %v, want ok = %v", err, tt.ok)
			}
		})
	}
}

// TestParseMergesDuplicates: the French file lists some patterns twice (with both
// apostrophes); their values must merge, not replace one another.
func TestParseMergesDuplicates(t *testing.T) {
	p, err := Parse([]byte("UTF-8\na3b\n2ab\n"))
	if err != nil {
		t.Fatal(err)
	}
	at, _ := p.Hyphenate([]rune("xxabxxx"), nil, nil)
	if len(at) != 1 || at[0] != 3 {
		t.Errorf("Hyphenate = %v, want [3]", at)
	}
}

// BenchmarkParse reads the French patterns, as generating french_table.go does (the
// renderer takes them parsed, see French).
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(assets.FrenchHyphenation); err != nil {
			b.Fatal(err)
		}
	}
}
