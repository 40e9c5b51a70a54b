package typo

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// vis shows the typographic spaces of s so that failures are readable.
func vis(s string) string {
	return strings.NewReplacer("\u00A0", "⍽", "\u202F", "·").Replace(s)
}

// In the expectations below, ⍽ is U+00A0 and · is U+202F.
var textCases = []struct{ name, in, want string }{
	// Guillemets.
	{"StraightQuotes", `Il a dit "bonjour" hier`, "Il a dit «·bonjour·» hier"},
	{"CurlyQuotes", `“Start-up nation”`, "«·Start-up nation·»"},
	{"GuillemetsNoSpace", "«Start-up nation»", "«·Start-up nation·»"},
	{"GuillemetsSpaces", "«  Start-up nation »", "«·Start-up nation·»"},
	{"GuillemetsNBSP", "«\u00A0oui\u00A0»", "«·oui·»"},
	{"QuoteAfterParen", `("oui")`, "(«·oui·»)"},
	// High punctuation.
	{"Semicolon", "un ; deux;trois; quatre", "un·; deux;trois·; quatre"},
	{"Exclamation", "Enfin!", "Enfin·!"},
	{"Question", "Vraiment ?", "Vraiment·?"},
	{"QuestionExclamation", "Quoi ?!", "Quoi·?!"},
	{"ColonTyped", "Note: texte", "Note⍽: texte"},
	{"ColonSpaced", "Note : texte", "Note⍽: texte"},
	{"ColonNNBSP", "Note\u202F: texte", "Note⍽: texte"},
	{"ColonAtEnd", "par des mesures :", "par des mesures⍽:"},
	{"ColonAfterGuillemet", `"Non": dit-il`, "«·Non·»⍽: dit-il"},
	{"PunctuationInsideGuillemets", `"Pourquoi?"`, "«·Pourquoi·?·»"},
	// Apostrophe, ellipsis, spaces.
	{"Apostrophe", "l'épidémie d'un pays", "l’épidémie d’un pays"},
	{"Ellipsis", "ARS...)", "ARS…)"},
	{"DoubleSpaces", "les  6   pôles\tde", "les 6 pôles de"},
	{"Trim", "  titre  ", "titre"},
	// Thousands.
	{"GroupedSpaces", "1 500 adhérents, dont 1 000 PME", "1·500 adhérents, dont 1·000 PME"},
	{"GroupedMillions", "12 000 000 €", "12·000·000·€"},
	{"FourDigitsNoun", "1500 adhérents", "1·500 adhérents"},
	{"FourDigitsCurrency", "2500 € et 2500€", "2·500·€ et 2·500€"},
	{"FiveDigits", "12500 emplois", "12·500 emplois"},
	{"FiveDigitsEndOfSentence", "soit 12500.", "soit 12·500."},
	{"SevenDigits", "1234567", "1·234·567"},
	{"DecimalComma", "12500,75 et 3,14159", "12·500,75 et 3,14159"},
	// Left alone.
	{"YearAfterMonth", "le 12 mai 2020 les", "le 12 mai 2020 les"},
	{"YearAfterEn", "en 2020 les pôles", "en 2020 les pôles"},
	{"YearDepuis", "santé depuis 2005 au bénéfice", "santé depuis 2005 au bénéfice"},
	{"YearVerb", "2020 a été rude, 2021 sera", "2020 a été rude, 2021 sera"},
	{"YearRange", "entre 2019 et 2020", "entre 2019 et 2020"},
	{"YearAlone", "Copyright 2020", "Copyright 2020"},
	{"ISODate", "le 2020-05-12", "le 2020-05-12"},
	{"SlashDate", "le 12/05/2020", "le 12/05/2020"},
	{"Identifiers", "COVID-19, A320, 5G", "COVID-19, A320, 5G"},
	{"PhonePairs", "06 74 29 84 06", "06 74 29 84 06"},
	{"PhoneDots", "03.28.55.90.60", "03.28.55.90.60"},
	{"PhoneGlued", "0674298406", "0674298406"},
	{"PhoneInternational", "+33674298406", "+33674298406"},
	{"PostalCode", "69007 Lyon", "69007 Lyon"},
	{"Percent", "17% des produits", "17% des produits"},
	{"PercentSpace", "11 % du PIB, 5\u00a0‰", "11·% du PIB, 5·‰"},
	{"EuroSpace", "12500 € et 2 500 €", "12·500·€ et 2·500·€"},
	{"Time", "à 10:30 ou 10h30", "à 10:30 ou 10h30"},
	{"Ratio", "un ratio 3:2 ou 16:9", "un ratio 3:2 ou 16:9"},
	{"URL", "voir https://example.org/l'a...b?c=d:e ou www.example.org/p!", "voir https://example.org/l'a...b?c=d:e ou www.example.org/p·!"},
	{"URLFullStop", "voir www.example.org.", "voir www.example.org."},
	{"URLColon", "site : http://example.org:8080/x", "site⍽: http://example.org:8080/x"},
	{"Email", "écrire à jean.o'neil@example.org ; merci", "écrire à jean.o'neil@example.org·; merci"},
	{"Mailto", "mailto:barto@example.org", "mailto:barto@example.org"},
	{"PrivateUse", "a\uE000b 12500", "a\uE000b 12·500"},
}

