package contactfile

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"slices"
	"strings"
	"testing"

	"portevoix/storage"
)

// FuzzRead checks that Read never panics, that what it accepts is valid, and
// that what it accepts survives WriteCSV and Read again unchanged. The seed
// corpus is in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sampleContacts()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Read(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if storage.ErrorCode(err) != storage.EINVALID {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		contacts := checkRows(t, res)
		var out bytes.Buffer
		if err := WriteCSV(&out, contacts); err != nil {
			t.Fatal(err)
		}
		again, err := Read(&out, "export.csv")
		if err != nil {
			t.Fatalf("re-reading the export: %v", err)
		}
		if len(again.Errors) > 0 {
			t.Fatalf("re-reading the export: %+v", again.Errors)
		}
		if got := checkRows(t, again); !reflect.DeepEqual(got, contacts) {
			t.Fatalf("round trip\n got %+v\nwant %+v", got, contacts)
		}
	})
}

// checkRows fails on an accepted row that breaks an invariant and returns the
// contacts.
func checkRows(t *testing.T, res *Result) []storage.Contact {
	t.Helper()
	seen := map[string]bool{}
	contacts := make([]storage.Contact, 0, len(res.Rows))
	for _, r := range res.Rows {
		c := r.Contact
		if r.Line < 1 || !storage.ValidEmail(c.Email) || kindLabels[c.Kind] == "" {
			t.Fatalf("invalid row %+v", r)
		}
		key := storage.NormalizeEmail(c.Email)
		if seen[key] {
			t.Fatalf("duplicate address %q", c.Email)
		}
		seen[key] = true
		texts := append([]string{c.FirstName, c.LastName, c.Phone, c.Organization, c.Language, c.Source, c.LawfulBasis},
			append(c.Regions, c.Tags...)...)
		for _, s := range texts {
			if hasControl(s) {
				t.Fatalf("control character in %q", s)
			}
		}
		contacts = append(contacts, c)
	}
	for _, e := range res.Errors {
		if e.Line < 1 || e.Message == "" {
			t.Fatalf("bad error %+v", e)
		}
	}
	return contacts
}

// FuzzScannerMatchesEncodingCSV checks the scanner against encoding/csv (strict
// quotes): on text encoding/csv reads without error, both give the same
// records. Carriage returns are left out: the scanner ends a line at a lone
// "\r", encoding/csv keeps it in the field.
func FuzzScannerMatchesEncodingCSV(f *testing.F) {
	for _, s := range []string{"a;b\nc;d\n", "\"a;\"\"b\"\"\nc\";d\n\ne", "a;;\n;\n\"\"", "x\n\n\ny;\"\"\"\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.ContainsRune(text, '\r') {
			return
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord = ';', -1
		want, err := r.ReadAll()
		if err != nil {
			return
		}
		var got [][]string
		s := newScanner(text, ';')
		for {
			line, problem, ok := s.next()
			if !ok {
				break
			}
			if problem != "" {
				t.Fatalf("line %d: %s; encoding/csv reads %q", line, problem, want)
			}
			if s.firstLine() != "" { // encoding/csv skips empty lines
				got = append(got, slices.Clone(s.fields))
			}
		}
		if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("scanner %q\nencoding/csv %q", got, want)
		}
	})
}
