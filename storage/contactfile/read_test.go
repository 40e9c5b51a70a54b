package contactfile

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"portevoix/storage"
)

// mustRead reads data as a file named contacts.csv and fails on a file error.
func mustRead(tb testing.TB, data string) *Result {
	tb.Helper()
	res, err := Read(strings.NewReader(data), "contacts.csv")
	if err != nil {
		tb.Fatalf("Read: %v", err)
	}
	return res
}

// mustOneRow reads data and returns its only contact, failing on any error.
func mustOneRow(tb testing.TB, data string) storage.Contact {
	tb.Helper()
	res := mustRead(tb, data)
	if len(res.Errors) > 0 || len(res.Rows) != 1 {
		tb.Fatalf("want 1 row and no error, got rows %+v errors %+v", res.Rows, res.Errors)
	}
	return res.Rows[0].Contact
}

func TestReadHeaderVariants(t *testing.T) {
	tests := []struct {
		headers []string
		value   string
		get     func(c storage.Contact) any
		want    any
	}{
		{[]string{"Prénom", "PRENOM", " prénom ", "First Name", "Given Name", "firstname", "Prénom :"},
			"Élodie", func(c storage.Contact) any { return c.FirstName }, "Élodie"},
		{[]string{"Nom", "Last Name", "Family Name", "Surname", "Nom de famille", "NOM DE FAMILLE"},
			"Lœuvre", func(c storage.Contact) any { return c.LastName }, "Lœuvre"},
		{[]string{"Téléphone", "Tél", "Tél.", "Phone", "Mobile", "Portable", "Phone 1 - Value",
			"Mobile Phone", "Business Phone", "Tél. mobile", "Téléphone (bureau)", "Téléphone portable perso",
			"Mobile (perso)", "Tél. pro"},
			"+33 6 12 34 56 78", func(c storage.Contact) any { return c.Phone }, "+33 6 12 34 56 78"},
		{[]string{"Média", "Medias", "Organisation", "Organization", "Société", "Company",
			"Organization 1 - Name", "Organization Name", "Société ", "Nom du média", "Raison sociale"},
			"Le Monde", func(c storage.Contact) any { return c.Organization }, "Le Monde"},
		{[]string{"Région", "Régions", "Region", "REGIONS"},
			"Île-de-France, Grand Est", func(c storage.Contact) any { return c.Regions },
			[]string{"Île-de-France", "Grand Est"}},
		{[]string{"Thématiques", "Tags", "Rubriques", "Beats", "Labels", "Group Membership",
			"Categories", "Catégories", "Mots clés", "Keywords"},
			"santé | économie", func(c storage.Contact) any { return c.Tags }, []string{"santé", "économie"}},
		{[]string{"Type", "Kind", "Catégorie", "Type de contact"},
			"Attachée de presse", func(c storage.Contact) any { return c.Kind }, storage.KindPressOfficer},
		{[]string{"Langue", "Language"},
			"Français", func(c storage.Contact) any { return c.Language }, "fr"},
		{[]string{"Source", "Origine"},
			"Salon Santé 2025", func(c storage.Contact) any { return c.Source }, "Salon Santé 2025"},
		{[]string{"Base légale", "Lawful basis", "base_legale"},
			"intérêt légitime", func(c storage.Contact) any { return c.LawfulBasis }, "intérêt légitime"},
		{[]string{"Désinscrit", "Opted out", "Unsubscribed"},
			"oui", func(c storage.Contact) any { return c.OptedOut }, true},
		{[]string{"Nom complet", "Name", "Full Name", "Prénom Nom"},
			"Jean-Marie de la Tour", func(c storage.Contact) any { return [2]string{c.FirstName, c.LastName} },
			[2]string{"Jean-Marie", "de la Tour"}},
		{[]string{"Nom Prénom", "Nom prénom"},
			"Dupont Jean", func(c storage.Contact) any { return [2]string{c.FirstName, c.LastName} },
			[2]string{"Jean", "Dupont"}},
	}
	for _, tt := range tests {
		for _, h := range tt.headers {
			t.Run(h, func(t *testing.T) {
				c := mustOneRow(t, "E-mail;"+h+"\r\nelodie@example.org;"+tt.value+"\r\n")
				if got := tt.get(c); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %#v, want %#v", got, tt.want)
				}
			})
		}
	}
}

func TestReadEmailHeaderVariants(t *testing.T) {
	headers := []string{"E-mail", "Email", "EMAIL", "e-mail", "Courriel", "Adresse e-mail", "Adresse mail",
		"Mail", "E-mail 1 - Value", "E-mail Address", "Adresse de messagerie", "Adresse électronique",
		"E-mail (pro)", "Adresse mail professionnelle", "Work Email", "Email pro", "Courriel (bureau)"}
	for _, h := range headers {
		t.Run(h, func(t *testing.T) {
			c := mustOneRow(t, h+"\nelodie@example.org\n")
			if c.Email != "elodie@example.org" || c.Kind != storage.KindJournalist {
				t.Errorf("got %+v", c)
			}
		})
	}
}

func TestReadWindows1252Semicolon(t *testing.T) {
	text := "Prénom;Nom;E-mail;Média;Type;Régions;Thématiques;Notes\r\n" +
		"Élodie;Lœuvre;elodie.loeuvre@example.org;\"Le Journal de l’Économie; édition Sud\";journaliste;" +
		"\"Provence-Alpes-Côte d’Azur, Occitanie\";\"santé;économie\";\"rencontrée au salon\r\nà rappeler\"\r\n" +
		"Jean;Dupont;jean.dupont@;Le Monde;;;;\r\n" +
		"Anne;Martin;;Ouest-France;;;;\r\n" +
		"Paul;Durand;paul.durand@example.org;Les Échos;agence;;;;en trop\r\n" +
		"Léa;\"Bern\"ard;lea@example.org;;;;;\r\n" +
		"Chloé;\"D’Œuvre \"\"la grande\"\"\";chloe@example.com;;chargée de communication;;;\r\n"
	data, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(data, "\x9c") || !strings.Contains(data, "\x92") || !strings.Contains(data, "\xe9") {
		t.Fatal("fixture is not Windows-1252 encoded")
	}
	res := mustRead(t, data)
	if res.Encoding != EncodingWindows1252 || res.Format != FormatCSV {
		t.Errorf("encoding %q format %q", res.Encoding, res.Format)
	}
	if !reflect.DeepEqual(res.IgnoredColumns, []string{"Notes"}) {
		t.Errorf("ignored columns %q", res.IgnoredColumns)
	}
	want := []Row{
		{Line: 2, Contact: storage.Contact{FirstName: "Élodie", LastName: "Lœuvre", Email: "elodie.loeuvre@example.org",
			Organization: "Le Journal de l’Économie; édition Sud", Kind: storage.KindJournalist,
			Regions: []string{"Provence-Alpes-Côte d’Azur", "Occitanie"}, Tags: []string{"santé", "économie"}}},
		{Line: 8, Contact: storage.Contact{FirstName: "Chloé", LastName: "D’Œuvre \"la grande\"", Email: "chloe@example.com",
			Kind: storage.KindPressOfficer}},
	}
	if !reflect.DeepEqual(res.Rows, want) {
		t.Errorf("rows\n got %+v\nwant %+v", res.Rows, want)
	}
	wantErrs := []RowError{
		{Line: 4, Field: "email", Value: "jean.dupont@", Message: "adresse e-mail sans nom de domaine après «\u202f@\u202f»"},
		{Line: 5, Field: "email", Message: "ligne sans adresse e-mail"},
		{Line: 6, Value: "en trop", Message: "colonne en trop\u00a0: «\u202fen trop\u202f»"},
		{Line: 7, Value: `Léa;"Bern"ard;lea@example.org;;;;;`, Message: msgAfterQuote},
	}
	if !reflect.DeepEqual(res.Errors, wantErrs) {
		t.Errorf("errors\n got %+v\nwant %+v", res.Errors, wantErrs)
	}
}

