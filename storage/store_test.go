package storage_test

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"portevoix/storage"
	"portevoix/storage/demo"
)

// MustOpen opens a store in a temporary folder and checks its consistency at cleanup.
func MustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s := mustOpenDir(tb, tb.TempDir())
	s.PasswordCost = bcrypt.MinCost
	return s
}

// mustOpenDir opens the base in dir, and checks and closes it when the test ends.
func mustOpenDir(tb testing.TB, dir string) *storage.Store {
	tb.Helper()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Check(); err != nil {
			tb.Errorf("bbolt check: %v", err)
		}
		s.Close()
	})
	return s
}

func MustCreate[T any, P storage.RecordPtr[T]](tb testing.TB, s *storage.Store, v P) P {
	tb.Helper()
	if err := storage.Create(s, "test", v); err != nil {
		tb.Fatalf("create %T: %v", v, err)
	}
	return v
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := storage.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func TestRoundTrips(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: " Eurobiomed ", Regions: []string{"Occitanie", "Provence-Alpes-Côte d’Azur", "occitanie"}})
	if pole.Name != "Eurobiomed" || len(pole.Regions) != 2 {
		t.Fatalf("normalisation: %+v", pole)
	}
	person := MustCreate(t, s, &storage.Person{Name: "Michaël Danon", Title: "Président", PoleID: pole.ID})
	quote := MustCreate(t, s, &storage.Quote{PersonID: person.ID, Text: "« Tant que… »", Date: "2020-05-12"})
	measure := MustCreate(t, s, &storage.Measure{Axis: "Accroître la capacité de production", Text: "d’incitation fiscale", Rank: 3})
	bp := MustCreate(t, s, &storage.Boilerplate{Title: "À propos", Text: "Le réseau…"})
	contact := MustCreate(t, s, &storage.Contact{FirstName: "Hélène", LastName: "Lefèvre", Email: "Helene@Example.org", Regions: []string{"Occitanie"}})
	list := MustCreate(t, s, &storage.List{Name: "Presse Occitanie", Regions: []string{"Occitanie"}})

	gotQuote, err := storage.Get[storage.Quote](s, quote.ID)
	if err != nil || gotQuote.Text != quote.Text || gotQuote.Status != storage.QuoteDraft || gotQuote.PersonID != person.ID {
		t.Fatalf("quote round trip: %+v %v", gotQuote, err)
	}
	gotMeasure, _ := storage.Get[storage.Measure](s, measure.ID)
	gotBP, _ := storage.Get[storage.Boilerplate](s, bp.ID)
	gotContact, _ := storage.Get[storage.Contact](s, contact.ID)
	gotList, _ := storage.Get[storage.List](s, list.ID)
	if gotMeasure.Rank != 3 || gotBP.Title != "À propos" || gotContact.Kind != storage.KindJournalist || gotList.Name != "Presse Occitanie" {
		t.Fatalf("round trips: %+v %+v %+v %+v", gotMeasure, gotBP, gotContact, gotList)
	}

	gotContact.Phone = "06 00 00 00 00"
	if err := storage.Update(s, "test", gotContact); err != nil {
		t.Fatal(err)
	}
	again, _ := storage.Get[storage.Contact](s, contact.ID)
	if again.Phone != "06 00 00 00 00" || !again.CreatedAt.Equal(contact.CreatedAt) {
		t.Fatalf("update: %+v", again)
	}
	if err := storage.Delete[storage.Boilerplate](s, "test", bp.ID); err != nil {
		t.Fatal(err)
	}
	_, err = storage.Get[storage.Boilerplate](s, bp.ID)
	wantCode(t, err, storage.ENOTFOUND)
}

