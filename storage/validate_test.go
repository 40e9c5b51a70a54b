package storage_test

import (
	"strings"
	"testing"

	"portevoix/storage"
)

// TestValidateLinesAndWords checks the one-line field rules that imports run on every row:
// control characters anywhere (C0, DEL, C1, after accented letters too) are refused, a
// length counts characters, not bytes, and labels lose blanks and case-insensitive repeats.
func TestValidateLinesAndWords(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ok          bool
	}{
		{"Accents", "Élodie D’Artagnan-Lœuvre", true},
		{"LineSeparator", "Élodie\u2028", true}, // not a control character for unicode.IsControl
		{"Tab", "Élodie\tLefèvre", false},
		{"Escape", "\x1b[31mÉlodie", false},
		{"Delete", "Élodie\x7f", false},
		{"C1AfterAccent", "Élo\u0085die", false},
		{"C1AfterASCII", "Elo\u009bdie", false},
		{"200Characters", strings.Repeat("é", 200), true},
		{"201Characters", strings.Repeat("é", 201), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &storage.Contact{FirstName: tc.value, Email: "elodie@example.org"}
			if err := c.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate(%q) = %v, want ok %v", tc.value, err, tc.ok)
			}
		})
	}
	c := &storage.Contact{Email: "elodie@example.org", Tags: []string{" santé ", "Santé", "", "SANTÉ", "économie", "santé"}}
	if err := c.Validate(); err != nil || strings.Join(c.Tags, "|") != "santé|économie" {
		t.Fatalf("tags %q, %v", c.Tags, err)
	}
	c.Tags = []string{"santé\x00"}
	if err := c.Validate(); err == nil {
		t.Fatal("a tag with a NUL passed")
	}
}
