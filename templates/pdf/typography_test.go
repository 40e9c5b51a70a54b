package pdf

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// seedDocuments are the seed communiqués as templates.Compose lays them out.
func seedDocuments(tb testing.TB) map[string]*templates.Document {
	tb.Helper()
	docs := map[string]*templates.Document{}
	for name, in := range map[string]templates.Input{
		"seed000": templatestest.Seed000(created), "seed001": templatestest.Seed001(created),
	} {
		doc, err := templates.Compose(in)
		if err != nil {
			tb.Fatalf("Compose %s: %v", name, err)
		}
		docs[name] = doc
	}
	return docs
}

// TestLayoutInvariants measures the typography of the seed communiqués: justified lines
// letter-spaced at most 1 in 20 and by at most 0.02 em, hyphenation that keeps two letters
// before the break and three after, never cuts a name and never ends more than two lines
// in a row, no page ending with a heading, no quote's attribution alone at the top of a
// page.
func TestLayoutInvariants(t *testing.T) {
	r := mustRenderer(t)
	for name, doc := range seedDocuments(t) {
		t.Run(name, func(t *testing.T) {
			blocks, _ := toBlocks(doc.Root, doc.Source, nil)
			lay := r.layout(doc, nil)
			justified, spaced, hyphenated, inRow := 0, 0, 0, 0
			for p, pg := range lay.pages {
				body := bodyLines(pg)
				for k, l := range body {
					b := &blocks[l.block]
					if b.align == justify && l.index < l.count-1 {
						justified++
						if l.tc > 0 {
							spaced++
						}
						if limit := maxCharSpacing * b.size; l.tc > limit+1e-9 {
							t.Errorf("page %d: line %q letter-spaced by %.3f pt, over %.3f", p+1, lineText(l), l.tc, limit)
						}
					}
					inRow++
					if !l.hyphenated {
						inRow = 0
					} else {
						hyphenated++
						checkHyphenation(t, l, body[k+1:])
					}
					if inRow > 2 {
						t.Errorf("page %d: a third hyphenated line in a row: %q", p+1, lineText(l))
					}
				}
				checkPageEnds(t, p, body, blocks, p == len(lay.pages)-1)
			}
			t.Logf("%d pages, %d justified lines, %d letter-spaced, %d hyphenated", len(lay.pages), justified, spaced, hyphenated)
			if spaced*20 > justified {
				t.Errorf("%d of %d justified lines letter-spaced, over 1 in 20", spaced, justified)
			}
			if name == "seed001" && hyphenated == 0 {
				t.Error("no line hyphenated")
			}
		})
	}
}

// checkHyphenation checks the break at the end of l against the first of next (the lines
// after it on its page), if it is the rest of l's block; a block cut at a page end is not
// checked there.
func checkHyphenation(t *testing.T, l line, next []line) {
	t.Helper()
	text := lineText(l)
	head := []rune(strings.TrimSuffix(text[strings.LastIndexAny(text, " \u00a0\u202f")+1:], "-"))
	if len(next) == 0 || next[0].block != l.block {
		return
	}
	following := lineText(next[0])
	tail := []rune(following)
	if i := strings.IndexAny(following, " \u00a0\u202f"); i >= 0 {
		tail = []rune(following[:i])
	}
	before, after := 0, 0
	for i := len(head) - 1; i >= 0 && unicode.IsLetter(head[i]); i-- {
		before++
	}
	for _, c := range tail {
		if !unicode.IsLetter(c) {
			break
		}
		after++
	}
	word := string(head) + "|" + string(tail)
	switch {
	case before < 2 || after < 3:
		t.Errorf("break %q keeps %d letters before, %d after", word, before, after)
	case unicode.IsUpper(head[len(head)-before]):
		t.Errorf("break %q cuts a name", word)
	case strings.ContainsAny(word, "@/"):
		t.Errorf("break %q cuts an address", word)
	}
}

// checkPageEnds checks that page p (its body lines) does not end with a heading, unless it
// is the last, and does not start with a quote's attribution parted from its quote.
func checkPageEnds(t *testing.T, p int, body []line, blocks []block, last bool) {
	t.Helper()
	if len(body) == 0 {
		return
	}
	if end := body[len(body)-1]; end.heading && !last {
		t.Errorf("page %d ends with heading %q", p+1, lineText(end))
	}
	if top := body[0]; top.index == 0 && top.block > 0 && blocks[top.block-1].keepNext {
		t.Errorf("page %d starts with attribution %q, parted from its quote", p+1, lineText(top))
	}
}

// TestHyphenNeverBreaksBeforeDigit sets « COVID-19 » at every width a column may have:
// no line ends with « COVID- », hyphenated or not.
func TestHyphenNeverBreaksBeforeDigit(t *testing.T) {
	ts := &typesetter{Renderer: mustRenderer(t)}
	text := strings.Repeat("la crise du COVID-19 et la covid-19 ont révélé des dépendances ", 12)
	b := block{pieces: []piece{{text: text}}, size: bodySize, leading: bodyLeading, align: justify}
	for width := 120.0; width < 480; width += 1.5 {
		for _, l := range ts.layoutBlock(&b, 0, width) {
			if s := lineText(l); strings.HasSuffix(s, "OVID-") || strings.HasSuffix(s, "ovid-") {
				t.Fatalf("width %.1f: line %q ends at the hyphen of COVID-19", width, s)
			}
		}
	}
}

