package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"portevoix/storage"
)

// openTimeout bounds the wait for another process's lock on the database.
const openTimeout = 2 * time.Second

// Whether a command may create the base: only serve, demo and user add do, so that a
// mistyped --data never passes for an empty base.
const (
	createBase   = true
	existingBase = false
)

// openBase opens the base in dir, creating it only when create is set.
func openBase(dir string, timeout time.Duration, create bool) (*storage.Store, error) {
	if create {
		return storage.Open(dir, timeout)
	}
	return storage.OpenExisting(dir, timeout)
}

// openStore opens the base or explains why it cannot; it returns nil and an exit code then.
func openStore(env *environment, dir string, create bool) (*storage.Store, int) {
	store, err := openBase(dir, openTimeout, create)
	if err != nil {
		return nil, fail(env, "%s", baseError(err))
	}
	return store, 0
}

// baseError says in French why the base did not open, and what to do.
func baseError(err error) string {
	switch {
	case errors.Is(err, storage.ErrInUse):
		return err.Error() + " : le serveur tourne-t-il ? Arrêtez-le d’abord ; « portevoix backup FICHIER », " +
			"« user add » et « token create » fonctionnent pendant qu’il tourne."
	case errors.Is(err, storage.ErrNoBase):
		return err.Error() + " : vérifiez --data (ou $PORTEVOIX_DATA) ; seules « portevoix serve », « demo » et « user add » créent une base."
	}
	return err.Error()
}

// fileError names the file the user gave, whatever file failed underneath (a temporary
// copy beside it, say), and says why in French. verb is "de lire" or "d’écrire".
func fileError(verb, path string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("impossible %s %s : %s", verb, path, reason(err))
}

// reason is a system error in French, for the common cases.
func reason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "fichier ou dossier introuvable"
	case errors.Is(err, fs.ErrPermission):
		return "permission refusée"
	case errors.Is(err, syscall.ENOSPC):
		return "disque plein"
	case errors.Is(err, syscall.EROFS):
		return "disque en lecture seule"
	case errors.Is(err, syscall.EISDIR):
		return "c’est un dossier"
	case errors.Is(err, syscall.ENOTDIR):
		return "un élément du chemin n’est pas un dossier"
	case errors.Is(err, syscall.EADDRINUSE):
		return "adresse déjà utilisée par un autre programme"
	}
	return err.Error()
}
