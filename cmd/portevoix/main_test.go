package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"portevoix/storage"
)

// buildBinary compiles portevoix once per test run: the server is tested as a user runs it.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portevoix")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestHelpAndUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"user", "add", "--help"}, {"token", "create", "--help"}, {"demo", "--help"}, {"backup", "--help"}, {"import", "contacts", "--help"}, {"pdf", "--help"}} {
		if _, _, code := runCLI(t, "", args...); code != 0 {
			t.Errorf("%v: exit %d, want 0", args, code)
		}
	}
	if _, stderr, code := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "commande inconnue") {
		t.Errorf("unknown command: exit %d, %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "", "user", "add", "--data", t.TempDir(), "--email", "a@example.org", "--name", "A"); code != 1 || !strings.Contains(stderr, "--password-stdin") {
		t.Errorf("password on the command line must be refused: exit %d, %q", code, stderr)
	}
}

func TestAccountsAndTokens(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := runCLI(t, "short\n", "user", "add", "--data", dir, "--email", "a@example.org", "--name", "A", "--role", "admin", "--password-stdin")
	if code != 1 || !strings.Contains(stderr, "password") {
		t.Fatalf("short password: exit %d, %q", code, stderr)
	}
	if _, stderr, code := runCLI(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "a@example.org", "--name", "A", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	stdout, _, code := runCLI(t, "", "token", "create", "--data", dir, "--email", "a@example.org")
	if code != 0 || !regexp.MustCompile(`^pv_[A-Za-z0-9_-]{43}\n$`).MatchString(stdout) {
		t.Fatalf("token create must print the token alone: %q", stdout)
	}
	if _, stderr, code := runCLI(t, "", "token", "create", "--data", dir, "--email", "nobody@example.org"); code != 1 || stderr == "" {
		t.Fatalf("token for an unknown user: exit %d", code)
	}
}

// process is a running portevoix server.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncLog
}

// syncLog is the server's standard error, written by one goroutine and read by the test.
type syncLog struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *syncLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.WriteString(line + "\n")
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func startServer(t *testing.T, bin, dir string, args ...string) *process {
	t.Helper()
	return startServerEnv(t, bin, dir, nil, args...)
}

// startServerEnv starts the server with extra environment variables (PORTEVOIX_SMTP…).
func startServerEnv(t *testing.T, bin, dir string, env []string, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	pipe, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &process{cmd: cmd, stderr: &syncLog{}}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			s.stderr.add(sc.Text())
			if m := regexp.MustCompile(`url=(http://\S+)`).FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case s.url = <-found:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("server did not start")
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return s
}

func TestServeDemoBackupAndLock(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	srv := startServer(t, bin, dir, "--demo")
	if !waitFor(srv.stderr, "aucun compte encore") {
		t.Errorf("a first serve without users must say how to create one:\n%s", srv.stderr)
	}
	if resp, err := http.Get(srv.url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v", err)
	}

	// A second process on the same folder exits non-zero, quickly, in plain words.
	start := time.Now()
	out, err := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "déjà utilisée") || time.Since(start) > 10*time.Second {
		t.Fatalf("second serve: %v after %s: %s", err, time.Since(start), out)
	}

	// A backup while the server runs goes through the control socket.
	backup := filepath.Join(t.TempDir(), "copy.db")
	if out, err := exec.Command(bin, "backup", backup, "--data", dir).CombinedOutput(); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	restored := t.TempDir()
	data, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(restored, "portevoix.db"), data, 0o600)
	store, err := storage.Open(restored, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	quotes, _ := storage.Find[storage.Quote](store, storage.ListOptions{}, func(q *storage.Quote) bool { return q.Status == storage.QuoteApproved })
	store.Close()
	if len(quotes.Items) != 6 {
		t.Fatalf("restored backup has %d approved quotes, want the 6 of the demo", len(quotes.Items))
	}

	// Accounts can be made while the server runs, through the control socket.
	out, err = exec.Command("sh", "-c", "echo 'a long enough password' | "+bin+" user add --data "+dir+" --email live@example.org --name Live --role viewer --password-stdin").CombinedOutput()
	if err != nil {
		t.Fatalf("user add while serving: %v %s", err, out)
	}
	token, err := exec.Command(bin, "token", "create", "--data", dir, "--email", "live@example.org").Output()
	if err != nil {
		t.Fatalf("token create while serving: %v", err)
	}
	req, _ := http.NewRequest("GET", srv.url+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token made while serving does not work: %v", err)
	}
	out, _ = exec.Command("sh", "-c", "echo 'a long enough password' | "+bin+" user add --data "+dir+" --email LIVE@example.org --name Bis --role viewer --password-stdin").CombinedOutput()
	if !strings.Contains(string(out), "déjà utilisée") {
		t.Fatalf("a taken e-mail through the socket must say so: %s", out)
	}

	// SIGTERM shuts down cleanly.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, srv.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}

func TestAPIWithCLIToken(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, "", "demo", "--data", dir); code != 0 {
		t.Fatal(stderr)
	}
	runCLI(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "e@example.org", "--name", "E", "--role", "editor", "--password-stdin")
	token, _, _ := runCLI(t, "", "token", "create", "--data", dir, "--email", "e@example.org")
	srv := startServer(t, bin, dir)
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.url+"/api/v1/quotes?status=approved", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(token))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page storage.Page[storage.Quote]
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != 6 {
		t.Fatalf("quotes: %d %s", resp.StatusCode, body)
	}
}

// waitFor waits a little for text to appear in a growing log.
func waitFor(log *syncLog, text string) bool {
	return waitUntil(5*time.Second, func() bool { return strings.Contains(log.String(), text) })
}

// waitUntil polls done until it holds or the time is up, and says whether it held: every
// wait in these tests has a deadline, so a server that never gets there fails the test
// instead of hanging it.
func waitUntil(limit time.Duration, done func() bool) bool {
	deadline := time.Now().Add(limit)
	for !done() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

func TestWaitUntilGivesUp(t *testing.T) {
	if waitUntil(50*time.Millisecond, func() bool { return false }) {
		t.Fatal("a condition that never holds was reported as met")
	}
	calls := 0
	if !waitUntil(time.Minute, func() bool { calls++; return calls == 3 }) {
		t.Fatal("a condition that holds was reported as missed")
	}
}
