package unsubscribe_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"portevoix/server/unsubscribe"
)

var secret = []byte("0123456789abcdef0123456789abcdef")

func TestRoundTrip(t *testing.T) {
	for _, id := range []uint64{unsubscribe.TestID, 1, 42, 1 << 40, ^uint64(0)} {
		token := unsubscribe.Token(secret, id)
		got, err := unsubscribe.Verify(secret, token)
		if err != nil || got != id {
			t.Fatalf("Verify(Token(%d)) = %d, %v", id, got, err)
		}
		if strings.ContainsAny(token, "+/=%?#&") {
			t.Fatalf("token %q is not URL-safe", token)
		}
	}
}

func TestTokenIsStable(t *testing.T) {
	if a, b := unsubscribe.Token(secret, 7), unsubscribe.Token(secret, 7); a != b {
		t.Fatalf("same id, two tokens: %q %q", a, b)
	}
	if unsubscribe.Token(secret, 7) == unsubscribe.Token([]byte("another secret"), 7) {
		t.Fatal("the token must depend on the secret")
	}
}

func TestForgedTokens(t *testing.T) {
	good := unsubscribe.Token(secret, 42)
	dot := strings.IndexByte(good, '.')
	cases := map[string]string{
		"Empty":         "",
		"Garbage":       "n'importe quoi",
		"NoMAC":         "42",
		"EmptyMAC":      "42.",
		"NoID":          good[dot:],
		"ZeroID":        "0" + good[dot:],
		"LeadingZero":   "0" + good,
		"PlusSign":      "+" + good,
		"OtherID":       "43" + good[dot:],
		"Truncated":     good[:len(good)-1],
		"Extended":      good + "A",
		"OtherSecret":   unsubscribe.Token([]byte("another secret"), 42),
		"VeryLong":      good + strings.Repeat("A", 1<<16),
		"Padded":        good + "==",
		"TwoDots":       "42." + good,
		"NegativeID":    "-42" + good[dot:],
		"IDOverflow":    "18446744073709551616" + good[dot:],
		"UpperCaseMAC":  good[:dot+1] + strings.ToUpper(good[dot+1:]),
		"StandardAlpha": strings.NewReplacer("-", "+", "_", "/").Replace(good) + "+",
	}
	for i := range len(good) {
		if good[i] == '.' {
			continue
		}
		flipped := []byte(good)
		flipped[i] = flip(flipped[i])
		cases[fmt.Sprintf("Flip%02d", i)] = string(flipped)
	}
	for name, token := range cases {
		t.Run(name, func(t *testing.T) {
			if token == good {
				t.Skip("the case did not change the token")
			}
			id, err := unsubscribe.Verify(secret, token)
			if !errors.Is(err, unsubscribe.ErrInvalid) || id != 0 {
				t.Fatalf("Verify(%q) = %d, %v; want ErrInvalid", token, id, err)
			}
		})
	}
}

// flip changes a token byte into another byte of the same alphabet.
func flip(b byte) byte {
	if b == 'A' {
		return 'B'
	}
	return 'A'
}

func FuzzVerify(f *testing.F) {
	f.Add(unsubscribe.Token(secret, 42))
	f.Add("42.AAAAAAAAAAAAAAAAAAAAAA")
	f.Fuzz(func(t *testing.T, token string) {
		id, err := unsubscribe.Verify(secret, token)
		if err == nil && unsubscribe.Token(secret, id) != token {
			t.Fatalf("accepted %q, which Token never makes", token)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	token := unsubscribe.Token(secret, 123456)
	for b.Loop() {
		if _, err := unsubscribe.Verify(secret, token); err != nil {
			b.Fatal(err)
		}
	}
}
