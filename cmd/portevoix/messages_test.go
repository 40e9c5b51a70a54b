package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
)

// english are words of the flag package and of Go's errors that must not reach a user.
var english = []string{"flag provided", "needs an argument", "invalid value", "string", "(default", "no such file", "permission denied", ".tmp", "Usage of"}

func wantFrench(t *testing.T, text string) {
	t.Helper()
	for _, w := range english {
		if strings.Contains(text, w) {
			t.Errorf("%q in %q", w, text)
		}
	}
}

func TestCLIMessagesAreFrench(t *testing.T) {
	dir := mustDemoBase(t)
	missing := filepath.Join(t.TempDir(), "absent.csv")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"Help", []string{"--help"}, 0, "Commandes\u00a0:"},
		{"CommandHelp", []string{"backup", "--help"}, 0, "Usage\u00a0: portevoix backup FICHIER"},
		{"UnknownFlag", []string{"backup", "--frob", "x.db"}, 2, "option inconnue -frob"},
		{"FlagWithoutValue", []string{"export", "contacts", "--data", dir, "-o"}, 2, "il manque la valeur de l’option -o"},
		{"BadBoolean", []string{"import", "contacts", "--dry-run=peut-être", "x.csv"}, 2, "valeur «\u202fpeut-être\u202f» invalide pour l’option -dry-run"},
		{"UnknownCommand", []string{"frobnicate"}, 2, "commande inconnue «\u202ffrobnicate\u202f»"},
		{"PDFWithoutID", []string{"pdf", "--data", dir}, 2, "indiquez l’identifiant (ID) du communiqué"},
		{"PDFBadID", []string{"pdf", "un", "--data", dir}, 2, "identifiant «\u202fun\u202f» invalide"},
		{"MissingFile", []string{"import", "contacts", missing, "--data", dir}, 1, "impossible de lire " + missing + "\u00a0: fichier ou dossier introuvable"},
		{"FolderAsFile", []string{"import", "contacts", dir, "--data", dir}, 1, "impossible de lire " + dir + "\u00a0: c’est un dossier"},
		{"UnwritableTarget", []string{"export", "contacts", "-o", filepath.Join(missing, "x.csv"), "--data", dir}, 1, "impossible d’écrire " + filepath.Join(missing, "x.csv") + "\u00a0: fichier ou dossier introuvable"},
		{"ExportTwoTargets", []string{"export", "contacts", "a.csv", "-o", "b.csv", "--data", dir}, 2, "-o FICHIER"},
		{"PasswordOnCommandLine", []string{"user", "add", "--data", dir, "--email", "a@example.org"}, 1, "--password-stdin est obligatoire"},
		{"OtherSubcommand", []string{"user", "remove"}, 2, "une seule sous-commande\u00a0: user add"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Fatalf("exit %d, want %d and %q in:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
			wantFrench(t, stdout+stderr)
		})
	}
}

func TestBaseInUseIsSaidInFrench(t *testing.T) {
	dir := mustDemoBase(t)
	store, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, stderr, code := runCLI(t, "", "export", "contacts", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "base déjà utilisée par un autre processus") {
		t.Fatalf("exit %d, %q", code, stderr)
	}
}

func TestExportContactsWritesTheFileNamed(t *testing.T) {
	dir := mustDemoBase(t)
	for _, args := range [][]string{{"FICHIER.csv"}, {"-o", "FICHIER.csv"}} {
		target := filepath.Join(t.TempDir(), "contacts.csv")
		for i, a := range args {
			if a == "FICHIER.csv" {
				args[i] = target
			}
		}
		stdout, stderr, code := runCLI(t, "", append([]string{"export", "contacts", "--data", dir}, args...)...)
		if code != 0 || !strings.Contains(stdout, "exporté(s) dans "+target) {
			t.Fatalf("%v: exit %d %s %s", args, code, stdout, stderr)
		}
		data, err := os.ReadFile(target)
		if err != nil || !strings.Contains(string(data), "example.org") {
			t.Fatalf("%v: the export file holds no contact: %v %.200s", args, err, data)
		}
	}
}
