package contactfile

import (
	"bytes"
	"net/mail"
	"reflect"
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
		if r.Line < 1 || !validEmail(c.Email) || kindLabels[c.Kind] == "" {
			t.Fatalf("invalid row %+v", r)
		}
		key := NormalizeEmail(c.Email)
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

// FuzzSimpleEmail checks that the fast path of validEmail accepts nothing that
// net/mail refuses.
func FuzzSimpleEmail(f *testing.F) {
	for _, s := range []string{"jean.dupont@example.org", "a+b@x-y.example.com", "a..b@example.org",
		"\"a b\"@example.org", "élodie@exemple.fr", "a@b", "a@-x.org", ".a@example.org", "a@example.org."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !simpleEmail(s) {
			return
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			t.Fatalf("simpleEmail accepts %q, net/mail gives %v, %v", s, a, err)
		}
	})
}
