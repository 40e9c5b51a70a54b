package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"portevoix/server"
	"portevoix/storage"
)

// api is a test client for one server, holding a token per role.
type api struct {
	t      *testing.T
	url    string
	store  *storage.Store
	tokens map[string]string
}

func newAPI(t *testing.T) *api {
	t.Helper()
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	store.PasswordCost = bcrypt.MinCost
	app, err := server.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		srv.Close()
		if err := store.Check(); err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		store.Close()
	})
	a := &api{t: t, url: srv.URL, store: store, tokens: map[string]string{}}
	for _, role := range []string{storage.RoleAdmin, storage.RoleEditor, storage.RoleViewer} {
		email := role + "@example.org"
		if _, err := store.CreateUser("test", storage.NewUser{Email: email, Name: role, Role: role, Password: "0123456789ab"}); err != nil {
			t.Fatal(err)
		}
		secret, _, err := store.CreateToken("test", email, "test")
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[role] = secret
	}
	return a
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem decodes a problem document and checks its media type.
func (r response) problem(t *testing.T) server.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type = %q, want application/problem+json (body %s)", ct, r.body)
	}
	var p server.Problem
	r.decode(t, &p)
	return p
}

func (a *api) do(role, method, path string, body any) response {
	a.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	case []byte:
		reader = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		reader = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, a.url+path, reader)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+a.tokens[role])
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// create posts a record as an editor and returns its id.
func (a *api) create(path string, body any) uint64 {
	a.t.Helper()
	r := a.do(storage.RoleEditor, "POST", path, body)
	if r.status != http.StatusCreated {
		a.t.Fatalf("POST %s: %d %s", path, r.status, r.body)
	}
	var m struct{ ID uint64 }
	r.decode(a.t, &m)
	if m.ID == 0 {
		a.t.Fatalf("POST %s: no id in %s", path, r.body)
	}
	return m.ID
}

func TestHealthz(t *testing.T) {
	a := newAPI(t)
	if r := a.do("", "GET", "/healthz", nil); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	var settings server.Settings
	a.do(storage.RoleViewer, "GET", "/api/v1/settings", nil).decode(t, &settings)
	if len(settings.Templates) < 2 || settings.BaseURL == "" {
		t.Fatalf("settings: %+v", settings)
	}
}

func TestRecordRoundTrips(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Eurobiomed", "short_name": "EBM", "regions": []string{"Occitanie", "Provence-Alpes-Côte d’Azur"}})
	person := a.create("/api/v1/people", map[string]any{"name": "Michaël Danon", "title": "Président", "pole_id": pole})
	quote := a.create("/api/v1/quotes", map[string]any{"person_id": person, "text": "Tant que la règle…", "date": "2020-05-12", "tags": []string{"achats"}, "source": "communiqué"})
	a.create("/api/v1/measures", map[string]any{"axis": "Production", "text": "d’incitation fiscale", "title": "Fiscalité", "rank": 3})
	a.create("/api/v1/boilerplates", map[string]any{"title": "À propos", "text": "Le réseau…"})
	contact := a.create("/api/v1/contacts", map[string]any{"first_name": "Hélène", "last_name": "Lefèvre", "email": "helene@example.org", "kind": "journalist", "regions": []string{"Occitanie"}, "tags": []string{"santé"}, "organization": "La Dépêche"})
	list := a.create("/api/v1/lists", map[string]any{"name": "Presse Occitanie", "regions": []string{"Occitanie"}, "kinds": []string{"journalist"}})

	var q storage.Quote
	a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/quotes/%d", quote), nil).decode(t, &q)
	if q.Text != "Tant que la règle…" || q.Date != "2020-05-12" || q.Status != "draft" || q.PersonID != person {
		t.Fatalf("quote: %+v", q)
	}
	r := a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/quotes/%d/approve", quote), nil)
	r.decode(t, &q)
	if r.status != 200 || q.Status != "approved" || q.ApprovedBy != "editor@example.org" || q.ApprovedAt == nil {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}

	r = a.do(storage.RoleEditor, "PATCH", fmt.Sprintf("/api/v1/contacts/%d", contact), map[string]any{"phone": "06 12 34 56 78"})
	var ct storage.Contact
	r.decode(t, &ct)
	if r.status != 200 || ct.Phone != "06 12 34 56 78" || ct.FirstName != "Hélène" {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	var page storage.Page[storage.Contact]
	a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/lists/%d/recipients", list), nil).decode(t, &page)
	if len(page.Items) != 1 || page.Items[0].Email != "helene@example.org" {
		t.Fatalf("recipients: %+v", page)
	}
	a.do(storage.RoleViewer, "GET", "/api/v1/contacts?region=occitanie&q=lef", nil).decode(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("contact filter: %+v", page)
	}
	a.do(storage.RoleViewer, "GET", "/api/v1/contacts?tag=économie", nil).decode(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("tag filter kept %d", len(page.Items))
	}
	var quotes storage.Page[storage.Quote]
	a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/quotes?person_id=%d&status=approved", person), nil).decode(t, &quotes)
	if len(quotes.Items) != 1 {
		t.Fatalf("quote filter: %+v", quotes)
	}
	if r := a.do(storage.RoleEditor, "DELETE", fmt.Sprintf("/api/v1/lists/%d", list), nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
}

func TestErrorCodes(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Lyonbiopôle"})
	person := a.create("/api/v1/people", map[string]any{"name": "F. Agostino-Etchetto", "pole_id": pole})
	a.create("/api/v1/quotes", map[string]any{"person_id": person, "text": "L’innovation…"})
	a.create("/api/v1/contacts", map[string]any{"email": "Taken@example.org"})

	cases := []struct {
		name, role, method, path string
		body                     any
		status                   int
		field                    string
	}{
		{"Malformed", "editor", "POST", "/api/v1/poles", `{"name": `, 400, ""},
		{"UnknownField", "editor", "POST", "/api/v1/poles", `{"name": "x", "colour": "red"}`, 400, "colour"},
		{"WrongType", "editor", "POST", "/api/v1/poles", `{"name": 12}`, 400, "name"},
		{"NoToken", "", "GET", "/api/v1/poles", nil, 401, ""},
		{"ViewerCannotWrite", "viewer", "POST", "/api/v1/poles", map[string]any{"name": "x"}, 403, ""},
		{"EditorCannotManageUsers", "editor", "GET", "/api/v1/users", nil, 403, ""},
		{"UnknownID", "viewer", "GET", "/api/v1/poles/999", nil, 404, ""},
		{"BadID", "viewer", "GET", "/api/v1/poles/abc", nil, 404, ""},
		{"EmailTakenAnyCase", "editor", "POST", "/api/v1/contacts", map[string]any{"email": "taken@EXAMPLE.org"}, 409, "email"},
		{"PersonHasQuotes", "editor", "DELETE", fmt.Sprintf("/api/v1/people/%d", person), nil, 409, ""},
		{"TooLarge", "editor", "POST", "/api/v1/boilerplates", `{"title": "x", "text": "` + strings.Repeat("a", 2<<20) + `"}`, 413, ""},
		{"InvalidEmail", "editor", "POST", "/api/v1/contacts", map[string]any{"email": "jean.dupont@"}, 422, "email"},
		{"RequiredField", "editor", "POST", "/api/v1/people", map[string]any{"title": "Président", "pole_id": pole}, 422, "name"},
		{"DeletedReference", "editor", "POST", "/api/v1/people", map[string]any{"name": "X", "pole_id": 4242}, 422, "pole_id"},
		{"BadLimit", "viewer", "GET", "/api/v1/poles?limit=5000", nil, 422, "limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(tc.role, tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tc.status, r.body)
			}
			p := r.problem(t)
			if p.Detail == "" || p.Status != tc.status {
				t.Fatalf("problem: %+v", p)
			}
			if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
				t.Fatalf("errors = %+v, want field %q", p.Errors, tc.field)
			}
		})
	}
}

