package server_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"portevoix/storage"
)

// TestRecipientsPagesThroughTheAPI follows the next cursors of GET /lists/{id}/recipients
// and gets the list's whole resolution, in order, each recipient once.
func TestRecipientsPagesThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	var members []uint64
	for i := range 12 {
		region := []string{"Bretagne", "Occitanie"}[i%2]
		id := a.create("/api/v1/contacts", map[string]any{"email": fmt.Sprintf("journaliste.%d@example.org", i), "regions": []string{region}})
		if i%4 == 1 {
			members = append(members, id)
		}
		if i == 4 {
			if err := a.store.OptOut(id, "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
	list := a.create("/api/v1/lists", map[string]any{"name": "Bretagne", "regions": []string{"Bretagne"}, "member_ids": members})
	want, err := a.store.Recipients(list)
	if err != nil {
		t.Fatal(err)
	}
	got := []storage.Contact{}
	for cursor := ""; ; {
		var page storage.Page[storage.Contact]
		r := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/lists/%d/recipients?limit=2&cursor=%s", list, cursor), nil)
		if r.status != http.StatusOK {
			t.Fatalf("cursor %q: %d %s", cursor, r.status, r.body)
		}
		r.decode(t, &page)
		got = append(got, page.Items...)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(want) != 8 || !reflect.DeepEqual(got, want) {
		t.Fatalf("pages gave %d recipients, want the %d of the resolution:\n%+v\n%+v", len(got), len(want), got, want)
	}
	if r := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/lists/%d/recipients?cursor=x", list), nil); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad cursor: %d %s", r.status, r.body)
	}
}
