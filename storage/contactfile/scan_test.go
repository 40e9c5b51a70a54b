package contactfile

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// scanned is one record as the scanner returned it.
type scanned struct {
	Line    int
	Fields  []string
	Problem string
}

func scanAll(s *scanner) []scanned {
	var out []scanned
	for {
		line, problem, ok := s.next()
		if !ok {
			return out
		}
		rec := scanned{Line: line, Problem: problem}
		if problem == "" {
			rec.Fields = slices.Clone(s.fields)
		}
		out = append(out, rec)
	}
}

func TestScanner(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []scanned
	}{
		{"OK", "a;b\r\nc;d\r\n", []scanned{{1, []string{"a", "b"}, ""}, {2, []string{"c", "d"}, ""}}},
		{"NoFinalNewline", "a;b\nc;", []scanned{{1, []string{"a", "b"}, ""}, {2, []string{"c", ""}, ""}}},
		{"QuotedSeparatorQuoteNewline",
			"\"a;1\";\"dit \"\"oui\"\"\";\"l1\r\nl2\"\r\nnext;x\r\n",
			[]scanned{{1, []string{"a;1", `dit "oui"`, "l1\r\nl2"}, ""}, {3, []string{"next", "x"}, ""}}},
		{"EmptyQuoted", "\"\";x\n", []scanned{{1, []string{"", "x"}, ""}}},
		{"LoneCR", "a\rb\r\"c\rd\"\re", []scanned{
			{1, []string{"a"}, ""}, {2, []string{"b"}, ""}, {3, []string{"c\rd"}, ""}, {5, []string{"e"}, ""}}},
		{"BlankLine", "a\n\nb\n", []scanned{{1, []string{"a"}, ""}, {2, []string{""}, ""}, {3, []string{"b"}, ""}}},
		{"BareQuoteResumesNextLine", "a;Jean \"Jeannot\" Dupont;c\nd;e\n",
			[]scanned{{1, nil, msgBareQuote}, {2, []string{"d", "e"}, ""}}},
		{"TextAfterClosingQuote", "\"a\"b;c\nd\n", []scanned{{1, nil, msgAfterQuote}, {2, []string{"d"}, ""}}},
		{"TextAfterMultilineQuote", "\"a\nb\"c;d\ne\n", []scanned{{1, nil, msgAfterQuote}, {3, []string{"e"}, ""}}},
		{"QuoteClosingOnALaterLine", "h\n\"open;x\nb;c\n\"d\ne\n",
			[]scanned{{1, []string{"h"}, ""}, {2, nil, msgAfterQuote}, {5, []string{"e"}, ""}}},
		{"UnclosedQuoteResumesAfterItsLine", "h\n\"open;x\nb;c\n\"\"\ne\n",
			[]scanned{
				{1, []string{"h"}, ""},
				{2, nil, msgUnclosed},
				{3, []string{"b", "c"}, ""},
				{4, []string{""}, ""},
				{5, []string{"e"}, ""},
			}},
		{"UnclosedAtEnd", "a\n\"b", []scanned{{1, []string{"a"}, ""}, {2, nil, msgUnclosed}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scanAll(newScanner(tt.text, ';')); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// After an unclosed quote, a quoted field may no longer span lines: a line
// break inside quotes ends the record with an error.
func TestScannerOneLine(t *testing.T) {
	s := newScanner("\"a\nb\"\nc;\"d\"\n", ';')
	s.oneLine = true
	got := scanAll(s)
	want := []scanned{{1, nil, msgUnclosed}, {2, nil, msgBareQuote}, {3, []string{"c", "d"}, ""}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestDetectSeparator(t *testing.T) {
	tests := []struct {
		text string
		want byte
	}{
		{"Prénom;Nom;E-mail", ';'},
		{"First Name,Last Name,E-mail 1 - Value", ','},
		{"Prénom\tNom\tE-mail", '\t'},
		{`"Nom, prénom";"E-mail"`, ';'},
		{"Nom, prénom;Courriel", ';'},
		{"Fichier presse, mars 2025\n\nNom;Prénom;E-mail\n", ';'},          // title row above the header
		{"E-mail;Tags\na@example.org;t1,t2,t3,t4\n", ';'},                  // data rows do not count
		{"Email\na@example.org\n", ';'},                                    // single column: any will do
		{"Nom,Ville;Pays,Code\n", ','},                                     // no email column: most frequent
		{"\n" + strings.Repeat("x\n", headerSearch) + "Nom,E-mail\n", ';'}, // header too far down
	}
	for _, tt := range tests {
		if got := detectSeparator(tt.text); got != tt.want {
			t.Errorf("detectSeparator(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLineSeparator(t *testing.T) {
	tests := []struct {
		line  string
		want  byte
		count int
	}{
		{"a;b;c", ';', 2},
		{`"a;b","c;d",e`, ',', 2},
		{"a\tb,c\td", '\t', 2},
		{"a;b,c", ';', 1},
		{"abc", ';', 0},
		{"a,b\r\nc;d;e", ',', 1},
	}
	for _, tt := range tests {
		if got, n := lineSeparator(tt.line); got != tt.want || n != tt.count {
			t.Errorf("lineSeparator(%q) = %q, %d; want %q, %d", tt.line, got, n, tt.want, tt.count)
		}
	}
}

func TestSeparatorHint(t *testing.T) {
	tests := []struct {
		text string
		sep  byte
		ok   bool
	}{
		{"sep=;\r\nNom;E-mail", ';', true},
		{"SEP=,\nNom,E-mail", ',', true},
		{"sep=\t", '\t', true},
		{"sep=x\nNom", 0, false},
		{"sepal;length", 0, false},
		{"sep=\"\n", 0, false},
	}
	for _, tt := range tests {
		sep, ok := separatorHint(tt.text)
		if ok != tt.ok || ok && sep != tt.sep {
			t.Errorf("separatorHint(%q) = %q, %v; want %q, %v", tt.text, sep, ok, tt.sep, tt.ok)
		}
	}
}