func TestErrors(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Lyonbiopôle"})
	person := MustCreate(t, s, &storage.Person{Name: "Florence Agostino-Etchetto", PoleID: pole.ID})
	MustCreate(t, s, &storage.Quote{PersonID: person.ID, Text: "L’innovation…"})
	MustCreate(t, s, &storage.Contact{Email: "a@example.org"})

	t.Run("ErrInvalid", func(t *testing.T) {
		err := storage.Create(s, "test", &storage.Contact{Email: "pas-une-adresse"})
		wantCode(t, err, storage.EINVALID)
		var e *storage.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "email" {
			t.Fatalf("fields: %+v", err)
		}
	})
	t.Run("ErrHeaderInjection", func(t *testing.T) {
		err := storage.Create(s, "test", &storage.Contact{Email: "b@example.org", LastName: "X\r\nBcc: c@example.org"})
		wantCode(t, err, storage.EINVALID)
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		wantCode(t, storage.Create(s, "test", &storage.Contact{Email: "A@EXAMPLE.org"}), storage.ECONFLICT)
	})
	t.Run("ErrMissingRef", func(t *testing.T) {
		wantCode(t, storage.Create(s, "test", &storage.Person{Name: "X", PoleID: 999}), storage.EINVALID)
	})
	t.Run("ErrPersonHasQuotes", func(t *testing.T) {
		wantCode(t, storage.Delete[storage.Person](s, "test", person.ID), storage.ECONFLICT)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		wantCode(t, storage.Delete[storage.Quote](s, "test", 12345), storage.ENOTFOUND)
	})
}

