package contactfile

import (
	"reflect"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestReadVCard3(t *testing.T) {
	data := strings.ReplaceAll(`BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.0//EN
N:Lœuvre;Élodie;;;
FN:Élodie Lœuvre
ORG:Le Journal de l’Économie;Service santé
EMAIL;type=INTERNET;type=WORK:elodie.perso@example.com
item1.EMAIL;type=INTERNET;type=pref:elodie.loeuvre@example.org
TEL;type=CELL;type=VOICE;type=pref:+33 6 12 34 56 78
ADR;type=WORK:;;12 rue de la Paix;Marseille;Provence-Alpes-Côte d’Azur;13001;France
CATEGORIES:santé,économie
NOTE:Rencontrée au salon\, à rappeler\nen janvier
 et suite pliée
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Sans Adresse
END:VCARD
`, "\n", "\r\n")
	res := mustRead(t, data)
	if res.Format != FormatVCard {
		t.Errorf("format %q", res.Format)
	}
	want := []Row{{Line: 1, Contact: storage.Contact{FirstName: "Élodie", LastName: "Lœuvre",
		Email: "elodie.loeuvre@example.org", Phone: "+33 6 12 34 56 78", Organization: "Le Journal de l’Économie",
		Kind: storage.KindJournalist, Regions: []string{"Provence-Alpes-Côte d’Azur"}, Tags: []string{"santé", "économie"}}}}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", res.Rows, want)
	}
	wantErrs := []RowError{{Line: 15, Field: "email", Message: "ligne sans adresse e-mail"}}
	if !reflect.DeepEqual(res.Errors, wantErrs) {
		t.Errorf("errors\n got %+v\nwant %+v", res.Errors, wantErrs)
	}
}

func TestReadVCard4(t *testing.T) {
	data := `

BEGIN:VCARD
VERSION:4.0
FN:Jean-Marie de la Tour
EMAIL;TYPE=work:jm@example.com
EMAIL;PREF=1:jean-marie.delatour@example.org
TEL;VALUE=uri;TYPE="voice,work":tel:+33-1-23-45-67-89
LANG;PREF=1:fr
ORG:Agence Presse Santé
KIND:individual
CATEGORIES:industrie
CATEGORIES:IA,santé
ADR;TYPE=work:;;;Lyon;Auvergne-Rhône-Alpes;;France
ADR;TYPE=home:;;;Paris;Île-de-France;;France
END:VCARD
this line is outside any card
BEGIN:VCARD
VERSION:4.0
FN:Sans Fin
EMAIL:sans.fin@example.org
BEGIN:VCARD
VERSION:4.0
N:Curie;Marie;;;
FN:Marie Curie
EMAIL:marie@example.org
X-BAD-LINE-WITHOUT-COLON
END:VCARD
`
	res := mustRead(t, data)
	want := []Row{
		{Line: 3, Contact: storage.Contact{FirstName: "Jean-Marie", LastName: "de la Tour",
			Email: "jean-marie.delatour@example.org", Phone: "+33-1-23-45-67-89", Organization: "Agence Presse Santé",
			Kind: storage.KindJournalist, Regions: []string{"Auvergne-Rhône-Alpes", "Île-de-France"},
			Tags: []string{"industrie", "IA", "santé"}, Language: "fr"}},
		{Line: 22, Contact: storage.Contact{FirstName: "Marie", LastName: "Curie", Email: "marie@example.org",
			Kind: storage.KindJournalist}},
	}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", res.Rows, want)
	}
	wantErrs := []RowError{{Line: 18, Message: "fiche vCard sans END:VCARD"}}
	if !reflect.DeepEqual(res.Errors, wantErrs) {
		t.Errorf("errors\n got %+v\nwant %+v", res.Errors, wantErrs)
	}
}

func TestReadVCardRejectsLineBreakInName(t *testing.T) {
	res := mustRead(t, "BEGIN:VCARD\nVERSION:3.0\nFN:Jean\\nBcc: x@example.com\nEMAIL:a@example.org\nEND:VCARD\n")
	if len(res.Rows) != 0 || len(res.Errors) != 1 || res.Errors[0].Field != "last_name" {
		t.Errorf("got rows %+v errors %+v", res.Rows, res.Errors)
	}
}

