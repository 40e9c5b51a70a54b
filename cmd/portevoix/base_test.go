package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"portevoix/server"
	"portevoix/storage"
)

// mustDemoBase makes a data folder holding the demo base.
func mustDemoBase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, "", "demo", "--data", dir); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	return dir
}

func TestBackupRefusesTheLiveBaseAndTheDataFolder(t *testing.T) {
	dir := mustDemoBase(t)
	base := storage.BasePath(dir)
	before, _ := os.ReadFile(base)
	outside := t.TempDir()
	cwd, _ := os.Getwd()
	relative, err := filepath.Rel(cwd, base)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) string // returns the backup target
	}{
		{"TheBase", func(*testing.T) string { return base }},
		{"RelativePath", func(*testing.T) string { return relative }},
		{"DottedPath", func(*testing.T) string { return filepath.Join(dir, "..", filepath.Base(dir), ".", "portevoix.db") }},
		{"InsideTheFolder", func(*testing.T) string { return filepath.Join(dir, "copie.db") }},
		{"Subfolder", func(t *testing.T) string {
			if err := os.Mkdir(filepath.Join(dir, "old"), 0o700); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "old", "copie.db")
		}},
		{"SymlinkToTheBase", func(t *testing.T) string {
			link := filepath.Join(outside, "lien.db")
			if err := os.Symlink(base, link); err != nil {
				t.Fatal(err)
			}
			return link
		}},
		{"SymlinkToTheFolder", func(t *testing.T) string {
			link := filepath.Join(outside, "dossier")
			if err := os.Symlink(dir, link); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(link, "portevoix.db")
		}},
		{"HardLinkToTheBase", func(t *testing.T) string {
			link := filepath.Join(outside, "dur.db")
			if err := os.Link(base, link); err != nil {
				t.Skip("no hard links here:", err)
			}
			return link
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, "", "backup", tc.setup(t), "--data", dir)
			if code != 1 || !strings.Contains(stderr, "copie refusée") {
				t.Fatalf("exit %d, %q: want a refusal", code, stderr)
			}
			if after, _ := os.ReadFile(base); !bytes.Equal(after, before) {
				t.Fatal("the live base was changed")
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		target := filepath.Join(outside, "copie.db")
		if _, stderr, code := runCLI(t, "", "backup", target, "--data", dir); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if err := storage.CheckFile(target); err != nil {
			t.Fatal(err)
		}
	})
}

// serveControl answers the control socket of dir with backup, as a server would.
func serveControl(t *testing.T, dir string, backup http.HandlerFunc) {
	t.Helper()
	ln, err := net.Listen("unix", controlSocket(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: backup}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
}

// TestBackupThroughTheSocketChecksTheSize holds the base like a running server, and answers
// the control socket with a copy cut short: nothing may take the backup's name.
func TestBackupThroughTheSocketChecksTheSize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter, whole []byte)
		want   string
	}{
		{"CutAfterTheSize", func(w http.ResponseWriter, whole []byte) {
			w.Header().Set("Content-Length", strconv.Itoa(len(whole)))
			w.Write(whole[:len(whole)/3])
		}, "interrompue"},
		{"NoSize", func(w http.ResponseWriter, whole []byte) {
			w.Write(whole[:len(whole)/3])
			w.(http.Flusher).Flush() // chunked: the stream ends cleanly, short
		}, "taille"},
		{"ServerError", func(w http.ResponseWriter, whole []byte) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, "refusé"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := mustDemoBase(t)
			store, err := storage.Open(dir, time.Second) // holds the lock, as the server does
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			var whole bytes.Buffer
			store.Backup(&whole)
			serveControl(t, dir, func(w http.ResponseWriter, r *http.Request) { tc.answer(w, whole.Bytes()) })
			outside := t.TempDir()
			target := filepath.Join(outside, "copie.db")
			_, stderr, code := runCLI(t, "", "backup", target, "--data", dir)
			if code != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, %q: want an error saying %q", code, stderr, tc.want)
			}
			if entries, _ := os.ReadDir(outside); len(entries) != 0 {
				t.Fatalf("files left beside the backup: %v", entries)
			}
		})
	}
}

