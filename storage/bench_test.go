package storage_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// benchRegions spreads the contacts over regions the way a national press file does.
var benchRegions = []string{"Bretagne", "Occitanie", "Île-de-France", "Grand Est", "Hauts-de-France",
	"Auvergne-Rhône-Alpes", "Provence-Alpes-Côte d’Azur", "Pays de la Loire", "Centre-Val de Loire", "Normandie"}

// mustContacts imports n press contacts, a few of them opted out or bounced.
func mustContacts(tb testing.TB, s *storage.Store, n int) {
	tb.Helper()
	rows := make([]storage.ImportRow, n)
	for i := range rows {
		rows[i] = storage.ImportRow{Line: i + 2, Contact: storage.Contact{
			FirstName: "Élodie", LastName: fmt.Sprintf("Lefèvre %d", i), Email: fmt.Sprintf("journaliste.%d@example.org", i),
			Organization: "Ouest-France", Regions: []string{benchRegions[i%len(benchRegions)]},
			Tags: []string{"santé", "économie", "industrie"}[i%3 : i%3+1], Source: "Fichier presse 2025", LawfulBasis: "intérêt légitime",
		}}
	}
	if report, err := s.ImportContacts("bench", rows, false); err != nil || report.Created != n {
		tb.Fatalf("import: %v, %+v", err, report)
	}
	for id := uint64(1); id <= uint64(n); id += 97 {
		if err := s.OptOut(id, "bench"); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkRecipients50k resolves a regional list of journalists over 50,000 contacts.
func BenchmarkRecipients50k(b *testing.B) {
	s := MustOpen(b)
	mustContacts(b, s, 50_000)
	list := MustCreate(b, s, &storage.List{Name: "Presse Bretagne", Regions: []string{"bretagne"}, Kinds: []string{storage.KindJournalist}})
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Recipients(list.ID)
		if err != nil || len(got) < 4_900 || len(got) > 5_000 {
			b.Fatalf("%d recipients, %v", len(got), err)
		}
	}
}

// referenceRecipients resolves a list the way the store did before contact_match, from
// every contact's JSON: the rule's matches plus the members, first address wins, never
// opted out, bounced or suppressed.
func referenceRecipients(tb testing.TB, s *storage.Store, l *storage.List) []storage.Contact {
	tb.Helper()
	all, err := s.AllContacts()
	if err != nil {
		tb.Fatal(err)
	}
	anyFold := func(want, have []string) bool {
		for _, w := range want {
			for _, h := range have {
				if strings.EqualFold(w, h) {
					return true
				}
			}
		}
		return len(want) == 0
	}
	hasRule := len(l.Regions)+len(l.Tags)+len(l.Kinds) > 0
	seen := map[string]bool{}
	out := []storage.Contact{}
	for _, c := range all {
		email := storage.NormalizeEmail(c.Email)
		if c.OptedOut || c.Bounced || seen[email] || s.Suppressed(email) {
			continue
		}
		rule := hasRule && anyFold(l.Regions, c.Regions) && anyFold(l.Tags, c.Tags) && anyFold(l.Kinds, []string{c.Kind})
		if rule || slices.Contains(l.MemberIDs, c.ID) {
			seen[email] = true
			out = append(out, c)
		}
	}
	return out
}

// TestRecipientsMatchTheJSON: lists resolved from contact_match give exactly the contacts
// that decoding every contact gives, field for field, before and after a base written
// without contact_match is upgraded.
func TestRecipientsMatchTheJSON(t *testing.T) {
	if n := reflect.TypeFor[storage.Contact]().NumField(); n != 16 {
		t.Fatalf("Contact has %d fields: update encodeMatch and contact in recipients.go, then this count", n)
	}
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second) // checked once reopened below
	if err != nil {
		t.Fatal(err)
	}
	mustContacts(t, s, 2_000)
	pole := MustCreate(t, s, &storage.Pole{Name: "Atlanpole Biotherapies", ShortName: "Atlanpole", Regions: []string{"Pays de la Loire"}})
	full := MustCreate(t, s, &storage.Contact{FirstName: "Maëlle", LastName: "Guérin", Email: "Maelle.Guerin@example.org",
		Phone: "06 01 02 03 04", Organization: "France 3", Kind: storage.KindPressOfficer, Regions: []string{"Pays de la Loire"},
		Tags: []string{"santé"}, PoleID: pole.ID, Language: "fr", Source: "salon 2025", LawfulBasis: "consentement"})
	bounced := MustCreate(t, s, &storage.Contact{Email: "rebond@example.org", Regions: []string{"Bretagne"}})
	if err := s.MarkBounced(bounced.ID); err != nil {
		t.Fatal(err)
	}
	lists := []*storage.List{
		MustCreate(t, s, &storage.List{Name: "Bretagne", Regions: []string{"BRETAGNE"}, Kinds: []string{storage.KindJournalist}}),
		MustCreate(t, s, &storage.List{Name: "Santé", Tags: []string{"santé", "industrie"}, MemberIDs: []uint64{full.ID, 5, 98}}),
		MustCreate(t, s, &storage.List{Name: "Membres", MemberIDs: []uint64{full.ID, 3, bounced.ID}}),
		MustCreate(t, s, &storage.List{Name: "Attachés", Regions: []string{"Pays de la Loire"}, Kinds: []string{storage.KindPressOfficer}}),
	}
	check := func(when string) {
		for _, l := range lists {
			got, err := s.Recipients(l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := referenceRecipients(t, s, l); !reflect.DeepEqual(got, want) {
				t.Errorf("%s, list %q: %d recipients differ from the %d decoded from JSON", when, l.Name, len(got), len(want))
			}
		}
		checkContactsByID(t, s, bounced.ID+1, when)
	}
	check("fresh base")
	// An edit, an opt-out and a deletion must all reach contact_match.
	full.Tags = []string{"industrie"}
	if err := storage.Update(s, "test", full); err != nil {
		t.Fatal(err)
	}
	if err := s.OptOut(7, "test"); err != nil {
		t.Fatal(err)
	}
	if err := storage.Delete[storage.Contact](s, "test", 9); err != nil {
		t.Fatal(err)
	}
	check("after edits")

	// A base of schema 1 had no contact_match: opening it builds the index.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	downgrade(t, filepath.Join(dir, "portevoix.db"))
	s = mustOpenDir(t, dir)
	check("after the upgrade from schema 1")
	if got, err := s.LatestBounces(10); err != nil || len(got) != 1 || got[0].Contact.ID != bounced.ID {
		t.Errorf("after the upgrade from schema 1, the latest bounces are %+v (%v), want contact %d", got, err, bounced.ID)
	}
}

// checkContactsByID compares ContactsByID, which decodes contact_match, with every
// contact's JSON, for the ids below end (deleted ones among them) and one never used.
func checkContactsByID(t *testing.T, s *storage.Store, end uint64, when string) {
	t.Helper()
	var ids []uint64
	for id := uint64(1); id <= end; id++ {
		ids = append(ids, id)
	}
	got, err := s.ContactsByID(ids)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, id := range ids {
		want, err := storage.Get[storage.Contact](s, id)
		c, ok := got[id]
		if err == nil {
			found++
		}
		if ok != (err == nil) || (ok && !reflect.DeepEqual(c, *want)) {
			t.Fatalf("%s, contact %d: ContactsByID gives %+v (%v), its JSON %+v (%v)", when, id, c, ok, want, err)
		}
	}
	if found < len(ids)-2 {
		t.Fatalf("%s: only %d of %d contacts found", when, found, len(ids))
	}
}

// downgrade makes the base look written at schema 1: contact_match empty, no
// contact_bounce, and contacts without the version and author that came later.
func downgrade(t *testing.T, path string) {
	t.Helper()
	mustUpdateFile(t, path, func(tx *bolt.Tx) error {
		idx := tx.Bucket([]byte("idx"))
		for _, name := range []string{"contact_match", "contact_bounce"} {
			if err := idx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		if _, err := idx.CreateBucket([]byte("contact_match")); err != nil {
			return err
		}
		if err := stripVersions(tx.Bucket([]byte("contacts"))); err != nil {
			return err
		}
		return setSchema(tx, 1)
	})
}

// stripVersions removes the version and the author from every record of b.
func stripVersions(b *bolt.Bucket) error {
	stripped := map[string][]byte{}
	err := b.ForEach(func(k, data []byte) error {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(data, &fields); err != nil {
			return err
		}
		delete(fields, "version")
		delete(fields, "updated_by")
		out, err := json.Marshal(fields)
		stripped[string(k)] = out
		return err
	})
	for k, data := range stripped {
		if err == nil {
			err = b.Put([]byte(k), data)
		}
	}
	return err
}

// TestFindContactsMatchesTheJSON pages through filtered contacts from contact_match and
// checks every page against the generic listing, which decodes the JSON.
func TestFindContactsMatchesTheJSON(t *testing.T) {
	s := MustOpen(t)
	mustContacts(t, s, 300)
	filters := []storage.ContactFilter{{}, {Region: "bretagne"}, {Tag: "SANTÉ", Kind: storage.KindJournalist}, {Q: "lefèvre 1"}, {Region: "Normandie", Q: "nobody"}}
	for _, f := range filters {
		for _, limit := range []int{7, 1000} {
			cursor, fastCursor := "", ""
			for {
				want, err := storage.Find[storage.Contact](s, storage.ListOptions{Limit: limit, Cursor: cursor}, f.Match)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.FindContacts(f, storage.ListOptions{Limit: limit, Cursor: fastCursor})
				if err != nil {
					t.Fatal(err)
				}
				wantJSON, _ := json.Marshal(want)
				gotJSON, _ := json.Marshal(got)
				if string(wantJSON) != string(gotJSON) {
					t.Fatalf("filter %+v, limit %d: pages differ\n got %s\nwant %s", f, limit, gotJSON, wantJSON)
				}
				if want.Next == "" {
					break
				}
				cursor, fastCursor = want.Next, got.Next
			}
		}
	}
}

// BenchmarkFindContacts50k lists a page of contacts matching a rare filter over 50,000.
func BenchmarkFindContacts50k(b *testing.B) {
	s := MustOpen(b)
	mustContacts(b, s, 50_000)
	b.ReportAllocs()
	for b.Loop() {
		page, err := s.FindContacts(storage.ContactFilter{Region: "bretagne", Q: "lefèvre 4999"}, storage.ListOptions{})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("%d contacts, %v", len(page.Items), err)
		}
	}
}

// BenchmarkRecipientsPaged20k pages through a list of about 20,000 recipients (a regional
// rule plus explicit members) among 200,000 contacts, as GET /lists/{id}/recipients does:
// one op is the whole walk, from the first page to the last.
func BenchmarkRecipientsPaged20k(b *testing.B) {
	s := MustOpen(b)
	mustContacts(b, s, 200_000)
	members := make([]uint64, 0, 300)
	for id := uint64(2); len(members) < cap(members); id += 661 {
		members = append(members, id)
	}
	list := MustCreate(b, s, &storage.List{Name: "Presse Bretagne", Regions: []string{"bretagne"}, MemberIDs: members})
	for _, limit := range []int{50, 1000} {
		b.Run(fmt.Sprintf("page=%d", limit), func(b *testing.B) {
			var pages, recipients int
			for b.Loop() {
				pages, recipients = 0, 0
				for cursor := ""; pages == 0 || cursor != ""; pages++ {
					page, err := s.RecipientsPage(list.ID, storage.ListOptions{Limit: limit, Cursor: cursor})
					if err != nil {
						b.Fatal(err)
					}
					recipients += len(page.Items)
					cursor = page.Next
				}
			}
			if recipients < 19_900 || recipients > 20_200 {
				b.Fatalf("%d recipients", recipients)
			}
			b.ReportMetric(float64(pages), "pages/op")
			b.ReportMetric(float64(recipients), "recipients/op")
		})
	}
}

// sendingCampaign starts a campaign to every journalist of a base of n contacts.
func sendingCampaign(b *testing.B, s *storage.Store, n int) uint64 {
	mustContacts(b, s, n)
	list := MustCreate(b, s, &storage.List{Name: "Presse santé", Kinds: []string{storage.KindJournalist}})
	pole := MustCreate(b, s, &storage.Pole{Name: "Eurobiomed", Regions: []string{"Occitanie"}})
	c := MustCreate(b, s, &storage.Communique{Title: "Sept mesures", Date: "2020-05-12", Template: "mesures", PoleIDs: []uint64{pole.ID}})
	if _, err := s.ApproveCommunique("bench", c.ID, pole.ID); err != nil {
		b.Fatal(err)
	}
	camp := MustCreate(b, s, &storage.Campaign{CommuniqueID: c.ID, ListIDs: []uint64{list.ID}, Subject: "Sept mesures"})
	if _, err := s.StartCampaign("bench", camp.ID); err != nil {
		b.Fatal(err)
	}
	return camp.ID
}

// BenchmarkRecordResults is the sender's commit of outcomes, group by group as through a
// real MTA, where a commit holds one to a few outcomes: one op is one commit. It reports
// the processor time of the process per commit (getrusage: fdatasync's share included),
// which is what the sender and the MTA share on a small machine.
func BenchmarkRecordResults(b *testing.B) {
	for _, group := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("group=%d", group), func(b *testing.B) {
			s := MustOpen(b)
			id := sendingCampaign(b, s, 20_000)
			var claimed []storage.Delivery
			results := make([]storage.DeliveryResult, group)
			var cpu time.Duration
			for b.Loop() {
				if len(claimed) < group {
					b.StopTimer()
					var err error
					if claimed, err = s.ClaimDeliveries(id, 1000, s.Now()); err != nil || len(claimed) < group {
						b.Fatalf("claimed %d (%v): run fewer ops", len(claimed), err)
					}
					b.StartTimer()
				}
				for i := range results {
					results[i] = storage.DeliveryResult{DeliveryID: claimed[i].ID, Outcome: storage.OutcomeSent, MessageID: fmt.Sprintf("<%d@example.org>", claimed[i].ID)}
				}
				claimed = claimed[group:]
				before := processCPU()
				if _, err := s.RecordResults(results); err != nil {
					b.Fatal(err)
				}
				cpu += processCPU() - before
			}
			b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/commit")
		})
	}
}

// processCPU is the processor time the process has used, user and system.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		panic(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkRecoverInFlight20k is the sender's start-up over a base holding a finished
// campaign of about 20,000 deliveries: nothing is in flight, and recovery used to decode
// every delivery ever made to find out.
func BenchmarkRecoverInFlight20k(b *testing.B) {
	s := MustOpen(b)
	id := sendingCampaign(b, s, 20_000)
	for {
		claimed, err := s.ClaimDeliveries(id, 1000, s.Now())
		if err != nil {
			b.Fatal(err)
		}
		if len(claimed) == 0 {
			break
		}
		results := make([]storage.DeliveryResult, len(claimed))
		for i, d := range claimed {
			results[i] = storage.DeliveryResult{DeliveryID: d.ID, Outcome: storage.OutcomeSent, MessageID: fmt.Sprintf("<%d@example.org>", d.ID)}
		}
		if _, err := s.RecordResults(results); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if n, err := s.RecoverInFlight(); err != nil || n != 0 {
			b.Fatalf("recovered %d (%v), want none", n, err)
		}
	}
}
