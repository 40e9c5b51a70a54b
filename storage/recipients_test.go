package storage_test

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
)

// TestRecipientsPagesMatchTheResolution pages through lists at several page sizes and
// checks that the pages, put end to end, are exactly the list's full resolution: same
// contacts, same order, none twice, none missing. The base mixes rule matches and explicit
// members with opted-out, suppressed and bounced contacts, members that also match the
// rule or no longer exist, and addresses stored twice behind the store's back.
func TestRecipientsPagesMatchTheResolution(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mustContacts(t, s, 1_500) // every 97th opted out; region i%10, tag i%3
	for _, id := range []uint64{11, 21, 51, 52, 1401} {
		if err := s.MarkBounced(id); err != nil {
			t.Fatal(err)
		}
	}
	// A file unsubscribing known addresses (one in another case) suppresses them.
	unsubscribed := []storage.ImportRow{
		{Line: 2, Contact: storage.Contact{Email: "journaliste.30@example.org", OptedOut: true}},
		{Line: 3, Contact: storage.Contact{Email: "Journaliste.700@EXAMPLE.org", OptedOut: true}},
	}
	if _, err := s.ImportContacts("test", unsubscribed, false); err != nil {
		t.Fatal(err)
	}
	// The same address in another case is refused: the store keeps one contact per address.
	err = storage.Create(s, "test", &storage.Contact{Email: "JOURNALISTE.40@example.org", Regions: []string{"Bretagne"}})
	wantCode(t, err, storage.ECONFLICT)
	lists := []*storage.List{
		// Bretagne is i%10 == 0, i.e. ids 1, 11, 21…; members: other regions, the rule's own
		// 41, opted-out 98, bounced 52, 3 (deleted below), 5 twice. Ids 31 and 701 are the
		// suppressed addresses, 1401 bounced.
		MustCreate(t, s, &storage.List{Name: "Bretagne", Regions: []string{"bretagne"}, Kinds: []string{storage.KindJournalist},
			MemberIDs: []uint64{5, 41, 98, 52, 3, 5, 1_499}}),
		MustCreate(t, s, &storage.List{Name: "Membres", MemberIDs: []uint64{1_500, 2, 701, 31, 98, 3, 1_401, 2}}),
		MustCreate(t, s, &storage.List{Name: "Santé", Tags: []string{"SANTÉ"}}),
		MustCreate(t, s, &storage.List{Name: "Personne", Regions: []string{"Corse"}}),
	}
	if err := storage.Delete[storage.Contact](s, "test", 3); err != nil {
		t.Fatal(err)
	}
	checkPages(t, s, lists, "fresh base")

	// Addresses stored twice, as a base written by other means could hold them: a copy of
	// a recipient (the first stays the recipient) and a mailable copy of a bounced contact
	// (the copy becomes the recipient).
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	path := filepath.Join(dir, "portevoix.db")
	copyContact(t, path, 41, 1_600, false)
	copyContact(t, path, 21, 1_601, true)
	copyContact(t, path, 51, 1_602, true)
	s = mustOpenDir(t, dir)
	lists[0].MemberIDs = []uint64{5, 41, 98, 52, 5, 1_499, 1_600} // 3 is gone: a list takes no deleted member
	if err := storage.Update(s, "test", lists[0]); err != nil {
		t.Fatal(err)
	}
	got, err := s.Recipients(lists[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if have := ids(got); slices.Contains(have, 1_600) || !slices.Contains(have, 41) || !slices.Contains(have, 1_601) {
		t.Fatalf("the full resolution does not keep the first mailable contact of each address: %v", have)
	}
	checkPages(t, s, lists, "duplicate addresses")
}

// checkPages compares each list's pages, at several page sizes, with its full resolution.
func checkPages(t *testing.T, s *storage.Store, lists []*storage.List, when string) {
	t.Helper()
	for _, l := range lists {
		want, err := s.Recipients(l.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{1, 7, 50, 1000} {
			got := pageThrough(t, s, l.ID, limit)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s, list %q, pages of %d: %d recipients %v, want the %d of the full resolution %v",
					when, l.Name, limit, len(got), ids(got), len(want), ids(want))
			}
		}
	}
}

// pageThrough follows a list's cursors from the first page to the last.
func pageThrough(t *testing.T, s *storage.Store, listID uint64, limit int) []storage.Contact {
	t.Helper()
	out := []storage.Contact{}
	for cursor := ""; ; {
		page, err := s.RecipientsPage(listID, storage.ListOptions{Limit: limit, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > limit || page.Next != "" && len(page.Items) < limit {
			t.Fatalf("page of %d recipients at cursor %q, limit %d, next %q", len(page.Items), cursor, limit, page.Next)
		}
		out = append(out, page.Items...)
		if page.Next == "" {
			return out
		}
		cursor = page.Next
	}
}

func ids(contacts []storage.Contact) []uint64 {
	out := make([]uint64, len(contacts))
	for i, c := range contacts {
		out[i] = c.ID
	}
	return out
}

func TestRecipientsPageErrors(t *testing.T) {
	s := MustOpen(t)
	list := MustCreate(t, s, &storage.List{Name: "Bretagne", Regions: []string{"Bretagne"}})
	_, err := s.RecipientsPage(list.ID, storage.ListOptions{Cursor: "douze"})
	wantCode(t, err, storage.EINVALID)
	_, err = s.RecipientsPage(list.ID+1, storage.ListOptions{})
	wantCode(t, err, storage.ENOTFOUND)
	page, err := s.RecipientsPage(list.ID, storage.ListOptions{Cursor: "12345"})
	if err != nil || len(page.Items) != 0 || page.Next != "" {
		t.Fatalf("cursor past the end: %+v, %v", page, err)
	}
}

// copyContact writes contact from again as contact to, straight into bbolt and so past the
// store's one-contact-per-address rule; mailable clears the copy's bounce.
func copyContact(t *testing.T, path string, from, to uint64, mailable bool) {
	t.Helper()
	mustUpdateFile(t, path, func(tx *bolt.Tx) error {
		contacts, match := tx.Bucket([]byte("contacts")), tx.Bucket([]byte("idx")).Bucket([]byte("contact_match"))
		var c storage.Contact
		if err := json.Unmarshal(contacts.Get(key(from)), &c); err != nil {
			return err
		}
		record := append([]byte(nil), match.Get(key(from))...)
		if c.ID, c.Bounced = to, c.Bounced && !mailable; mailable {
			record[0] &^= 2 // the bounced flag of the contact_match record (recipients.go)
		}
		data, err := json.Marshal(&c)
		if err != nil {
			return err
		}
		if err := contacts.Put(key(to), data); err != nil {
			return err
		}
		if err := contacts.SetSequence(max(contacts.Sequence(), to)); err != nil {
			return err
		}
		return match.Put(key(to), record)
	})
}

func key(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
