package diff_test

import (
	"reflect"
	"strings"
	"testing"

	"portevoix/templates/diff"
)

func TestWords(t *testing.T) {
	eq := func(s string) diff.Chunk { return diff.Chunk{Kind: diff.Equal, Text: s} }
	ins := func(s string) diff.Chunk { return diff.Chunk{Kind: diff.Insert, Text: s} }
	del := func(s string) diff.Chunk { return diff.Chunk{Kind: diff.Delete, Text: s} }
	for name, tc := range map[string]struct {
		old, new string
		want     []diff.Chunk
	}{
		"Same":          {"Sept mesures pour la santé", "Sept  mesures pour la santé", []diff.Chunk{eq("Sept mesures pour la santé")}},
		"BothEmpty":     {"", "", nil},
		"FromNothing":   {"", "Un titre", []diff.Chunk{ins("Un titre")}},
		"ToNothing":     {"Un titre", "", []diff.Chunk{del("Un titre")}},
		"WordReplaced":  {"Sept mesures pour la santé", "Huit mesures pour la santé", []diff.Chunk{del("Sept"), ins("Huit"), eq("mesures pour la santé")}},
		"WordsInserted": {"relocaliser la production", "relocaliser vite toute la production", []diff.Chunk{eq("relocaliser"), ins("vite toute"), eq("la production")}},
		"MiddleDeleted": {"a b c d e", "a e", []diff.Chunk{eq("a"), del("b c d"), eq("e")}},
		"Interleaved":   {"a b c d", "a x c y", []diff.Chunk{eq("a"), del("b"), ins("x"), eq("c"), del("d"), ins("y")}},
		"LineBreaks":    {"un\ndeux", "un\r\n\ndeux", []diff.Chunk{eq("un \n"), ins("\n"), eq("deux")}},
		// French typography's no-break spaces belong to the text: they are kept, not split at.
		"NoBreakSpaces": {"le 12\u00a0mai\u202f;", "le 13\u00a0mai\u202f;", []diff.Chunk{eq("le"), del("12\u00a0mai\u202f;"), ins("13\u00a0mai\u202f;")}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := diff.Words(tc.old, tc.new); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Words(%q, %q)\n got %#v\nwant %#v", tc.old, tc.new, got, tc.want)
			}
		})
	}
}

// A text too long to compare word by word still gives a correct diff: its changed middle
// deleted and inserted whole.
func TestWordsLongTextsStayCorrect(t *testing.T) {
	old := strings.Repeat("mot ", 3000) + "fin"
	new := "début " + strings.Repeat("terme ", 3000) + "fin"
	got := diff.Words(old, new)
	var before, after []string
	for _, c := range got {
		if c.Kind != diff.Insert {
			before = append(before, c.Text)
		}
		if c.Kind != diff.Delete {
			after = append(after, c.Text)
		}
	}
	if strings.Join(before, " ") != strings.TrimSpace(old) || strings.Join(after, " ") != new {
		t.Fatal("the chunks do not give back both texts")
	}
	if !diff.Changed(got) || diff.Changed(diff.Words(old, old)) {
		t.Fatal("Changed")
	}
}
