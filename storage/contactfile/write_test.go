package contactfile

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"portevoix/storage"
)

// sampleContacts exercise what a spreadsheet breaks: accents, quotes,
// separators (in cells and inside list items), formula characters.
func sampleContacts() []storage.Contact {
	return []storage.Contact{
		{FirstName: "Élodie", LastName: "Lœuvre", Email: "elodie.loeuvre@example.org", Phone: "+33 6 12 34 56 78",
			Organization: "Le Journal de l’Économie; édition «\u202fSud\u202f»", Kind: storage.KindJournalist,
			Regions: []string{"Provence-Alpes-Côte d’Azur", "Occitanie"}, Tags: []string{"santé", "économie"},
			Language: "fr", Source: "Salon \"Santé\" 2025", LawfulBasis: "intérêt légitime"},
		{FirstName: "=HYPERLINK(\"http://example.com\")", LastName: "-2+3", Email: "formule@example.com",
			Organization: "@SUM(A1)", Kind: storage.KindPressOfficer, Source: "'=already protected",
			LawfulBasis: "''+twice", OptedOut: true},
		{LastName: "D'Artagnan", Email: "Dartagnan@Example.org", Kind: storage.KindAgency,
			Tags: []string{"IA"}, Language: "breton", Bounced: true},
		// Tags may hold what the reader splits at: the writer escapes it.
		{Email: "separateurs@example.org", Kind: storage.KindJournalist,
			Tags: []string{"santé, recherche", "a;b", "x | y", "Google ::: Outlook", "*étoile", `C:\dossier\`, `\,`}},
		{Email: "autre@example.com", Kind: storage.KindOther, Regions: []string{"Île-de-France"}},
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	contacts := sampleContacts()
	var b bytes.Buffer
	if err := WriteCSV(&b, contacts); err != nil {
		t.Fatal(err)
	}
	res := mustRead(t, b.String())
	if len(res.Errors) > 0 || len(res.IgnoredColumns) > 0 {
		t.Fatalf("errors %+v, ignored %q", res.Errors, res.IgnoredColumns)
	}
	var got []storage.Contact
	for _, r := range res.Rows {
		got = append(got, r.Contact)
	}
	if !reflect.DeepEqual(got, contacts) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, contacts)
	}
}

func TestWriteCSVBytes(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sampleContacts()[1:2]); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFPrénom;Nom;E-mail;Téléphone;Média;Type;Régions;Thématiques;Langue;Source;Base légale;Désinscrit;Adresse en échec\r\n" +
		"\"'=HYPERLINK(\"\"http://example.com\"\")\";'-2+3;formule@example.com;;'@SUM(A1);attaché(e) de presse;;;;" +
		"''=already protected;'''+twice;oui;non\r\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// A line break has no place in a contact and Read refuses it; WriteCSV still
// writes a valid file, and the line numbers after it stay right.
func TestWriteCSVLineBreak(t *testing.T) {
	contacts := []storage.Contact{
		{LastName: "Deux\r\nlignes", Email: "deux@example.org", Kind: storage.KindJournalist},
		{LastName: "Suivant", Email: "suivant@example.org", Kind: storage.KindJournalist},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, contacts); err != nil {
		t.Fatal(err)
	}
	res := mustRead(t, b.String())
	if len(res.Errors) != 1 || res.Errors[0].Line != 2 || res.Errors[0].Field != "last_name" {
		t.Errorf("errors %+v", res.Errors)
	}
	if len(res.Rows) != 1 || res.Rows[0].Line != 4 || !reflect.DeepEqual(res.Rows[0].Contact, contacts[1]) {
		t.Errorf("rows %+v", res.Rows)
	}
}

func TestProtect(t *testing.T) {
	tests := []struct{ in, out string }{
		{"", ""}, {"Jean", "Jean"}, {"=1+1", "'=1+1"}, {"+33", "'+33"}, {"-", "'-"}, {"@x", "'@x"},
		{"'=x", "''=x"}, {"'x", "'x"}, {"'", "'"}, {"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := protect(tt.in); got != tt.out {
			t.Errorf("protect(%q) = %q, want %q", tt.in, got, tt.out)
		}
		if got := unprotect(protect(tt.in)); got != tt.in {
			t.Errorf("unprotect(protect(%q)) = %q", tt.in, got)
		}
	}
}

func TestWriteCSVWriterError(t *testing.T) {
	boom := errors.New("disk full")
	contacts := make([]storage.Contact, 2000)
	for i := range contacts {
		contacts[i] = storage.Contact{Email: strings.Repeat("x", 40) + "@example.org"}
	}
	if err := WriteCSV(failWriter{boom}, contacts); !errors.Is(err, boom) {
		t.Errorf("got %v", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }
