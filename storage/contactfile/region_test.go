package contactfile

import (
	"reflect"
	"strings"
	"testing"

	"portevoix/storage/region"
)

// Imported « PACA » or « ile-de-france » reached no list: the reader gives canonical names,
// refuses unknown ones on their line, and derives the region from a département or postal
// code when the file has no region.
func TestReadRegions(t *testing.T) {
	data := "E-mail;Région;Code postal;Département;Pays\n" +
		"a@example.org;PACA | Provence-Alpes-Côte d'Azur;;;\n" +
		"b@example.org;ile-de-france, Rhône-Alpes;13001;;\n" +
		"c@example.org;Bavière;;;\n" +
		"d@example.org;;69003;;France\n" +
		"e@example.org;;75015;2A;\n" +
		"f@example.org;;1000;;\n" +
		"g@example.org;;97400;;La Réunion\n" +
		"h@example.org;;B-1000;;\n" +
		"i@example.org;;10115;;Allemagne\n"
	res := mustRead(t, data)
	want := map[string][]string{
		"a@example.org": {region.ProvenceAlpesCoteDAzur},
		"b@example.org": {region.IleDeFrance, region.AuvergneRhoneAlpes}, // the region column wins
		"d@example.org": {region.AuvergneRhoneAlpes},
		"e@example.org": {region.Corse}, // the département before the postal code
		"f@example.org": {region.AuvergneRhoneAlpes},
		"g@example.org": {region.LaReunion},
		"h@example.org": nil, // a foreign code gives nothing, and is no error
		"i@example.org": nil, // nor a foreign country, whatever its postal code
	}
	got := map[string][]string{}
	for _, r := range res.Rows {
		got[r.Contact.Email] = r.Contact.Regions
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("regions\n got %q\nwant %q", got, want)
	}
	if len(res.Errors) != 1 {
		t.Fatalf("errors %+v, want one for line 4", res.Errors)
	}
	e := res.Errors[0]
	if e.Line != 4 || e.Field != "regions" || e.Value != "Bavière" || !strings.Contains(e.Message, region.List()) {
		t.Errorf("error %+v, want line 4 naming Bavière and the valid regions", e)
	}
}

func TestListEscapes(t *testing.T) {
	for _, item := range []string{"a", "santé, recherche", "a;b|c", "x:::y", "a::::b", "*star", "back\\slash\\", "\\,", "C:\\d"} {
		escaped := escapeList(item)
		got, rest := cutList(escaped + ", suite")
		if unescapeList(strings.TrimSpace(got)) != item || strings.TrimSpace(rest) != "suite" {
			t.Errorf("item %q escaped as %q read back as %q then %q", item, escaped, got, rest)
		}
	}
	if got := unescapeList(`C:\dossier`); got != `C:\dossier` {
		t.Errorf("a backslash before a letter was dropped: %q", got)
	}
}

func TestReadVCardRegionFromPostalCode(t *testing.T) {
	data := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Agnès Brunet\r\nEMAIL:agnes@example.org\r\n" +
		"ADR;TYPE=WORK:;;4 rue Montrochet;Lyon;;69002;France\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Hans Weber\r\nEMAIL:hans@example.org\r\n" +
		"ADR;TYPE=WORK:;;Unter den Linden 1;Berlin;;10117;Deutschland\r\nEND:VCARD\r\n"
	res := mustRead(t, data)
	if len(res.Rows) != 2 || !reflect.DeepEqual(res.Rows[0].Contact.Regions, []string{region.AuvergneRhoneAlpes}) || res.Rows[1].Contact.Regions != nil {
		t.Errorf("rows %+v errors %+v", res.Rows, res.Errors)
	}
}

// An address's state is no region of ours: a US state or a département name is no error,
// and the postal code then gives the region.
func TestReadAddressRegion(t *testing.T) {
	data := "E-mail,Business State,Business Postal Code,Business Country/Region\n" +
		"a@example.org,CA,94103,USA\n" +
		"b@example.org,Finistère,29200,France\n" +
		"c@example.org,Région Sud,,\n"
	res := mustRead(t, data)
	if len(res.Errors) != 0 || len(res.Rows) != 3 {
		t.Fatalf("rows %+v errors %+v", res.Rows, res.Errors)
	}
	for i, want := range [][]string{nil, {region.Bretagne}, {region.ProvenceAlpesCoteDAzur}} {
		if got := res.Rows[i].Contact.Regions; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: regions %q, want %q", res.Rows[i].Contact.Email, got, want)
		}
	}
}
