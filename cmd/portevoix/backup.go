package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"portevoix/storage"
)

func backupCommand(args []string, env *environment) int {
	fs := newFlags("backup", "backup FICHIER [--data DOSSIER]", env)
	data := dataFlag(fs, env)
	if code, ok := parse(fs, reorder(fs, args), env); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, env, "indiquez un seul fichier, celui de la copie")
	}
	target := fs.Arg(0)
	if err := checkBackupTarget(target, *data); err != nil {
		return fail(env, "%v", err)
	}
	n, err := writeAtomically(target, 0o600, true, func(w io.Writer) (int64, error) { return backupTo(*data, w) }, verifyBackup)
	if err != nil {
		return fail(env, "sauvegarde non écrite : %s", baseError(err))
	}
	fmt.Fprintf(env.stdout, "Sauvegarde écrite dans %s (%d octets).\n", target, n)
	return 0
}

// checkBackupTarget refuses a copy written over the live base or into the data folder,
// by whatever path or link: renaming it into place would replace the base under the
// running server, and every later write would be lost at restart.
func checkBackupTarget(target, dataDir string) error {
	data, err := resolve(dataDir)
	if err != nil {
		return nil // no data folder, nothing to overwrite: opening the base reports it
	}
	if dir, err := resolve(filepath.Dir(target)); err == nil && within(dir, data) {
		return fmt.Errorf("copie refusée : %s est dans le dossier de données %s, qui ne doit contenir que la base en service ; "+
			"écrivez la sauvegarde ailleurs, de préférence sur un autre disque", target, dataDir)
	}
	info, err := os.Stat(target) // follows links
	if err != nil {
		return nil
	}
	if base, err := os.Stat(storage.BasePath(dataDir)); err == nil && os.SameFile(info, base) {
		return fmt.Errorf("copie refusée : %s est la base en service elle-même ; écrivez la sauvegarde dans un autre fichier, hors du dossier de données", target)
	}
	if real, err := resolve(target); err == nil && within(real, data) {
		return fmt.Errorf("copie refusée : %s mène dans le dossier de données %s ; écrivez la sauvegarde ailleurs", target, dataDir)
	}
	return nil
}

// resolve is path made absolute, with every symbolic link followed.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// within reports whether path is dir or below it (both resolved).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// backupTo copies the base directly when no server runs, else asks the server.
func backupTo(dataDir string, w io.Writer) (int64, error) {
	store, err := storage.OpenExisting(dataDir, 500*time.Millisecond)
	if err == nil {
		defer store.Close()
		return store.Backup(w)
	}
	if !errors.Is(err, storage.ErrInUse) {
		return 0, err
	}
	return backupFromServer(dataDir, w)
}

// backupFromServer streams the base from the running server. The server announces the
// size first (Content-Length), so a copy cut short by either side is an error here,
// never a smaller file taken for a whole base.
func backupFromServer(dataDir string, w io.Writer) (int64, error) {
	// A large base written to a slow disk may take minutes; the size check, not the clock,
	// tells a whole copy.
	resp, err := controlClient(dataDir, time.Hour).Get("http://portevoix/backup")
	if err != nil {
		return 0, fmt.Errorf("la base est utilisée par le serveur, mais son accès de contrôle (%s) ne répond pas : %w", controlSocket(dataDir), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("le serveur a refusé la sauvegarde (%s)", resp.Status)
	}
	size := resp.ContentLength
	if size <= 0 {
		return 0, errors.New("le serveur n’a pas annoncé la taille de la base : copie refusée, faute de pouvoir la vérifier")
	}
	n, err := io.Copy(w, resp.Body)
	if err == nil && n != size {
		err = fmt.Errorf("%d octets reçus", n)
	}
	if err != nil {
		return n, fmt.Errorf("sauvegarde interrompue après %d octets sur %d : %w", n, size, err)
	}
	return n, nil
}

// writeAtomically writes to a temporary file beside path, checks it when verify is not
// nil, and renames it into place, so a failed write never leaves a truncated file under
// the final name. perm is the final file's mode: 0600 for backups, which hold personal
// data. durable syncs the file to disk before the rename, for what must survive a crash
// of the machine (a backup); a file that is only derived from the base (a PDF) need not
// wait for the disk, 1 to 3 ms of `portevoix pdf`. Errors name path, never the temporary
// file.
func writeAtomically(path string, perm os.FileMode, durable bool, write func(io.Writer) (int64, error), verify func(tmp string) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".portevoix-*.tmp")
	if err != nil {
		return 0, fileError("d’écrire", path, err)
	}
	defer os.Remove(tmp.Name())
	n, err := write(tmp)
	if err == nil {
		err = tmp.Chmod(perm)
	}
	if err == nil && durable {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && verify != nil {
		err = verify(tmp.Name())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) && pe.Path == tmp.Name() || errors.As(err, &le) {
		return n, fileError("d’écrire", path, err)
	}
	return n, err
}

// verifyBackup checks a copy before it takes the backup's name.
func verifyBackup(tmp string) error {
	if err := storage.CheckFile(tmp); err != nil {
		return errors.New("la copie reçue est incomplète ou illisible")
	}
	return nil
}

// reorder moves flags before positional arguments, so "backup FILE --data DIR" works too.
// A flag takes the next argument as its value unless it is a boolean or says "=value".
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		if i+1 < len(args) && takesValue(fs, a) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, rest...)
}

// takesValue reports whether the flag argument a ("--data", "-o") needs the next argument.
func takesValue(fs *flag.FlagSet, a string) bool {
	name := strings.TrimLeft(a, "-")
	if strings.Contains(name, "=") {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return false // unknown: parse reports it
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}