func TestQuoteApprovalIsKeptOnlyForTheSameWords(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Medicen Paris Region"})
	person := MustCreate(t, s, &storage.Person{Name: "Christian Lajoux", PoleID: pole.ID})
	wantCode(t, storage.Create(s, "test", &storage.Quote{PersonID: person.ID, Text: "x", Status: storage.QuoteApproved}), storage.EINVALID)
	q := MustCreate(t, s, &storage.Quote{PersonID: person.ID, Text: "Les enjeux…"})
	_, err := s.ApproveQuote("editor@example.org", q.ID, "by pigeon")
	wantCode(t, err, storage.EINVALID)
	approved, err := s.ApproveQuote("editor@example.org", q.ID, storage.ApprovalInPerson)
	if err != nil || approved.Status != storage.QuoteApproved || approved.ApprovedBy != "editor@example.org" || approved.ApprovedAt == nil ||
		approved.ApprovedVia != storage.ApprovalInPerson {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	approved.Tags = []string{"souveraineté"}
	if err := storage.Update(s, "test", approved); err != nil {
		t.Fatal(err)
	}
	if got, _ := storage.Get[storage.Quote](s, q.ID); got.Status != storage.QuoteApproved || got.ApprovedVia != storage.ApprovalInPerson {
		t.Fatalf("retagging must keep approval: %s", got.Status)
	}
	approved.Text = "Autres mots"
	if err := storage.Update(s, "test", approved); err != nil {
		t.Fatal(err)
	}
	if got, _ := storage.Get[storage.Quote](s, q.ID); got.Status != storage.QuotePending || got.ApprovedAt != nil || got.ApprovedVia != "" {
		t.Fatalf("new words need a new approval: %+v", got)
	}
}

func TestPagination(t *testing.T) {
	s := MustOpen(t)
	for i := 0; i < 7; i++ {
		MustCreate(t, s, &storage.Measure{Axis: "A", Text: fmt.Sprint("m", i)})
	}
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := storage.Find[storage.Measure](s, storage.ListOptions{Limit: 3, Cursor: cursor}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			seen = append(seen, m.Text)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if fmt.Sprint(seen) != "[m0 m1 m2 m3 m4 m5 m6]" {
		t.Fatalf("pages: %v", seen)
	}
	_, err := storage.Find[storage.Measure](s, storage.ListOptions{Cursor: "xyz"}, nil)
	wantCode(t, err, storage.EINVALID)
}

func TestRecipientsAndSuppression(t *testing.T) {
	s := MustOpen(t)
	a := MustCreate(t, s, &storage.Contact{Email: "a@example.org", Regions: []string{"Occitanie"}})
	MustCreate(t, s, &storage.Contact{Email: "b@example.org", Regions: []string{"Île-de-France"}})
	c := MustCreate(t, s, &storage.Contact{Email: "c@example.org", Regions: []string{"occitanie"}, Kind: storage.KindPressOfficer})
	d := MustCreate(t, s, &storage.Contact{Email: "d@example.org", Regions: []string{"Occitanie"}})
	e := MustCreate(t, s, &storage.Contact{Email: "e@example.org", Regions: []string{"Grand Est"}})
	list := MustCreate(t, s, &storage.List{Name: "Occitanie", Regions: []string{"Occitanie"}, Kinds: []string{storage.KindJournalist}, MemberIDs: []uint64{e.ID, a.ID}})
	if err := s.OptOut(d.ID, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Recipients(list.ID)
	if err != nil {
		t.Fatal(err)
	}
	var emails []string
	for _, r := range got {
		emails = append(emails, r.Email)
	}
	if fmt.Sprint(emails) != "[a@example.org e@example.org]" {
		t.Fatalf("recipients = %v (c is a press officer, d opted out)", emails)
	}
	_ = c
	// Deleting and re-creating an unsubscribed address must not make it mailable again.
	if err := storage.Delete[storage.Contact](s, "test", d.ID); err != nil {
		t.Fatal(err)
	}
	back := MustCreate(t, s, &storage.Contact{Email: "D@example.org", Regions: []string{"Occitanie"}})
	if !back.OptedOut || !s.Suppressed("d@EXAMPLE.org") {
		t.Fatalf("suppression lost: %+v", back)
	}
}

func TestSecondOpenSaysInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = storage.Open(dir, 200*time.Millisecond)
	if !errors.Is(err, storage.ErrInUse) {
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
}

func TestBackupReopensToTheSameRecords(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Clubster NSL", Regions: []string{"Hauts-de-France"}})
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "portevoix.db"), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	copy, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	got, err := storage.Get[storage.Pole](copy, pole.ID)
	if err != nil || got.Name != "Clubster NSL" || got.Regions[0] != "Hauts-de-France" {
		t.Fatalf("restored: %+v %v", got, err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	s := MustOpen(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				errs <- storage.Create(s, "test", &storage.Contact{Email: fmt.Sprintf("w%d-%d@example.org", w, i)})
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	page, _ := storage.Find[storage.Contact](s, storage.ListOptions{Limit: 1000}, nil)
	if len(page.Items) != 200 {
		t.Fatalf("contacts = %d, want 200", len(page.Items))
	}
}

func TestUsersAndTokens(t *testing.T) {
	s := MustOpen(t)
	u, err := s.CreateUser("cli", storage.NewUser{Email: "Admin@Example.org", Name: "Admin", Role: storage.RoleAdmin, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateUser("cli", storage.NewUser{Email: "admin@example.org", Name: "Bis", Role: storage.RoleViewer, Password: "0123456789"})
	wantCode(t, err, storage.ECONFLICT)
	if _, err := s.Authenticate("admin@example.org", "wrong password"); storage.ErrorCode(err) != storage.EUNAUTHORIZED {
		t.Fatalf("bad password accepted: %v", err)
	}
	if got, err := s.Authenticate("ADMIN@example.org", "correct horse battery"); err != nil || got.ID != u.ID {
		t.Fatalf("login: %v", err)
	}
	secret, tok, err := s.CreateToken("cli", "admin@example.org", "script")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByToken(secret); err != nil || got.ID != u.ID {
		t.Fatalf("token: %v", err)
	}
	if err := s.DeleteToken("cli", tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(secret); storage.ErrorCode(err) != storage.EUNAUTHORIZED {
		t.Fatalf("revoked token still works: %v", err)
	}
}

func TestMoveMeasure(t *testing.T) {
	s := MustOpen(t)
	a := MustCreate(t, s, &storage.Measure{Axis: "Production", Text: "a", Rank: 5})
	b := MustCreate(t, s, &storage.Measure{Axis: "Production", Text: "b", Rank: 5})
	c := MustCreate(t, s, &storage.Measure{Axis: "Production", Text: "c", Rank: 9})
	MustCreate(t, s, &storage.Measure{Axis: "Innovation", Text: "x", Rank: 7})
	order := func() string {
		page, _ := storage.Find[storage.Measure](s, storage.ListOptions{}, nil)
		slices.SortFunc(page.Items, func(x, y storage.Measure) int { return cmp.Or(strings.Compare(x.Axis, y.Axis), x.Rank-y.Rank) })
		var out []string
		for _, m := range page.Items {
			out = append(out, fmt.Sprintf("%s%d", m.Text, m.Rank))
		}
		return strings.Join(out, " ")
	}
	if err := s.MoveMeasure("editor@example.org", c.ID, true); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "x7 a0 c1 b2" {
		t.Fatalf("c up: %s", got)
	}
	if err := s.MoveMeasure("editor@example.org", a.ID, true); err != nil { // already first
		t.Fatal(err)
	}
	if err := s.MoveMeasure("editor@example.org", b.ID, false); err != nil { // already last
		t.Fatal(err)
	}
	if err := s.MoveMeasure("editor@example.org", a.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "x7 c0 a1 b2" {
		t.Fatalf("a down: %s", got)
	}
	wantCode(t, s.MoveMeasure("x", 999, true), storage.ENOTFOUND)

	// Dropped elsewhere: the others keep their order; past an end means that end.
	d := MustCreate(t, s, &storage.Measure{Axis: "Production", Text: "d", Rank: 3})
	if got := order(); got != "x7 c0 a1 b2 d3" {
		t.Fatalf("d added: %s", got)
	}
	for _, step := range []struct {
		id       uint64
		position int
		want     string
	}{
		{d.ID, 0, "x7 d0 c1 a2 b3"}, {d.ID, 2, "x7 c0 a1 d2 b3"}, {c.ID, 99, "x7 a0 d1 b2 c3"}, {c.ID, -1, "x7 c0 a1 d2 b3"}, {a.ID, 1, "x7 c0 a1 d2 b3"},
	} {
		if err := s.PlaceMeasure("editor@example.org", step.id, step.position); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != step.want {
			t.Fatalf("place %d at %d: %s, want %s", step.id, step.position, got, step.want)
		}
	}
	wantCode(t, s.PlaceMeasure("x", 999, 0), storage.ENOTFOUND)
}

func TestContactFilterPoleOptOutBounce(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Medicen"})
	a := MustCreate(t, s, &storage.Contact{Email: "a@example.org", PoleID: pole.ID})
	MustCreate(t, s, &storage.Contact{Email: "b@example.org"})
	if err := s.OptOut(a.ID, "test"); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	for name, tc := range map[string]struct {
		f    storage.ContactFilter
		want int
	}{
		"Pole": {storage.ContactFilter{PoleID: pole.ID}, 1}, "OptedOut": {storage.ContactFilter{OptedOut: &yes}, 1},
		"NotOptedOut": {storage.ContactFilter{OptedOut: &no}, 1}, "Bounced": {storage.ContactFilter{Bounced: &yes}, 0},
		"All": {storage.ContactFilter{}, 2},
	} {
		page, err := s.FindContacts(tc.f, storage.ListOptions{})
		if err != nil || len(page.Items) != tc.want {
			t.Errorf("%s: %d contacts, want %d (%v)", name, len(page.Items), tc.want, err)
		}
	}
}

func TestContactDeliveries(t *testing.T) {
	s := MustOpen(t)
	if _, err := demo.Load(s, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	lists, _ := storage.Find[storage.List](s, storage.ListOptions{}, nil)
	var campaigns []uint64
	for range 2 {
		c := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: []uint64{lists.Items[0].ID}, Subject: "Communiqué"})
		if _, err := s.StartCampaign("test", c.ID); err != nil {
			t.Fatal(err)
		}
		campaigns = append(campaigns, c.ID)
	}
	recipients, _ := s.Recipients(lists.Items[0].ID)
	got, err := s.ContactDeliveries(recipients[0].ID)
	if err != nil || len(got) != 2 || got[0].CampaignID != campaigns[1] || got[1].CampaignID != campaigns[0] || got[0].ContactID != recipients[0].ID {
		t.Fatalf("one delivery per campaign, newest first: %+v %v", got, err)
	}
}

func TestCountRecipientsOfAnUnsavedRule(t *testing.T) {
	s := MustOpen(t)
	MustCreate(t, s, &storage.Contact{Email: "a@example.org", Regions: []string{"Bretagne"}})
	b := MustCreate(t, s, &storage.Contact{Email: "b@example.org", Regions: []string{"Occitanie"}, Kind: storage.KindAgency})
	c := MustCreate(t, s, &storage.Contact{Email: "c@example.org", Regions: []string{"Bretagne"}})
	if err := s.OptOut(c.ID, "test"); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		l    storage.List
		want int
	}{
		"Region":         {storage.List{Regions: []string{"bretagne"}}, 1},
		"RegionMember":   {storage.List{Regions: []string{"Bretagne"}, MemberIDs: []uint64{b.ID}}, 2},
		"Kind":           {storage.List{Kinds: []string{storage.KindJournalist}}, 1},
		"NoRuleNoMember": {storage.List{}, 0},
	} {
		if n, err := s.CountRecipients(&tc.l); err != nil || n != tc.want {
			t.Errorf("%s: %d recipients, want %d (%v)", name, n, tc.want, err)
		}
	}
	if page, _ := storage.Find[storage.List](s, storage.ListOptions{}, nil); len(page.Items) != 0 {
		t.Fatal("nothing is stored")
	}
}