func TestReadVCardDuplicates(t *testing.T) {
	card := "BEGIN:VCARD\nVERSION:3.0\nFN:%s\nEMAIL:jean@example.org\nEND:VCARD\n"
	res := mustRead(t, strings.Replace(card, "%s", "Jean Ancien", 1)+strings.Replace(card, "%s", "Jean Récent", 1))
	if len(res.Rows) != 1 || res.Rows[0].Contact.LastName != "Récent" || !reflect.DeepEqual(res.Duplicates, []Duplicate{{1, 6}}) {
		t.Errorf("got rows %+v duplicates %v", res.Rows, res.Duplicates)
	}
}

func TestReadVCardUnterminatedAtEnd(t *testing.T) {
	res := mustRead(t, "BEGIN:VCARD\nVERSION:3.0\nEMAIL:a@example.org\n")
	if len(res.Rows) != 0 || !reflect.DeepEqual(res.Errors, []RowError{{Line: 1, Message: "fiche vCard sans END:VCARD"}}) {
		t.Errorf("got rows %+v errors %+v", res.Rows, res.Errors)
	}
}

func TestReadVCardFoldedLines(t *testing.T) {
	data := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jean\r\n  Dupont\r\nEMAIL:jean.du\r\n pont@example.org\r\n" +
		"NOTE:" + strings.Repeat("x\r\n x", 1000) + "\r\nEND:VCARD\r\n"
	c := mustOneRow(t, data)
	if c.FirstName != "Jean" || c.LastName != "Dupont" || c.Email != "jean.dupont@example.org" {
		t.Errorf("got %+v", c)
	}
}

// Outlook exports vCard 2.1: bare parameters, quoted-printable values in
// Windows-1252 or UTF-8, soft line breaks.
func TestReadVCard21(t *testing.T) {
	data := strings.ReplaceAll(`BEGIN:VCARD
VERSION:2.1
N;LANGUAGE=fr;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:L=9Cuvre;=C9lodie
FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:=C9lodie L=9Cuvre
ORG:Le Monde
TEL;WORK;VOICE:+33 1 23 45 67 89
TEL;CELL;PREF:+33 6 00 00 00 00
EMAIL;PREF;INTERNET:elodie@example.org
NOTE;ENCODING=QUOTED-PRINTABLE:Ligne 1=0D=0ALigne 2 tr=
=C3=A8s longue
ADR;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:;;1 rue;Lyon;Auvergne-Rh=C3=B4ne-Alpes;69001;France
END:VCARD
`, "\n", "\r\n")
	c := mustOneRow(t, data)
	want := storage.Contact{FirstName: "Élodie", LastName: "Lœuvre", Email: "elodie@example.org",
		Phone: "+33 6 00 00 00 00", Organization: "Le Monde", Kind: storage.KindJournalist,
		Regions: []string{"Auvergne-Rhône-Alpes"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("\n got %+v\nwant %+v", c, want)
	}
}

func TestLegacyCardKeepsModernLines(t *testing.T) {
	block := "BEGIN:VCARD\r\nVERSION:4.0\r\nTEL;VALUE=uri;TYPE=\"voice,work\":tel:+33-1\r\n" +
		"item1.EMAIL;type=INTERNET;type=pref:a@example.org\r\nNOTE:a\\nb\\, c\r\nEND:VCARD\r\n"
	if got := legacyCard(block); got != block {
		t.Errorf("got %q", got)
	}
}

// A newsroom's card has the outlet's name in FN: it is not split into a person's names.
func TestReadVCardOrganization(t *testing.T) {
	for _, kind := range []string{"KIND:org", "X-ABShowAs:COMPANY"} {
		c := mustOneRow(t, "BEGIN:VCARD\nVERSION:4.0\n"+kind+"\nFN:Rédaction France Bleu\nEMAIL:redaction@example.org\nEND:VCARD\n")
		want := storage.Contact{Email: "redaction@example.org", Organization: "Rédaction France Bleu", Kind: storage.KindJournalist}
		if !reflect.DeepEqual(c, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", kind, c, want)
		}
	}
}
