package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"portevoix/storage"
)

// The running server owns the database lock, so a backup taken while it runs goes through
// a Unix socket in the data folder: whoever may read the folder may read the base anyway,
// so the socket needs no other credential.

// controlServer serves GET /backup on the control socket.
type controlServer struct {
	http *http.Server
	done chan struct{}
}

func listenControl(dataDir string, store *storage.Store, log *slog.Logger) (*controlServer, error) {
	path := controlSocket(dataDir)
	_ = os.Remove(path) // a stale socket from a crash; we hold the database lock, so it is ours
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if _, err := store.Backup(w); err != nil {
			log.Error("backup over control socket", "err", err)
		}
	})
	c := &controlServer{http: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		_ = c.http.Serve(ln)
	}()
	return c, nil
}

// Close stops the control server and waits for it.
func (c *controlServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.http.Shutdown(ctx)
	<-c.done
}

func backupCommand(args []string, env *environment) int {
	fs := newFlags("backup", "backup FILE [--data DIR]", env)
	data := dataFlag(fs, env)
	if code, ok := parse(fs, reorder(args)); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	target := fs.Arg(0)
	n, err := writeAtomically(target, 0o600, func(w io.Writer) (int64, error) { return backupTo(*data, w) })
	if err != nil {
		return fail(env, "backup: %v", err)
	}
	fmt.Fprintf(env.stdout, "Backup written to %s (%d bytes).\n", target, n)
	return 0
}

// backupTo copies the base directly when no server runs, else asks the server.
func backupTo(dataDir string, w io.Writer) (int64, error) {
	store, err := storage.Open(dataDir, 500*time.Millisecond)
	if err == nil {
		defer store.Close()
		return store.Backup(w)
	}
	if !errors.Is(err, storage.ErrInUse) {
		return 0, err
	}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", controlSocket(dataDir))
		},
	}}
	resp, err := client.Get("http://portevoix/backup")
	if err != nil {
		return 0, fmt.Errorf("the database is in use and the server's control socket does not answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("server answered %s", resp.Status)
	}
	return io.Copy(w, resp.Body)
}

// writeAtomically writes to a temporary file beside path and renames it into place, so a
// failed backup never leaves a truncated file under the final name.
// perm is the final file's mode: 0600 for backups, which hold personal data.
func writeAtomically(path string, perm os.FileMode, write func(io.Writer) (int64, error)) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".portevoix-*.tmp")
	if err != nil {
		return 0, err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), path)
}

// reorder moves flags before positional arguments, so "backup FILE --data DIR" works too.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if i+1 < len(args) && !hasValue(a) && a != "-h" && a != "--help" {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(flags, rest...)
}

func hasValue(flagArg string) bool {
	for _, r := range flagArg {
		if r == '=' {
			return true
		}
	}
	return false
}