func TestReadUTF8BOMComma(t *testing.T) {
	data := "\uFEFFFirst Name,Last Name,Email,Company,Tags\r\n" +
		"Marie,Curie,marie.curie@example.org,\"Radium, le mensuel\",\"santé, recherche\"\r\n" +
		"Louis,Pasteur,LOUIS.PASTEUR@example.org,,\r\n"
	res := mustRead(t, data)
	if res.Encoding != EncodingUTF8 || len(res.Errors) > 0 || len(res.Rows) != 2 {
		t.Fatalf("got %+v", res)
	}
	c := res.Rows[0].Contact
	if c.FirstName != "Marie" || c.Organization != "Radium, le mensuel" ||
		!reflect.DeepEqual(c.Tags, []string{"santé", "recherche"}) {
		t.Errorf("row 2: %+v", c)
	}
	if c := res.Rows[1]; c.Line != 3 || c.Contact.Email != "LOUIS.PASTEUR@example.org" {
		t.Errorf("row 3: %+v", c)
	}
}

func TestReadTab(t *testing.T) {
	data := "Prénom\tNom\tCourriel\tTéléphone\tRégion\n" +
		"Agnès\tVarda\tagnes@example.org\t01 23 45 67 89\tBretagne; Normandie\n" +
		"\n" +
		"\t\t\t\t\n" +
		"Jacques\tDemy\t\"jacques@example.org\"\t\t\n"
	res := mustRead(t, data)
	if len(res.Errors) > 0 || len(res.Rows) != 2 {
		t.Fatalf("got %+v", res)
	}
	if c := res.Rows[0].Contact; c.Phone != "01 23 45 67 89" || !reflect.DeepEqual(c.Regions, []string{"Bretagne", "Normandie"}) {
		t.Errorf("row 2: %+v", c)
	}
	if r := res.Rows[1]; r.Line != 5 || r.Contact.Email != "jacques@example.org" {
		t.Errorf("blank lines must be skipped and counted: %+v", r)
	}
}

// googleHeader is the header of a contacts.google.com "Google CSV" export.
const googleHeader = "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name," +
	"Name Prefix,Name Suffix,Nickname,File As,Organization Name,Organization Title,Organization Department," +
	"Birthday,Notes,Photo,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value," +
	"Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street," +
	"Address 1 - City,Address 1 - PO Box,Address 1 - Region,Address 1 - Postal Code,Address 1 - Country," +
	"Address 1 - Extended Address,Website 1 - Label,Website 1 - Value"

func TestReadGoogleContacts(t *testing.T) {
	data := googleHeader + "\r\n" +
		"Sophie,,Germain,,,,,,,,France Inter,Journaliste santé,Rédaction,,\"Vue au congrès\nà relancer\",," +
		"* myContacts ::: Santé ::: Radio,* Work,sophie.germain@example.org ::: sophie@example.com,,," +
		"Mobile,+33 6 00 00 00 01 ::: +33 1 00 00 00 02,Work,\"1 rue X\n75001 Paris\",1 rue X,Paris,,Île-de-France,75001,France,,,\r\n" +
		",,,,,,,,,,,,,,,,* myContacts,,,* Other,autre@example.com,,,,,,,,,,,,,\r\n"
	res := mustRead(t, data)
	if len(res.Errors) > 0 || len(res.Rows) != 2 {
		t.Fatalf("got rows %+v errors %+v", res.Rows, res.Errors)
	}
	want := storage.Contact{FirstName: "Sophie", LastName: "Germain", Email: "sophie.germain@example.org",
		Phone: "+33 6 00 00 00 01", Organization: "France Inter", Kind: storage.KindJournalist,
		Regions: []string{"Île-de-France"}, Tags: []string{"Santé", "Radio"}}
	if got := res.Rows[0].Contact; !reflect.DeepEqual(got, want) {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}
	// The first contact spans lines 2 to 4 (two cells hold a line break).
	if r := res.Rows[1]; r.Line != 5 || r.Contact.Email != "autre@example.com" || r.Contact.Tags != nil {
		t.Errorf("second contact: E-mail 2 fills in for an empty E-mail 1, line 5: %+v", r)
	}
	if !contains(res.IgnoredColumns, "Notes") || !contains(res.IgnoredColumns, "E-mail 1 - Label") ||
		contains(res.IgnoredColumns, "Address 1 - Region") {
		t.Errorf("ignored columns %q", res.IgnoredColumns)
	}
}

