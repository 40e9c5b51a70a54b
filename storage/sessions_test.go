package storage_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"portevoix/storage"
)

// testClock is a settable clock for the store.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func sessionStore(t *testing.T) (*storage.Store, *testClock, *storage.User) {
	t.Helper()
	s := MustOpen(t)
	clk := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.Now = clk.Now
	u, err := s.CreateUser("test", storage.NewUser{Email: "claire@example.org", Name: "Claire", Role: storage.RoleEditor, Password: "0123456789ab"})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, u
}

func mustSession(t *testing.T, s *storage.Store, userID uint64) string {
	t.Helper()
	secret, v, err := s.CreateSession(userID, "Firefox")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 43 || v.CSRF == "" || v.CSRF == secret {
		t.Fatalf("secret %q, csrf %q: want 256-bit random values, distinct", secret, v.CSRF)
	}
	return secret
}

func TestSessionIdleExpiry(t *testing.T) {
	s, clk, u := sessionStore(t)
	secret := mustSession(t, s, u.ID)
	clk.Add(11 * time.Hour)
	if _, got, err := s.SessionUser(secret); err != nil || got.ID != u.ID {
		t.Fatalf("after 11 h idle: %v %v", got, err)
	}
	clk.Add(11 * time.Hour) // 11 h after the last use: still alive
	if _, _, err := s.SessionUser(secret); err != nil {
		t.Fatal(err)
	}
	clk.Add(12 * time.Hour)
	_, _, err := s.SessionUser(secret)
	wantCode(t, err, storage.EUNAUTHORIZED)
	if list, _ := s.Sessions(); len(list) != 0 {
		t.Fatalf("an expired session is deleted: %+v", list)
	}
}

func TestSessionAbsoluteExpiry(t *testing.T) {
	s, clk, u := sessionStore(t)
	secret := mustSession(t, s, u.ID)
	for range 15 { // used every 11 h: never idle, but 7 days old at the 16th use
		clk.Add(11 * time.Hour)
		if _, _, err := s.SessionUser(secret); err != nil {
			t.Fatal(err)
		}
	}
	clk.Add(11 * time.Hour)
	_, _, err := s.SessionUser(secret)
	wantCode(t, err, storage.EUNAUTHORIZED)
}

func TestSessionsEndWithThePassword(t *testing.T) {
	s, _, u := sessionStore(t)
	other, err := s.CreateUser("test", storage.NewUser{Email: "marc@example.org", Name: "Marc", Role: storage.RoleViewer, Password: "0123456789ab"})
	if err != nil {
		t.Fatal(err)
	}
	a, b, kept := mustSession(t, s, u.ID), mustSession(t, s, u.ID), mustSession(t, s, other.ID)
	// A change of name keeps the sessions; a new password ends them all.
	if _, err := s.UpdateUser("admin", u.ID, 0, storage.NewUser{Email: u.Email, Name: "Claire D.", Role: u.Role}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(a); err != nil {
		t.Fatalf("a change of name ends no session: %v", err)
	}
	err = s.ChangePassword(u.Email, u.ID, "wrong password", "a new long password")
	wantCode(t, err, storage.EINVALID)
	if err := s.ChangePassword(u.Email, u.ID, "0123456789ab", "a new long password"); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{a, b} {
		_, _, err := s.SessionUser(secret)
		wantCode(t, err, storage.EUNAUTHORIZED)
	}
	if _, _, err := s.SessionUser(kept); err != nil {
		t.Fatalf("another account's session stays: %v", err)
	}
	if _, err := s.Authenticate(u.Email, "a new long password"); err != nil {
		t.Fatal(err)
	}
}

func TestRevokeAndSignOut(t *testing.T) {
	s, _, u := sessionStore(t)
	a, b := mustSession(t, s, u.ID), mustSession(t, s, u.ID)
	list, err := s.Sessions()
	if err != nil || len(list) != 2 || list[0].UserAgent != "Firefox" {
		t.Fatalf("sessions: %+v %v", list, err)
	}
	v, _, _ := s.SessionUser(a)
	if err := s.RevokeSession("admin@example.org", v.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(a)
	wantCode(t, err, storage.EUNAUTHORIZED)
	wantCode(t, s.RevokeSession("admin@example.org", v.ID), storage.ENOTFOUND)
	if err := s.EndSession(b); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(b)
	wantCode(t, err, storage.EUNAUTHORIZED)
	audit, _ := s.AuditLog(storage.ListOptions{})
	if audit.Items[0].Action != "revoke" || audit.Items[0].Kind != "sessions" || audit.Items[0].Actor != "admin@example.org" {
		t.Fatalf("revocation audited: %+v", audit.Items[0])
	}
}

func TestDisabledAccount(t *testing.T) {
	s, _, u := sessionStore(t)
	secret := mustSession(t, s, u.ID)
	token, _, err := s.CreateToken("test", u.Email, "script")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetUserDisabled("admin@example.org", u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = s.Authenticate(u.Email, "0123456789ab")
	wantCode(t, err, storage.EUNAUTHORIZED)
	if !strings.Contains(err.Error(), "désactivé") {
		t.Errorf("the right password learns why: %v", err)
	}
	if _, err := s.Authenticate(u.Email, "wrong password"); strings.Contains(err.Error(), "désactivé") {
		t.Error("a wrong password learns nothing")
	}
	_, err = s.UserByToken(token)
	wantCode(t, err, storage.EUNAUTHORIZED)
	_, _, err = s.SessionUser(secret)
	wantCode(t, err, storage.EUNAUTHORIZED)
	if _, err := s.UpdateUser("admin@example.org", u.ID, 0, storage.NewUser{Email: u.Email, Name: "Claire D.", Role: u.Role}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.UserByID(u.ID); !got.Disabled {
		t.Fatal("an edit keeps the account disabled")
	}
	if _, err := s.SetUserDisabled("admin@example.org", u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(u.Email, "0123456789ab"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(token); err != nil {
		t.Fatalf("the token works again: %v", err)
	}
	audit, _ := s.AuditLog(storage.ListOptions{Limit: 3})
	if audit.Items[0].Action != "enable" || audit.Items[2].Action != "disable" {
		t.Fatalf("audited: %+v", audit.Items)
	}
}