func TestOnlyServeDemoAndUserAddCreateABase(t *testing.T) {
	csv := filepath.Join(t.TempDir(), "presse.csv")
	os.WriteFile(csv, []byte("Courriel;Nom\r\nzoe@example.org;Zoé\r\n"), 0o600)
	for _, args := range [][]string{
		{"backup", filepath.Join(t.TempDir(), "copie.db")},
		{"export", "contacts"},
		{"export", "contacts", "-o", filepath.Join(t.TempDir(), "contacts.csv")},
		{"pdf", "1", "-o", filepath.Join(t.TempDir(), "c.pdf")},
		{"import", "contacts", csv},
		{"import", "contacts", csv, "--dry-run"},
		{"token", "create", "--email", "a@example.org"},
	} {
		name := args[0]
		if !strings.Contains(args[1], "/") {
			name += "_" + args[1]
		}
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "mistyped")
			_, stderr, code := runCLI(t, "", append(args, "--data", dir)...)
			if code != 1 || !strings.Contains(stderr, "aucune base dans "+dir) {
				t.Fatalf("exit %d, %q", code, stderr)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("the folder was created: %v", err)
			}
		})
	}
	t.Run("UserAdd", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new")
		if _, stderr, code := runCLI(t, "a long enough password\n", "user", "add", "--data", dir, "--email", "a@example.org", "--name", "A", "--role", "admin", "--password-stdin"); code != 0 {
			t.Fatalf("user add must create the base: %s", stderr)
		}
	})
}

// TestDamagedBaseIsRefused runs the binary: a truncated file used to crash it with SIGBUS,
// and an empty one became a fresh base.
func TestDamagedBaseIsRefused(t *testing.T) {
	bin := buildBinary(t)
	whole, _ := os.ReadFile(storage.BasePath(mustDemoBase(t)))
	if len(whole) < 8*os.Getpagesize() {
		t.Fatalf("the demo base is too small (%d bytes) to be truncated after its meta pages", len(whole))
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Empty", nil},
		{"Truncated", whole[:4*os.Getpagesize()+100]},
	} {
		for _, cmd := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"export", "contacts"}} {
			t.Run(tc.name+"_"+cmd[0], func(t *testing.T) {
				dir := t.TempDir()
				os.WriteFile(storage.BasePath(dir), tc.data, 0o600)
				// A base taken for a fresh one would serve forever: the deadline ends the test.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				out, err := exec.CommandContext(ctx, bin, append(cmd, "--data", dir)...).CombinedOutput()
				var exit *exec.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != 1 {
					t.Fatalf("%v, want exit 1:\n%s", err, out)
				}
				if !strings.Contains(string(out), "restaurez une sauvegarde") || strings.Contains(string(out), "goroutine") {
					t.Fatalf("want a French message saying to restore a backup, no stack:\n%s", out)
				}
				if data, _ := os.ReadFile(storage.BasePath(dir)); !bytes.Equal(data, tc.data) {
					t.Fatal("the damaged file was changed")
				}
			})
		}
	}
}

// TestServerRefusesWritesWhenTheBaseIsGone removes the data folder under a running server.
func TestServerRefusesWritesWhenTheBaseIsGone(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "data")
	srv := startServer(t, bin, dir)
	if resp, err := http.Get(srv.url + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz before: %v", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(srv.url + "/healthz"); err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz after the folder was removed: %v %v, want 503", resp.Status, err)
	}
	resp, err := http.Post(srv.url+"/api/v1/quotes", "application/json", strings.NewReader(`{"text":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var p server.Problem
	body, _ := io.ReadAll(resp.Body)
	json.Unmarshal(body, &p)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(p.Detail, "supprimé") {
		t.Fatalf("write after the folder was removed: %d %s, want 503 saying why in French", resp.StatusCode, body)
	}
	if !waitFor(srv.stderr, "supprimé") {
		t.Fatalf("the log must say why writes are refused:\n%s", srv.stderr)
	}
}

// TestPDFLeavesTheBaseUntouched expects `pdf` to open the base read-only: the file keeps
// its bytes, so no write or sync to disk happens for a PDF.
func TestPDFLeavesTheBaseUntouched(t *testing.T) {
	dir := mustDemoBase(t)
	before, err := os.ReadFile(storage.BasePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "c.pdf")
	if _, stderr, code := runCLI(t, "", "pdf", "1", "-o", out, "--data", dir); code != 0 {
		t.Fatalf("pdf: exit %d, %s", code, stderr)
	}
	if pdf, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
	if after, _ := os.ReadFile(storage.BasePath(dir)); !bytes.Equal(after, before) {
		t.Error("the base changed")
	}
}