func TestReadGoogleContactsOldFormat(t *testing.T) {
	data := "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi," +
		"Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender," +
		"Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject," +
		"Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value," +
		"Organization 1 - Type,Organization 1 - Name,Organization 1 - Title\n" +
		"Émile Zola,Émile,,Zola,,,,,,,,,,,,,,,,,,,,,,,,,* myContacts ::: Presse écrite,* ,emile@example.org," +
		"Work,01 02 03 04 05,,L'Aurore,Éditorialiste\n"
	c := mustOneRow(t, data)
	want := storage.Contact{FirstName: "Émile", LastName: "Zola", Email: "emile@example.org", Phone: "01 02 03 04 05",
		Organization: "L'Aurore", Kind: storage.KindJournalist, Tags: []string{"Presse écrite"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("\n got %+v\nwant %+v", c, want)
	}
}

func TestReadOutlook(t *testing.T) {
	header := `"Title","First Name","Middle Name","Last Name","Suffix","Company","Department","Job Title",` +
		`"Business Street","Business City","Business State","Business Postal Code","Business Country/Region",` +
		`"Business Phone","Business Phone 2","Home Phone","Mobile Phone","Categories","E-mail Address",` +
		`"E-mail Type","E-mail Display Name","E-mail 2 Address","Notes"`
	data := header + "\r\n" +
		`"","Hélène","","Boucher","","Agence Santé Com","","","","Lyon","Auvergne-Rhône-Alpes","","","",` +
		`"","","06 11 22 33 44","Agences;Santé","helene.boucher@example.com","SMTP","Hélène Boucher (helene.boucher@example.com)","",""` + "\r\n"
	c := mustOneRow(t, data)
	want := storage.Contact{FirstName: "Hélène", LastName: "Boucher", Email: "helene.boucher@example.com",
		Phone: "06 11 22 33 44", Organization: "Agence Santé Com", Kind: storage.KindJournalist,
		Regions: []string{"Auvergne-Rhône-Alpes"}, Tags: []string{"Agences", "Santé"}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("\n got %+v\nwant %+v", c, want)
	}
}

func TestReadOutlookFrench(t *testing.T) {
	header := `"Titre","Prénom","Deuxième prénom","Nom","Suffixe","Société ","Service ","Titre",` +
		`"Dép/Région (bureau)","Téléphone (bureau)","Tél. mobile","Adresse de messagerie","Type de messagerie",` +
		`"Nom complet de l'adresse de messagerie","Catégories","Langue","Mots clés"`
	row := `"Mme","Rose","","Valland","","Le Quotidien du Médecin","Rédaction","Cheffe de rubrique","Bretagne",` +
		`"","07 00 00 00 00","rose.valland@example.org","SMTP","Rose Valland (rose.valland@example.org)","",` +
		`"Français","santé; hôpital"`
	data, err := charmap.Windows1252.NewEncoder().String(header + "\r\n" + row + "\r\n")
	if err != nil {
		t.Fatal(err)
	}
	c := mustOneRow(t, data)
	want := storage.Contact{FirstName: "Rose", LastName: "Valland", Email: "rose.valland@example.org",
		Phone: "07 00 00 00 00", Organization: "Le Quotidien du Médecin", Kind: storage.KindJournalist,
		Regions: []string{"Bretagne"}, Tags: []string{"santé", "hôpital"}, Language: "fr"}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("\n got %+v\nwant %+v", c, want)
	}
}

func TestReadUTF16(t *testing.T) {
	enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	data, err := enc.String("Prénom\tNom\tE-mail\r\nGisèle\tHalimi\tgisele@example.org\r\n")
	if err != nil {
		t.Fatal(err)
	}
	res := mustRead(t, data)
	if res.Encoding != EncodingUTF16 || len(res.Rows) != 1 || res.Rows[0].Contact.FirstName != "Gisèle" {
		t.Errorf("got %+v", res)
	}
}

