package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"portevoix/storage"
)

// TestDashboardBouncesOutliveTheLog: a bounce stays on the dashboard however many audit
// entries were written since (an import, a campaign's activity), and the latest comes first.
func TestDashboardBouncesOutliveTheLog(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	bounce := func(name, email string) *storage.Contact {
		c := &storage.Contact{LastName: name, Email: email, Source: "Salon 2024"}
		if err := storage.Create(s.store, "test", c); err != nil {
			t.Fatal(err)
		}
		if err := s.store.MarkBounced(c.ID); err != nil {
			t.Fatal(err)
		}
		return c
	}
	old := bounce("Ancienrebond", "ancien@example.com")
	for range 1001 {
		if err := storage.Update(s.store, "test", s.pole); err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.store.AuditLog(storage.ListOptions{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log.Items {
		if e.Action == "bounce" {
			t.Fatal("the bounce is still among the last 1,000 audit entries: the test proves nothing")
		}
	}
	latest := bounce("Dernierrebond", "dernier@example.com")

	page := s.signIn(storage.RoleViewer).get("/app")
	wantBody(t, page, `<a href="/app/contacts/`+itoa(old.ID)+`">Ancienrebond</a>`, `<a href="/app/contacts/`+itoa(latest.ID)+`">Dernierrebond</a>`)
	if i, j := strings.Index(page.body, "Dernierrebond"), strings.Index(page.body, "Ancienrebond"); j >= 0 && i > j {
		t.Error("the latest bounce is not listed first")
	}
}

// TestDashboardShowsTheLatestQuotesAwaiting: of more pending quotes than the dashboard
// holds, it lists the latest eight.
func TestDashboardShowsTheLatestQuotesAwaiting(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for i := 1; i <= 10; i++ {
		q := &storage.Quote{PersonID: s.person.ID, Text: fmt.Sprintf("Citation numéro %d.", i), Status: storage.QuotePending}
		if err := storage.Create(s.store, "test", q); err != nil {
			t.Fatal(err)
		}
	}
	body := s.signIn(storage.RoleViewer).get("/app").body
	for i := 1; i <= 10; i++ {
		if shown := strings.Contains(body, fmt.Sprintf("Citation numéro %d.", i)); shown != (i > 2) {
			t.Errorf("quote %d shown: %v", i, shown)
		}
	}
}
