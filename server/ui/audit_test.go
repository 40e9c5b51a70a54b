package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestAuditLogPageIsForAdmins(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	for i := range 60 {
		ct := &storage.Contact{Email: fmt.Sprintf("c%02d@example.com", i), LastName: fmt.Sprintf("Contact %02d", i)}
		if err := storage.Create(s.store, "camille@example.org", ct); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range []string{storage.RoleViewer, storage.RoleEditor} {
		b := s.signIn(role)
		r := b.get("/app/audit")
		wantStatus(t, r, http.StatusForbidden)
		if strings.Contains(b.get("/app").body, `href="/app/audit"`) {
			t.Errorf("the %s's navigation shows the audit log", role)
		}
	}
	b := s.signIn(storage.RoleAdmin)
	wantBody(t, b.get("/app"), `<a href="/app/audit">Journal</a>`)
	first := b.get("/app/audit")
	wantStatus(t, first, http.StatusOK)
	// Newest first: the last contact created opens the log.
	wantBody(t, first, "<h1>Journal des modifications</h1>", `<td data-label="Par">camille@example.org</td>`,
		`<td data-label="Action">création</td>`, `contact <a href="/app/contacts/60">n°&nbsp;60</a>`)
	if strings.Index(first.body, "/app/contacts/60") > strings.Index(first.body, "/app/contacts/59") {
		t.Error("newest first")
	}
	if n := strings.Count(first.body, `<td data-label="Action">`); n != 50 {
		t.Fatalf("%d entries on the first page", n)
	}
	next := regexpNext.FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no link to the older entries")
	}
	second := b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	wantStatus(t, second, http.StatusOK)
	wantBody(t, second, `<a href="/app/audit">← Entrées les plus récentes</a>`, "/app/contacts/1\"", "pôle n°&nbsp;1", "utilisateur n°&nbsp;3")
	if strings.Contains(second.body, "/app/contacts/60") {
		t.Error("the second page repeats the first")
	}
}
