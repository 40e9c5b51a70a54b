package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"portevoix/storage"
)

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
	resp, err := controlClient(dataDir).Get("http://portevoix/backup")
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