func TestReadUTF16WithoutBOM(t *testing.T) {
	for _, e := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		data, err := unicode.UTF16(e, unicode.IgnoreBOM).NewEncoder().String("E-mail;Prénom\r\ngisele@example.org;Gisèle\r\n")
		if err != nil {
			t.Fatal(err)
		}
		res := mustRead(t, data)
		if res.Encoding != EncodingUTF16 || len(res.Rows) != 1 || res.Rows[0].Contact.FirstName != "Gisèle" {
			t.Errorf("endianness %v: got %+v", e, res)
		}
	}
}

// Rows above the header, such as a title, are skipped.
func TestReadTitleRows(t *testing.T) {
	data := "Fichier presse santé, mars 2025;;\r\n;;\r\nPrénom;Nom;E-mail\r\nJean;Dupont;jean@example.org\r\n"
	res := mustRead(t, data)
	if len(res.Errors) > 0 || len(res.Rows) != 1 || res.Rows[0].Line != 4 || res.Rows[0].Contact.LastName != "Dupont" {
		t.Errorf("got rows %+v errors %+v", res.Rows, res.Errors)
	}
}

func TestReadSeparatorHint(t *testing.T) {
	res := mustRead(t, "sep=;\r\nNom;E-mail\r\nDupont, Jean;jean@example.org\r\n")
	if len(res.Rows) != 1 || res.Rows[0].Line != 3 || res.Rows[0].Contact.LastName != "Dupont, Jean" {
		t.Errorf("got %+v", res)
	}
}

func TestReadKinds(t *testing.T) {
	tests := []struct{ value, want string }{
		{"", storage.KindJournalist},
		{"journaliste", storage.KindJournalist},
		{"Journalist", storage.KindJournalist},
		{"attaché de presse", storage.KindPressOfficer},
		{"Attachée de presse", storage.KindPressOfficer},
		{"attaché(e) de presse", storage.KindPressOfficer},
		{"Chargé(e) de communication", storage.KindPressOfficer},
		{"chargée de communication", storage.KindPressOfficer},
		{"press_officer", storage.KindPressOfficer},
		{"Agence", storage.KindAgency},
		{"agency", storage.KindAgency},
		{"autre", storage.KindOther},
		{"OTHER", storage.KindOther},
		{"Journaliste pigiste", storage.KindJournalist},
		{"Rédactrice en chef", storage.KindJournalist},
		{"Attachée de presse (pôle)", storage.KindPressOfficer},
		{"Agence RP", storage.KindAgency},
	}
	for _, tt := range tests {
		c := mustOneRow(t, "E-mail;Type\na@example.org;"+tt.value+"\n")
		if c.Kind != tt.want {
			t.Errorf("kind %q = %q, want %q", tt.value, c.Kind, tt.want)
		}
	}
	res := mustRead(t, "E-mail;Type\na@example.org;photographe\n")
	want := []RowError{{Line: 2, Field: "kind", Value: "photographe",
		Message: "type inconnu\u00a0: «\u202fphotographe\u202f» (journaliste, attaché de presse, agence ou autre)"}}
	if len(res.Rows) != 0 || !reflect.DeepEqual(res.Errors, want) {
		t.Errorf("got rows %+v errors %+v", res.Rows, res.Errors)
	}
}

