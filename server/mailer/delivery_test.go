package mailer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"portevoix/storage"
)

func TestOutbox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	o, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := MustCampaign(t, 1000)
	first := MustBuild(t, c, 1)
	for _, msg := range [][]byte{first, first, MustBuild(t, c, 2)} {
		if err := o.Send(context.Background(), envelopeFrom, "a@example.com", msg); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("outbox holds %v, want one file per Message-ID", entries)
	}
	id := testRecipient(1).MessageID
	got, err := os.ReadFile(filepath.Join(dir, id[1:len(id)-1]+".eml"))
	if err != nil || string(got) != string(first) {
		t.Errorf("file for %s: %v, or not the message", id, err)
	}
	var se *SendError
	if err := o.Send(context.Background(), envelopeFrom, "a@example.com", []byte("Subject: x\r\n\r\nx")); !errors.As(err, &se) || se.Temporary {
		t.Errorf("message without Message-ID: %v, want a permanent error", err)
	}
}

func TestOutboxFileName(t *testing.T) {
	if got := fileName("<7.1.abc@porte-voix.example.org>"); got != "7.1.abc@porte-voix.example.org.eml" {
		t.Errorf("fileName = %q, want the bare Message-ID", got)
	}
	hashed := regexp.MustCompile(`^[0-9a-f]{32}\.eml$`)
	for _, id := range []string{"<../../etc/passwd@x>", "<.hidden@x>", "<a b@x>", "<a/b@x>"} {
		if got := fileName(id); !hashed.MatchString(got) {
			t.Errorf("fileName(%q) = %q, want a hash", id, got)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(200)
	start := time.Now()
	for range 21 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if elapsed := time.Since(start); elapsed < 95*time.Millisecond {
		t.Errorf("21 messages at 200/s took %v, want at least 100 ms", elapsed)
	}
}

func TestLimiterStopsWithContext(t *testing.T) {
	l := NewLimiter(0.001)
	l.Wait(context.Background()) // takes the one token
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait = %v, want the context's error", err)
	}
	next := l.next
	if err := l.Wait(ctx); err == nil || l.next.After(next) {
		t.Errorf("a cancelled Wait kept its turn: next moved from %v to %v", next, l.next)
	}
}

func TestLimiterUnlimited(t *testing.T) {
	l := NewLimiter(0)
	for range 1000 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); err == nil {
		t.Error("Wait on an ended context returned nil")
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}
	for i, w := range want {
		if got := Backoff(i+1, 0); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := Backoff(1000, time.Minute); got != 3*time.Hour {
		t.Errorf("Backoff(1000) = %v, want the 3 h cap", got)
	}
	first := time.Date(2020, 5, 12, 10, 0, 0, 0, time.UTC)
	at, attempts := first, 0
	for !GiveUp(first, at) {
		attempts++
		at = at.Add(Backoff(attempts, time.Minute))
	}
	if attempts < 10 || attempts > 20 {
		t.Errorf("%d attempts over 24 h, want between 10 and 20", attempts)
	}
	if GiveUp(first, first.Add(23*time.Hour)) || !GiveUp(first, first.Add(24*time.Hour)) {
		t.Error("GiveUp does not switch at 24 h")
	}
}

func TestParseSMTPURL(t *testing.T) {
	cfg, err := ParseSMTPURL("smtp://user:p%40ss@127.0.0.1:2525?starttls=false&timeout=5s")
	want := Config{Host: "127.0.0.1", Port: "2525", Username: "user", Password: "p@ss", Timeout: 5 * time.Second}
	if err != nil || cfg != want {
		t.Errorf("got %+v, %v; want %+v", cfg, err, want)
	}
	cfg, err = ParseSMTPURL("smtps://mail.example.org")
	if want := (Config{Host: "mail.example.org", Port: "465", TLS: true, StartTLS: true}); err != nil || cfg != want {
		t.Errorf("got %+v, %v; want %+v", cfg, err, want)
	}
	if cfg, _ := ParseSMTPURL("smtp://mail.example.org"); cfg.Port != "25" || !cfg.StartTLS {
		t.Errorf("smtp:// defaults: %+v", cfg)
	}
	for _, bad := range []string{"http://mail.example.org", "smtp://", "smtp://h:99999", "smtp://h?starttls=peut-être", "smtp://h?tls=1", "smtp://h?timeout=-1s", "::"} {
		if _, err := ParseSMTPURL(bad); storage.ErrorCode(err) != storage.EINVALID {
			t.Errorf("ParseSMTPURL(%q) = %v, want EINVALID", bad, err)
		}
	}
}