func TestText(t *testing.T) {
	for _, tc := range textCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			want := strings.NewReplacer("⍽", "\u00A0", "·", "\u202F").Replace(tc.want)
			if got != want {
				t.Errorf("Text(%q)\n got %s\nwant %s", tc.in, vis(got), tc.want)
			}
		})
	}
}

func TestTextIdempotent(t *testing.T) {
	for _, tc := range textCases {
		once := Text(tc.in)
		if twice := Text(once); twice != once {
			t.Errorf("%s: Text(Text(s)) = %s, Text(s) = %s", tc.name, vis(twice), vis(once))
		}
	}
}

var markdownCases = []struct{ name, in, want string }{
	{"Prose", "Il a dit \"oui\" : l'an 2000, 1500 adhérents", "Il a dit «·oui·»⍽: l’an 2000, 1·500 adhérents"},
	{"CodeSpan", "voir `a  \"b\" 'c'` puis 'd'", "voir `a  \"b\" 'c'` puis ’d’"},
	{"DoubleBacktickSpan", "x ``a ` \"b\"`` y", "x ``a ` \"b\"`` y"},
	{"FencedCode", "avant\n\n```\nx  =  \"y\"; 12500\n```\n\naprès 12500", "avant\n\n```\nx  =  \"y\"; 12500\n```\n\naprès 12·500"},
	{"LinkDestination", "[l'article](https://example.org/a'b \"titre\") !", "[l’article](https://example.org/a'b \"titre\")·!"},
	{"AutoLink", "<https://example.org/x?y=1> et <jean@example.org>", "<https://example.org/x?y=1> et <jean@example.org>"},
	{"ReferenceDefinition", "[a]: https://example.org/'x' \"t\"", "[a]: https://example.org/'x' \"t\""},
	{"Indentation", "- un\n    - deux  trois", "- un\n    - deux trois"},
	{"HardBreak", "ligne  \nsuite", "ligne  \nsuite"},
	{"Emphasis", "**Attention!** et *note*: fin", "**Attention·!** et *note*⍽: fin"},
	{"Image", "texte ![alt](x.png)", "texte ![alt](x.png)"},
	{"CRLF", "un  deux\r\n\r\n- trois", "un deux\n\n- trois"},
}

func TestMarkdown(t *testing.T) {
	for _, tc := range markdownCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Markdown(tc.in)
			want := strings.NewReplacer("⍽", "\u00A0", "·", "\u202F").Replace(tc.want)
			if got != want {
				t.Errorf("Markdown(%q)\n got %s\nwant %s", tc.in, vis(got), tc.want)
			}
			if twice := Markdown(got); twice != got {
				t.Errorf("not idempotent: %s", vis(twice))
			}
		})
	}
}

func TestDates(t *testing.T) {
	paris := Paris()
	tests := []struct{ name, got, want string }{
		{"Date", Date(time.Date(2020, 5, 12, 0, 0, 0, 0, paris)), "12⍽mai 2020"},
		{"FirstOfMonth", Date(time.Date(2020, 5, 1, 0, 0, 0, 0, paris)), "1er⍽mai 2020"},
		{"DateInParis", Date(time.Date(2020, 12, 31, 23, 30, 0, 0, time.UTC)), "1er⍽janvier 2021"},
		{"Dateline", Dateline("Paris", time.Date(2020, 5, 12, 9, 0, 0, 0, paris)), "Paris, le 12⍽mai 2020"},
		{"DatelineNoPlace", Dateline(" ", time.Date(2020, 8, 3, 9, 0, 0, 0, paris)), "Le 3⍽août 2020"},
		{"EmbargoSummer", Embargo(time.Date(2020, 5, 12, 8, 0, 0, 0, time.UTC)), "Sous embargo jusqu’au 12⍽mai 2020, 10⍽h⍽00"},
		{"EmbargoWinter", Embargo(time.Date(2021, 2, 1, 8, 5, 0, 0, time.UTC)), "Sous embargo jusqu’au 1er⍽février 2021, 9⍽h⍽05"},
	}
	for _, tc := range tests {
		if got := vis(tc.got); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

// FuzzTextIdempotent checks that Text never changes its own output.
func FuzzTextIdempotent(f *testing.F) {
	for _, tc := range textCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Text(s)
		if twice := Text(once); twice != once {
			t.Errorf("Text(%q) = %s, twice %s", s, vis(once), vis(twice))
		}
	})
}