// TestPDFTextWordsWhole reads the seed communiqués back with pdftotext: once the
// hyphenated line ends are joined, every word is a word of the document's text, none
// cut, and every word of its body is found.
func TestPDFTextWordsWhole(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		templatestest.ToolMissing(t, "pdftotext not installed (Debian: poppler-utils): words not checked")
	}
	for name, doc := range seedDocuments(t) {
		t.Run(name, func(t *testing.T) {
			want := sourceWords(doc, true)
			text := mustRun(t, "pdftotext", "-enc", "UTF-8", mustWritePDF(t, mustRender(t, doc)), "-")
			got := map[string]bool{}
			for _, w := range joinHyphenated(text, want) {
				got[w] = true
				if !want[w] && !pageNumber.MatchString(w) && !lostHyphen(w, want) {
					t.Errorf("pdftotext gives %q, not a word of the document", w)
				}
			}
			for w := range sourceWords(doc, false) {
				if !got[w] {
					t.Errorf("word %q of the body missing from pdftotext's text", w)
				}
			}
		})
	}
}

var pageNumber = regexp.MustCompile(`^[0-9]+/[0-9]+$`)

// sourceWords are the words of doc's body blocks (their text before line breaking, list
// markers included) and, with header, of its page-1 header, split at spaces.
func sourceWords(doc *templates.Document, header bool) map[string]bool {
	var parts []string
	blocks, _ := toBlocks(doc.Root, doc.Source, nil)
	for _, b := range blocks {
		parts = append(parts, b.marker, plainText(b.pieces))
	}
	if header {
		parts = append(parts, doc.Kind, doc.Dateline, doc.Embargo)
		for _, s := range doc.Signers {
			parts = append(parts, s.Name)
		}
	}
	words := map[string]bool{}
	for _, w := range strings.Fields(strings.Join(parts, " ")) {
		words[w] = true
	}
	return words
}

// joinHyphenated splits text into words, joining a line that ends with a hyphen to the
// next line's first word when that makes a word of the document (pdftotext may have
// joined them already).
func joinHyphenated(text string, words map[string]bool) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		fields := strings.Fields(lines[i])
		if n := len(fields); n > 0 && strings.HasSuffix(fields[n-1], "-") && i+1 < len(lines) {
			next := strings.Fields(lines[i+1])
			if len(next) > 0 && words[strings.TrimSuffix(fields[n-1], "-")+next[0]] {
				fields[n-1] = strings.TrimSuffix(fields[n-1], "-") + next[0]
				lines[i+1] = strings.Join(next[1:], " ")
			}
		}
		out = append(out, fields...)
	}
	return out
}

// lostHyphen tells whether w is a word of words without one of its hyphens: pdftotext
// joins a line ending with a hyphen to the next and drops the hyphen, so a co-signer's
// name cut after its own hyphen in its narrow header slot (« Nutrition-|Santé ») comes
// back without it.
func lostHyphen(w string, words map[string]bool) bool {
	for i := range w {
		if i > 0 && words[w[:i]+"-"+w[i:]] {
			return true
		}
	}
	return false
}

// TestQuoteKeepsAttribution lengthens the paragraph before a heading and quotes a word at a
// time, so that they meet every page end: no page ends with the heading, no attribution is
// left alone at the top of a page, and a quote's bar runs on beside its attribution.
func TestQuoteKeepsAttribution(t *testing.T) {
	r := mustRenderer(t)
	quote := "> «\u202f" + strings.Repeat("une phrase citée ", 12) + "\u202f»\n>\n> **Prénom Nom**, présidente\n\n"
	short := "> «\u202fCourt.\u202f»\n>\n> **Prénom Nom**, président\n\n"
	for words := 380; words < 640; words += 3 {
		md := "# Titre\n\n" + strings.Repeat("des mots ", words/2) + "\n\n## Ils ont dit\n\n" + short + quote + quote
		doc := mustDocument(t, []byte(md))
		blocks, _ := toBlocks(doc.Root, doc.Source, nil)
		lay := r.layout(doc, nil)
		for p, pg := range lay.pages {
			body := bodyLines(pg)
			checkPageEnds(t, p, body, blocks, p == len(lay.pages)-1)
			for k, l := range body {
				if l.index == 0 && blocks[l.block].joinBar && k > 0 && l.barUp == 0 {
					t.Errorf("%d words, page %d: the bar beside %q does not join the one above", words, p+1, lineText(l))
				}
			}
		}
	}
}

// TestLetterSpacingBudget sets names that cannot be hyphenated in narrow columns, where
// many lines are loose: still at most one justified line in 20 is letter-spaced, by at
// most 0.02 em. (These columns once left the line breaker with no feasible line, and it
// looped: it must always end.)
func TestLetterSpacingBudget(t *testing.T) {
	text := strings.Repeat("Agostino-Etchetto Lyonbiopôle Biotherapies Eurobiomed Vervaecke ", 30)
	for width := 110.0; width < 260; width += 7 {
		ts := &typesetter{Renderer: mustRenderer(t)}
		b := block{pieces: []piece{{text: text}}, size: bodySize, leading: bodyLeading, align: justify}
		lines := ts.layoutBlock(&b, 0, width)
		spaced := 0
		for _, l := range lines[:len(lines)-1] {
			if l.tc > 0 {
				spaced++
			}
			if l.tc > maxCharSpacing*bodySize+1e-9 {
				t.Errorf("width %.0f: %q letter-spaced by %.3f pt", width, lineText(l), l.tc)
			}
		}
		if spaced*20 > len(lines)-1 {
			t.Errorf("width %.0f: %d of %d lines letter-spaced", width, spaced, len(lines)-1)
		}
	}
}
