package storage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// FuzzContactJSON: a contact's own JSON is byte for byte json.Marshal's, whatever its
// strings (escapes, HTML characters, line separators, invalid UTF-8), lists (nil, empty),
// optional fields and times (zones, nanoseconds, years json.Marshal refuses).
func FuzzContactJSON(f *testing.F) {
	if n := reflect.TypeFor[Contact]().NumField(); n != 16 {
		f.Fatalf("Contact has %d fields: update appendJSON in contactjson.go, then this count", n)
	}
	f.Add("Élodie", "D’Artagnan", "elodie@example.org", "santé", uint64(0), int64(1_764_000_000), 123_456_789, 60, false, false)
	f.Add("<b>\"Jean\"</b> & \\co", "\x00\x1f\b\f\n\r\t\x7f", "a@b.c", "", uint64(7), int64(0), 0, -570, true, true)
	f.Add("\u2028\u2029\ufffd", "\xff\xfe\xc3", "x", "Île-de-France", uint64(1<<63), int64(-62_167_219_201), 5, 0, true, false)
	f.Add("", "", "", "", uint64(0), int64(253_402_300_800), 0, 0, false, true) // year 10000
	f.Fuzz(func(t *testing.T, first, last, email, tag string, pole uint64, secs int64, nanos, offset int, optedOut, nilLists bool) {
		at := time.Unix(secs, int64(nanos)).In(time.FixedZone("", (offset%1440)*60))
		c := Contact{Meta: Meta{ID: pole / 3, CreatedAt: at, UpdatedAt: at.Add(time.Hour), UpdatedBy: last, Version: pole / 5},
			FirstName: first, LastName: last, Email: email, Phone: tag, Organization: first + last, Kind: KindAgency,
			Regions: []string{tag, first}, Tags: []string{}, PoleID: pole, Language: "fr", Source: email, LawfulBasis: tag,
			OptedOut: optedOut, Bounced: !optedOut}
		if optedOut {
			c.OptedOutAt = &at
		}
		if nilLists {
			c.Regions, c.Tags = nil, nil
		}
		want, wantErr := json.Marshal(&c)
		got, err := c.appendJSON(nil)
		if (err == nil) != (wantErr == nil) || string(got) != string(want) {
			t.Fatalf("appendJSON:\n%s (%v)\njson.Marshal:\n%s (%v)", got, err, want, wantErr)
		}
	})
}