// The last row with an address wins; the earlier ones are reported as duplicates.
func TestReadDuplicates(t *testing.T) {
	data := "Nom;E-mail\n" +
		"Ancien;jean@example.org\n" +
		"Autre;anne@example.org\n" +
		"Récent; Jean@Example.org \n" +
		"Ancienne;marie@example.org\n" +
		"Dernier;JEAN@example.org\n" +
		"Récente;marie@example.org\n"
	res := mustRead(t, data)
	var got []string
	for _, r := range res.Rows {
		got = append(got, r.Contact.LastName)
	}
	if want := []string{"Autre", "Dernier", "Récente"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if want := []Duplicate{{2, 6}, {4, 6}, {5, 7}}; !reflect.DeepEqual(res.Duplicates, want) {
		t.Errorf("duplicates %v, want %v", res.Duplicates, want)
	}
}

func TestReadFieldErrors(t *testing.T) {
	long := strings.Repeat("é", 201)
	var tags []string
	for i := range 51 {
		tags = append(tags, fmt.Sprint("t", i))
	}
	manyTags := strings.Join(tags, ",")
	tests := []struct {
		name, header, row string
		want              RowError
	}{
		{"DisplayName", "E-mail", `"Jean <jean@example.org>"`,
			RowError{Field: "email", Value: "Jean <jean@example.org>", Message: "adresse e-mail attendue seule, sans nom, espace ni chevrons"}},
		{"NoDotInDomain", "E-mail", "jean@localhost",
			RowError{Field: "email", Value: "jean@localhost", Message: "nom de domaine invalide\u00a0: «\u202flocalhost\u202f» (il faut au moins un point, comme dans example.org)"}},
		{"Internationalised", "E-mail", "é@exämple.org",
			RowError{Field: "email", Value: "é@exämple.org", Message: "les adresses internationalisées (caractères accentués) ne sont pas prises en charge"}},
		{"HyphenLabel", "E-mail", "a@-b.org",
			RowError{Field: "email", Value: "a@-b.org", Message: "nom de domaine invalide\u00a0: «\u202f-b.org\u202f» (un élément ne peut ni commencer ni finir par un trait d’union)"}},
		{"TwoAddresses", "E-mail", "a@example.org b@example.org",
			RowError{Field: "email", Value: "a@example.org b@example.org", Message: "adresse e-mail attendue seule, sans nom, espace ni chevrons"}},
		{"NewlineInName", "E-mail;Nom", "a@example.org;\"Dupont\nBcc: x@example.com\"",
			RowError{Field: "last_name", Value: "Dupont Bcc: x@example.com", Message: "retour à la ligne ou caractère de contrôle interdit"}},
		{"TabInOrganization", "E-mail;Média", "a@example.org;\"Le\tMonde\"",
			RowError{Field: "organization", Value: "Le Monde", Message: "retour à la ligne ou caractère de contrôle interdit"}},
		{"LongName", "E-mail;Prénom", "a@example.org;" + long,
			RowError{Field: "first_name", Value: strings.Repeat("é", 80) + "…", Message: "200 caractères au plus (201 saisis)"}},
		{"LongRegion", "E-mail;Régions", "a@example.org;Bretagne," + strings.Repeat("x", 101),
			RowError{Field: "regions", Value: strings.Repeat("x", 80) + "…", Message: "100 caractères au plus par valeur (101 saisis)"}},
		{"TooManyTags", "E-mail;Tags", "a@example.org;" + manyTags,
			RowError{Field: "tags", Value: display(manyTags), Message: "50 valeurs au plus"}},
		{"PhoneInScientificNotation", "E-mail;Téléphone", "a@example.org;3,36123E+10",
			RowError{Field: "phone", Value: "3,36123E+10", Message: "numéro abîmé par Excel (notation scientifique)\u00a0: mettez la colonne au format Texte, corrigez-la et exportez de nouveau"}},
		{"OptedOut", "E-mail;Désinscrit", "a@example.org;peut-être",
			RowError{Field: "opted_out", Value: "peut-être", Message: "valeur inattendue\u00a0: «\u202fpeut-être\u202f» (oui ou non)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRead(t, tt.header+"\n"+tt.row+"\n")
			tt.want.Line = 2
			if len(res.Errors) != 1 || res.Errors[0] != tt.want {
				t.Errorf("errors\n got %+v\nwant %+v", res.Errors, tt.want)
			}
			if len(res.Rows) != 0 {
				t.Errorf("the faulty row was kept: %+v", res.Rows)
			}
		})
	}
}

// Every problem of a row is reported, not only the first.
func TestReadAllProblemsOfARow(t *testing.T) {
	res := mustRead(t, "Prénom;E-mail;Type\n\"a\tb\";x@;pigeon\n")
	var fields []string
	for _, e := range res.Errors {
		fields = append(fields, e.Field)
	}
	if want := []string{"first_name", "email", "kind"}; !reflect.DeepEqual(fields, want) {
		t.Errorf("fields %q, want %q", fields, want)
	}
}

func TestReadCells(t *testing.T) {
	tests := []struct {
		name, header, row string
		get               func(storage.Contact) any
		want              any
	}{
		{"FormulaApostropheRemoved", "E-mail;Nom", "a@example.org;\"'=HYPERLINK(\"\"x\"\")\"",
			func(c storage.Contact) any { return c.LastName }, `=HYPERLINK("x")`},
		{"PhoneApostropheRemoved", "E-mail;Téléphone", "a@example.org;'+33 1 23 45 67 89",
			func(c storage.Contact) any { return c.Phone }, "+33 1 23 45 67 89"},
		{"OtherApostropheKept", "E-mail;Nom", "a@example.org;'t Hooft",
			func(c storage.Contact) any { return c.LastName }, "'t Hooft"},
		{"PhoneLeadingZeroRestored", "E-mail;Téléphone", "a@example.org;612345678",
			func(c storage.Contact) any { return c.Phone }, "0612345678"},
		{"PhoneOtherDigitsKept", "E-mail;Téléphone", "a@example.org;0612345678",
			func(c storage.Contact) any { return c.Phone }, "0612345678"},
		{"Mailto", "E-mail", "mailto:a@example.org",
			func(c storage.Contact) any { return c.Email }, "a@example.org"},
		{"EmailTrimmed", "E-mail", "\u00a0 a@example.org ",
			func(c storage.Contact) any { return c.Email }, "a@example.org"},
		{"ListsDeduplicated", "E-mail;Thématiques", "a@example.org;Santé, santé ,, | * starred ::: IA",
			func(c storage.Contact) any { return c.Tags }, []string{"Santé", "IA"}},
		{"UnknownLanguageKept", "E-mail;Langue", "a@example.org;breton",
			func(c storage.Contact) any { return c.Language }, "breton"},
		{"FullNameInCapitals", "E-mail;Nom complet", "a@example.org;DE LA TOUR Jean-Marie",
			func(c storage.Contact) any { return [2]string{c.FirstName, c.LastName} }, [2]string{"Jean-Marie", "DE LA TOUR"}},
		{"FullNameIgnoredBesideNames", "E-mail;Nom;Nom complet", "a@example.org;Curie;Marie Curie",
			func(c storage.Contact) any { return [2]string{c.FirstName, c.LastName} }, [2]string{"", "Curie"}},
		{"ShortRowIsPadded", "E-mail;Nom;Média", "a@example.org",
			func(c storage.Contact) any { return c.Organization }, ""},
		{"BlankExtraCellsTolerated", "E-mail;Nom", "a@example.org;Curie;;  ;",
			func(c storage.Contact) any { return c.LastName }, "Curie"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustOneRow(t, tt.header+"\n"+tt.row+"\n")
			if got := tt.get(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestSplitFullName(t *testing.T) {
	tests := []struct {
		full        string
		reversed    bool
		first, last string
	}{
		{"Jean Dupont", false, "Jean", "Dupont"},
		{"Jean-Marie de la Tour", false, "Jean-Marie", "de la Tour"},
		{"DUPONT Jean", false, "Jean", "DUPONT"},
		{"Jean DUPONT", true, "Jean", "DUPONT"},
		{"Dupont Jean", true, "Jean", "Dupont"},
		{"JEAN DUPONT", false, "JEAN", "DUPONT"},
		{"Dupont", false, "", "Dupont"},
		{"  ", false, "", ""},
		{"J. DUPONT", false, "J.", "DUPONT"},
	}
	for _, tt := range tests {
		if first, last := splitFullName(tt.full, tt.reversed); first != tt.first || last != tt.last {
			t.Errorf("splitFullName(%q, %v) = %q, %q; want %q, %q", tt.full, tt.reversed, first, last, tt.first, tt.last)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := storage.NormalizeEmail("  Jean.Dupont@Example.ORG\t"); got != "jean.dupont@example.org" {
		t.Errorf("got %q", got)
	}
}

func TestReadFileErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"Empty", "", "Le fichier «\u202fcontacts.csv\u202f» est vide."},
		{"Blank", "\uFEFF \r\n\r\n", "Le fichier «\u202fcontacts.csv\u202f» est vide."},
		{"Xlsx", "PK\x03\x04\x14\x00\x06\x00", "«\u202fcontacts.csv\u202f» est un classeur Excel ou LibreOffice\u00a0: enregistrez-le au format CSV (point-virgule) ou vCard."},
		{"NoEmailColumn", "Prénom;Nom;Ville\nJean;Dupont;Lyon\n",
			"Aucune colonne d'adresse e-mail dans «\u202fcontacts.csv\u202f» (colonnes lues\u00a0: Prénom, Nom, Ville)\u00a0: nommez-la «\u202fE-mail\u202f»."},
		{"BrokenHeader", "Nom;\"E-mail\n", "Ligne d'en-tête 1 illisible\u00a0: " + msgUnclosed + "."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.data), "contacts.csv")
			var e *storage.Error
			if !errors.As(err, &e) || e.Code != storage.EINVALID || e.Message != tt.want {
				t.Errorf("got %v, want EINVALID %q", err, tt.want)
			}
		})
	}
}

func TestMapHeaderLimitsColumnsPerField(t *testing.T) {
	header := strings.Split(strings.Repeat("E-mail;", 10)+"Nom", ";")
	cols, ignored := mapHeader(header)
	if len(cols[fieldEmail]) != maxColumnsPerField || len(ignored) != 10-maxColumnsPerField ||
		!reflect.DeepEqual(cols[fieldLastName], []int{10}) {
		t.Errorf("cols %v ignored %q", cols, ignored)
	}
}

func TestLookupHeaderKeepsOtherColumnsOut(t *testing.T) {
	for _, name := range []string{"E-mail Type", "E-mail Display Name", "E-mail 1 - Label", "Phone 1 - Label",
		"Nom complet de l'adresse de messagerie", "Type de messagerie", "Organization Title", "Ville", "Notes",
		"Téléphone (voiture)", "Télécopie (bureau)", "Business Fax", "Home Street"} {
		if a, ok := lookupHeader(name); ok && a.field != fieldNone {
			t.Errorf("lookupHeader(%q) = %+v, want no field", name, a)
		}
	}
}

// Columns of one field are read best rank first, then left to right.
func TestMapHeaderRanks(t *testing.T) {
	cols, _ := mapHeader([]string{"Mobile Phone", "Phone 2 - Value", "Business Phone", "Tél", "Phone 1 - Value",
		"Other Phone", "Téléphone (voiture)"})
	if want := []int{2, 3, 0, 5, 4, 1}; !reflect.DeepEqual(cols[fieldPhone], want) {
		t.Errorf("phone columns %v, want %v", cols[fieldPhone], want)
	}
}

func TestReadHeaderOnly(t *testing.T) {
	res := mustRead(t, "Nom;E-mail\r\n")
	if len(res.Rows) != 0 || len(res.Errors) != 0 {
		t.Errorf("got %+v", res)
	}
}

func TestReadReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Read(errReader{boom}, "contacts.csv")
	if !errors.Is(err, boom) || storage.ErrorCode(err) != storage.EINTERNAL {
		t.Errorf("got %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadTooManyErrors(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("E-mail\n")
	for range 2 * maxErrors {
		b.WriteString("invalide\n")
	}
	res := mustRead(t, b.String())
	if len(res.Errors) != maxErrors+1 {
		t.Fatalf("%d errors", len(res.Errors))
	}
	last := res.Errors[maxErrors]
	if last.Line != maxErrors+1 || !strings.HasPrefix(last.Message, "plus de 1000 erreurs") {
		t.Errorf("last error %+v", last)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestHasControl(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"Élodie Lœuvre — D’Œuvre «\u202fSud\u202f»\u00a0!", false},
		{"a\tb", true}, {"a\nb", true}, {"a\rb", true}, {"a\x00", true}, {"a\x7f", true},
		{"a\u0085b", true}, {"a\u009fb", true}, {"a\u2028b", true}, {"a\u2029b", true},
		{"a\u2027b", false}, {"a\u00a0b", false},
	}
	for _, tt := range tests {
		if got := hasControl(tt.s); got != tt.want {
			t.Errorf("hasControl(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