func TestBadTokenIsRefused(t *testing.T) {
	a := newAPI(t)
	a.tokens["forged"] = "pv_forged"
	if r := a.do("forged", "GET", "/api/v1/poles", nil); r.status != 401 {
		t.Fatalf("forged token: %d", r.status)
	}
}

func TestAdminManagesUsersAndEveryWriteIsAudited(t *testing.T) {
	a := newAPI(t)
	r := a.do(storage.RoleAdmin, "POST", "/api/v1/users", map[string]any{"email": "new@example.org", "name": "Nouvelle", "role": "viewer", "password": "long enough password"})
	if r.status != 201 || bytes.Contains(r.body, []byte("password")) {
		t.Fatalf("create user: %d %s", r.status, r.body)
	}
	r = a.do(storage.RoleAdmin, "POST", "/api/v1/tokens", map[string]any{"email": "new@example.org", "name": "script"})
	var tok struct{ Token string }
	r.decode(t, &tok)
	if r.status != 201 || !strings.HasPrefix(tok.Token, "pv_") {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	a.tokens["new"] = tok.Token
	if r := a.do("new", "GET", "/api/v1/me", nil); r.status != 200 || !bytes.Contains(r.body, []byte("new@example.org")) {
		t.Fatalf("me: %d %s", r.status, r.body)
	}
	a.create("/api/v1/poles", map[string]any{"name": "Clubster NSL"})
	var audit storage.Page[storage.AuditEntry]
	a.do(storage.RoleAdmin, "GET", "/api/v1/audit", nil).decode(t, &audit)
	if len(audit.Items) == 0 || audit.Items[0].Kind != "poles" || audit.Items[0].Actor != "editor@example.org" || audit.Items[0].Action != "create" {
		t.Fatalf("audit: %+v", audit.Items)
	}
}

func TestPaginationThroughTheAPI(t *testing.T) {
	a := newAPI(t)
	for i := 0; i < 5; i++ {
		a.create("/api/v1/boilerplates", map[string]any{"title": fmt.Sprint("b", i), "text": "t"})
	}
	var titles []string
	next := ""
	for {
		var page storage.Page[storage.Boilerplate]
		a.do(storage.RoleViewer, "GET", "/api/v1/boilerplates?limit=2&cursor="+next, nil).decode(t, &page)
		for _, b := range page.Items {
			titles = append(titles, b.Title)
		}
		if page.Next == "" {
			break
		}
		next = page.Next
	}
	if fmt.Sprint(titles) != "[b0 b1 b2 b3 b4]" {
		t.Fatalf("pages: %v", titles)
	}
}
