package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"portevoix/storage"
)

// send is a request with an If-Match header (none when ifMatch is empty). Unlike do, it
// returns its error, so that goroutines may call it.
func (a *api) send(role, method, path, ifMatch string, body any) (response, error) {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return response{}, err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.url+path, reader)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Authorization", "Bearer "+a.tokens[role])
	req.Header.Set("Content-Type", "application/json")
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: out}, err
}

// mustSend is send for the test's own goroutine: it fails the test on a transport error
// or on a status other than want.
func (a *api) mustSend(t *testing.T, role, method, path, ifMatch string, body any, want int) response {
	t.Helper()
	r, err := a.send(role, method, path, ifMatch, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.status != want {
		t.Fatalf("%s %s (If-Match %s): %d %s, want %d", method, path, ifMatch, r.status, r.body, want)
	}
	return r
}

// etag returns the version a response's ETag carries, failing on a missing or weak one.
func etag(t *testing.T, r response) uint64 {
	t.Helper()
	tag := r.header.Get("ETag")
	n, err := strconv.ParseUint(strings.Trim(tag, `"`), 10, 64)
	if err != nil || !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
		t.Fatalf("ETag = %q, want a strong tag holding the version (body %s)", tag, r.body)
	}
	return n
}

// TestConcurrentPatchesAllLand sends 100 concurrent PATCHes of one contact, each setting one
// of four fields. Writes are serialised, so for each field the value that must remain is the
// one written by the patch that committed last (highest version) among those of that field;
// a patch that read the record before another committed and wrote it back would undo it.
func TestConcurrentPatchesAllLand(t *testing.T) {
	a := newAPI(t)
	id := a.create("/api/v1/contacts", map[string]any{"email": "concurrence@example.org"})
	path := fmt.Sprintf("/api/v1/contacts/%d", id)
	fields := []string{"first_name", "last_name", "phone", "organization"}
	const patches = 100

	type result struct {
		field, value string
		version      uint64
	}
	results := make([]result, patches)
	errs := make([]error, patches)
	var wg sync.WaitGroup
	for i := range patches {
		wg.Go(func() {
			field, value := fields[i%len(fields)], fmt.Sprintf("valeur %d", i)
			r, err := a.send(storage.RoleEditor, "PATCH", path, "", map[string]string{field: value})
			if err == nil && r.status != http.StatusOK {
				err = fmt.Errorf("patch %d: %d %s", i, r.status, r.body)
			}
			if err != nil {
				errs[i] = err
				return
			}
			v, err := strconv.ParseUint(strings.Trim(r.header.Get("ETag"), `"`), 10, 64)
			results[i], errs[i] = result{field, value, v}, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	last := map[string]result{}
	seen := map[uint64]bool{}
	for _, r := range results {
		if seen[r.version] {
			t.Fatalf("two patches answered version %d", r.version)
		}
		seen[r.version] = true
		if r.version > last[r.field].version {
			last[r.field] = r
		}
	}
	got := a.mustSend(t, storage.RoleViewer, "GET", path, "", nil, http.StatusOK)
	if v := etag(t, got); v != patches+1 {
		t.Errorf("version after %d patches = %d, want %d", patches, v, patches+1)
	}
	var stored map[string]any
	got.decode(t, &stored)
	for _, field := range fields {
		if stored[field] != last[field].value {
			t.Errorf("%s = %q, want %q written at version %d: a later patch of another field undid it",
				field, stored[field], last[field].value, last[field].version)
		}
	}
}

// TestIfMatchOnEveryRecordType: every record type served by the generic CRUD sends its
// version as an ETag on GET and writes, answers 412 to a write whose If-Match is stale
// (saying who changed the record and when), and still takes writes without If-Match.
func TestIfMatchOnEveryRecordType(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Atlanpole Biotherapies"})
	person := a.create("/api/v1/people", map[string]any{"name": "Anne Martin", "pole_id": pole})
	list := a.create("/api/v1/lists", map[string]any{"name": "Presse nationale"})
	communique := a.create("/api/v1/communiques", map[string]any{"title": "Sept propositions", "date": "2026-05-12", "pole_ids": []uint64{pole}})
	cases := []struct {
		path          string
		create, patch map[string]any
	}{
		{"/api/v1/poles", map[string]any{"name": "Eurobiomed"}, map[string]any{"short_name": "EBM"}},
		{"/api/v1/people", map[string]any{"name": "Jean Durand", "pole_id": pole}, map[string]any{"title": "Président"}},
		{"/api/v1/quotes", map[string]any{"person_id": person, "text": "Produire ici."}, map[string]any{"source": "entretien"}},
		{"/api/v1/measures", map[string]any{"axis": "Production", "text": "Un crédit d’impôt.", "title": "Fiscalité"}, map[string]any{"rank": 2}},
		{"/api/v1/boilerplates", map[string]any{"title": "À propos", "text": "Le réseau…"}, map[string]any{"text": "Le réseau des pôles…"}},
		{"/api/v1/contacts", map[string]any{"email": "etag@example.org"}, map[string]any{"organization": "La Dépêche"}},
		{"/api/v1/lists", map[string]any{"name": "Presse régionale"}, map[string]any{"tags": []string{"santé"}}},
		{"/api/v1/communiques", map[string]any{"title": "Un second texte", "date": "2026-05-13", "pole_ids": []uint64{pole}}, map[string]any{"subtitle": "Sous-titre"}},
		{"/api/v1/campaigns", map[string]any{"communique_id": communique, "list_ids": []uint64{list}, "subject": "Sept propositions"}, map[string]any{"pitch": "À lire."}},
	}
	for _, tc := range cases {
		t.Run(strings.TrimPrefix(tc.path, "/api/v1/"), func(t *testing.T) {
			created := a.mustSend(t, storage.RoleEditor, "POST", tc.path, "", tc.create, http.StatusCreated)
			var m struct{ ID uint64 }
			created.decode(t, &m)
			path := fmt.Sprintf("%s/%d", tc.path, m.ID)
			if v := etag(t, created); v != 1 {
				t.Fatalf("created at version %d, want 1", v)
			}
			if v := etag(t, a.mustSend(t, storage.RoleViewer, "GET", path, "", nil, http.StatusOK)); v != 1 {
				t.Fatalf("GET: version %d, want 1", v)
			}

			if v := etag(t, a.mustSend(t, storage.RoleEditor, "PATCH", path, `"1"`, tc.patch, http.StatusOK)); v != 2 {
				t.Fatalf("PATCH with a fresh If-Match: version %d, want 2", v)
			}
			stale := a.mustSend(t, storage.RoleEditor, "PATCH", path, `"1"`, tc.patch, http.StatusPreconditionFailed)
			if p := stale.problem(t); !strings.Contains(p.Detail, "modifiée entre-temps par editor@example.org, le ") {
				t.Fatalf("412 detail = %q, want who changed the record and when", p.Detail)
			}

			var whole map[string]any
			a.mustSend(t, storage.RoleViewer, "GET", path, "", nil, http.StatusOK).decode(t, &whole)
			delete(whole, "counts") // a campaign is shown with its deliveries counted
			delete(whole, "total")
			a.mustSend(t, storage.RoleEditor, "PUT", path, `"1"`, whole, http.StatusPreconditionFailed)
			if v := etag(t, a.mustSend(t, storage.RoleEditor, "PUT", path, `"2"`, whole, http.StatusOK)); v != 3 {
				t.Fatalf("PUT with a fresh If-Match: version %d, want 3", v)
			}
			if v := etag(t, a.mustSend(t, storage.RoleEditor, "PATCH", path, "", tc.patch, http.StatusOK)); v != 4 {
				t.Fatalf("PATCH without If-Match: version %d, want 4", v)
			}
			a.mustSend(t, storage.RoleEditor, "DELETE", path, `"3"`, nil, http.StatusPreconditionFailed)
			a.mustSend(t, storage.RoleEditor, "DELETE", path, `"4"`, nil, http.StatusNoContent)
		})
	}
}

// TestIfMatchThatNamesNoVersion: a weak tag, a list or garbage matches no version.
func TestIfMatchThatNamesNoVersion(t *testing.T) {
	a := newAPI(t)
	path := fmt.Sprintf("/api/v1/poles/%d", a.create("/api/v1/poles", map[string]any{"name": "Medicen"}))
	for _, header := range []string{`W/"1"`, `"1", "2"`, `1`, `"0"`, `"abc"`} {
		r := a.mustSend(t, storage.RoleEditor, "PATCH", path, header, map[string]any{"short_name": "M"}, http.StatusPreconditionFailed)
		if p := r.problem(t); !strings.Contains(p.Detail, "If-Match") {
			t.Fatalf("If-Match %s: detail %q", header, p.Detail)
		}
	}
	if v := etag(t, a.mustSend(t, storage.RoleEditor, "PATCH", path, "*", map[string]any{"short_name": "M"}, http.StatusOK)); v != 2 {
		t.Fatalf("If-Match * : version %d, want 2", v)
	}
}

// TestAccountsHaveVersions: accounts carry an ETag and honour If-Match like records.
func TestAccountsHaveVersions(t *testing.T) {
	a := newAPI(t)
	path := "/api/v1/users/2" // the editor
	body := map[string]any{"email": "editor@example.org", "name": "Éditrice", "role": storage.RoleEditor}
	v := etag(t, a.mustSend(t, storage.RoleAdmin, "GET", path, "", nil, http.StatusOK))
	next := etag(t, a.mustSend(t, storage.RoleAdmin, "PUT", path, fmt.Sprintf(`"%d"`, v), body, http.StatusOK))
	if next != v+1 {
		t.Fatalf("PUT: version %d, want %d", next, v+1)
	}
	stale := a.mustSend(t, storage.RoleAdmin, "PUT", path, fmt.Sprintf(`"%d"`, v), body, http.StatusPreconditionFailed)
	if p := stale.problem(t); !strings.Contains(p.Detail, "par admin@example.org") {
		t.Fatalf("412 detail = %q", p.Detail)
	}
	a.mustSend(t, storage.RoleAdmin, "DELETE", path, fmt.Sprintf(`"%d"`, v), nil, http.StatusPreconditionFailed)
	a.mustSend(t, storage.RoleAdmin, "DELETE", path, fmt.Sprintf(`"%d"`, next), nil, http.StatusNoContent)
}

// TestTheLastAdminStays: nobody can demote or delete the last admin (409, in French), and
// the role can move once another account holds it.
func TestTheLastAdminStays(t *testing.T) {
	a := newAPI(t)
	admin := "/api/v1/users/1"
	demoted := map[string]any{"email": "admin@example.org", "name": "admin", "role": storage.RoleEditor}
	r := a.mustSend(t, storage.RoleAdmin, "PUT", admin, "", demoted, http.StatusConflict)
	if p := r.problem(t); !strings.Contains(p.Detail, "dernier compte administrateur") {
		t.Fatalf("demoting the last admin: %q", p.Detail)
	}
	a.mustSend(t, storage.RoleAdmin, "DELETE", admin, "", nil, http.StatusConflict)

	a.mustSend(t, storage.RoleAdmin, "POST", "/api/v1/users", "", map[string]any{"email": "seconde@example.org",
		"name": "Seconde", "role": storage.RoleAdmin, "password": "long enough password"}, http.StatusCreated)
	a.mustSend(t, storage.RoleAdmin, "PUT", admin, "", demoted, http.StatusOK)
	if r := a.do(storage.RoleAdmin, "GET", "/api/v1/users", nil); r.status != http.StatusForbidden {
		t.Fatalf("a demoted admin still manages accounts: %d", r.status)
	}
}