// FuzzMarkdownIdempotent checks that Markdown never changes its own output.
func FuzzMarkdownIdempotent(f *testing.F) {
	for _, tc := range markdownCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Markdown(s)
		if twice := Markdown(once); twice != once {
			t.Errorf("Markdown(%q) = %q, twice %q", s, once, twice)
		}
	})
}

func TestURLs(t *testing.T) {
	tests := []struct {
		name, s string
		want    []string
	}{
		{"OK", "Voir https://example.org/presse/2020, puis http://example.com.", []string{"https://example.org/presse/2020", "http://example.com"}},
		{"Guillemets", "«\u202fhttps://example.org/a_b?c=1\u202f»", []string{"https://example.org/a_b?c=1"}},
		{"WWW", "sur www.example.org.", []string{"www.example.org"}},
		{"None", "ftp://example.org et rien d’autre", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range URLs(tt.s) {
				got = append(got, tt.s[r[0]:r[1]])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("URLs(%q) = %q, want %q", tt.s, got, tt.want)
			}
		})
	}
}

// TestMayGroup checks groupThousands' quick test against the rules themselves: a string
// it passes over is one they leave unchanged. The strings are random, of digits, spaces
// of every kind and the characters the rules look at around numbers.
func TestMayGroup(t *testing.T) {
	alphabet := []rune("0123456789 \t\u00a0\u202f\u2009aLé€%,.:-+/")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		s := randomString(rng, alphabet, 9)
		if got := regroup(s); !mayGroup(s) && got != s {
			t.Fatalf("mayGroup(%q) = false, but the rules change it to %q", s, got)
		}
	}
}

// randomString returns 1 to n runes drawn from alphabet.
func randomString(rng *rand.Rand, alphabet []rune, n int) string {
	rs := make([]rune, 1+rng.IntN(n))
	for i := range rs {
		rs[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(rs)
}

// TestByteRulesMatchRuneRules checks highPunctuation and unitSpaces, which work on bytes,
// against the rules written on runes and as a regular expression, on random strings of
// the characters they look at.
func TestByteRulesMatchRuneRules(t *testing.T) {
	alphabet := []rune("ab5 \t\n\u00a0\u202f\u2009;:!?«»()[{”’*_.,…%‰€é")
	unitRe := regexp.MustCompile(`([0-9])[ \x{A0}]([%‰€])`)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		s := randomString(rng, alphabet, 10)
		if got, want := highPunctuation(s), runeHighPunctuation(s); got != want {
			t.Fatalf("highPunctuation(%q) = %q, want %q", s, got, want)
		}
		if got, want := unitSpaces(s), unitRe.ReplaceAllString(s, "$1\u202F$2"); got != want {
			t.Fatalf("unitSpaces(%q) = %q, want %q", s, got, want)
		}
	}
}

// runeHighPunctuation is highPunctuation as it was written on runes.
func runeHighPunctuation(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs)+8)
	for i, r := range rs {
		if (r == ';' || r == ':' || r == '!' || r == '?') && runeEndsClause(rs, i+1) {
			out = runeSpaceBefore(out, r)
		}
		out = append(out, r)
	}
	return string(out)
}

func runeEndsClause(rs []rune, i int) bool {
	if i == len(rs) {
		return true
	}
	r := rs[i]
	return unicode.IsSpace(r) || isSpace(r) || strings.ContainsRune("»)]\"”’*_.,…;:!?", r)
}

func runeSpaceBefore(out []rune, p rune) []rune {
	trimmed := trimSpacesRight(out)
	if len(trimmed) == 0 {
		return out
	}
	prev := trimmed[len(trimmed)-1]
	if prev == '\n' || strings.ContainsRune(";:!?([{«", prev) {
		return out
	}
	sp := NNBSP
	if p == ':' {
		sp = NBSP
	}
	return append(trimmed, sp)
}

// TestExcerptKeepsNoBreakSpaces cuts at plain spaces only and keeps the no-break spaces of
// French typography inside the excerpt.
func TestExcerptKeepsNoBreakSpaces(t *testing.T) {
	for _, tc := range []struct {
		text  string
		limit int
		want  string
	}{
		{"Le 12\u00a0mai\u202f: sept mesures", 40, "Le 12\u00a0mai\u202f: sept mesures"},
		{"Sept  mesures\npour la santé", 40, "Sept mesures pour la santé"},
		{"Sept mesures\u202f: pour la santé", 15, "Sept mesures…"},
		{"Anticonstitutionnellement", 10, "Anticonsti…"},
	} {
		if got := Excerpt(tc.text, tc.limit); got != tc.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tc.text, tc.limit, got, tc.want)
		}
	}
}
