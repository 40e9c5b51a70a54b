package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"portevoix/storage/contactfile"
)

func importCommand(args []string, env *environment) int {
	fs := newFlags("import contacts", "import contacts FICHIER [--dry-run] [--data DOSSIER]", env)
	if len(args) == 0 || args[0] != "contacts" {
		return usageError(fs, env, "une seule sous-commande : import contacts")
	}
	data := dataFlag(fs, env)
	dryRun := fs.Bool("dry-run", false, "vérifie le fichier et rend compte, sans rien enregistrer")
	if code, ok := parse(fs, reorder(fs, args[1:]), env); !ok {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(fs, env, "indiquez un seul fichier à importer")
	}
	path := fs.Arg(0)
	f, err := openReadable(path)
	if err != nil {
		return fail(env, "%v", err)
	}
	defer f.Close()
	store, code := openStore(env, *data, existingBase)
	if store == nil {
		return code
	}
	defer store.Close()
	report, err := contactfile.Import(store, "cli", f, path, *dryRun)
	if err != nil {
		return fail(env, "%v", err)
	}
	printReport(env.stdout, report)
	if len(report.Errors) > 0 {
		return 1
	}
	return 0
}

// openReadable opens a file the user named, or says in French, with that name, why not.
func openReadable(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError("de lire", path, err)
	}
	if info, err := f.Stat(); err != nil || info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("impossible de lire %s : c’est un dossier, pas un fichier", path)
	}
	return f, nil
}

// printReport says what an import did, then every rejected or skipped line, in French,
// since it is read by the staff who made the spreadsheet.
func printReport(w io.Writer, r *contactfile.Report) {
	if r.DryRun {
		fmt.Fprintln(w, "Essai à blanc : rien n’a été enregistré.")
	}
	fmt.Fprintf(w, "%d créé(s), %d mis à jour, %d ignoré(s), %d rejeté(s) (%s, %s).\n", r.Created, r.Updated, r.Skipped, len(r.Errors), r.Format, r.Encoding)
	for _, e := range r.Errors {
		fmt.Fprintf(w, "ligne %d : %s %s\n", e.Line, e.Field, e.Message)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "ligne %d ignorée : %s\n", n.Line, n.Message)
	}
	for _, n := range r.Warnings {
		fmt.Fprintf(w, "ligne %d : %s\n", n.Line, n.Message)
	}
	if len(r.IgnoredColumns) > 0 {
		cols, _ := json.Marshal(r.IgnoredColumns)
		fmt.Fprintf(w, "Colonnes non reconnues (ignorées) : %s\n", cols)
	}
}

func exportCommand(args []string, env *environment) int {
	fs := newFlags("export contacts", "export contacts [FICHIER | -o FICHIER] [--data DOSSIER]", env)
	if len(args) == 0 || args[0] != "contacts" {
		return usageError(fs, env, "une seule sous-commande : export contacts")
	}
	data := dataFlag(fs, env)
	out := fs.String("o", "", "écrit dans `FICHIER` au lieu de la sortie standard")
	if code, ok := parse(fs, reorder(fs, args[1:]), env); !ok {
		return code
	}
	target, ok := exportTarget(fs, *out)
	if !ok {
		return usageError(fs, env, "indiquez le fichier une seule fois : export contacts FICHIER, ou -o FICHIER")
	}
	store, code := openStore(env, *data, existingBase)
	if store == nil {
		return code
	}
	defer store.Close()
	contacts, err := store.AllContacts()
	if err != nil {
		return fail(env, "%v", err)
	}
	if target == "" {
		if err := contactfile.WriteCSV(env.stdout, contacts); err != nil {
			return fail(env, "%v", err)
		}
		return 0
	}
	_, err = writeAtomically(target, 0o600, true, func(w io.Writer) (int64, error) { return 0, contactfile.WriteCSV(w, contacts) }, nil)
	if err != nil {
		return fail(env, "%v", err)
	}
	fmt.Fprintf(env.stdout, "%d contact(s) exporté(s) dans %s.\n", len(contacts), target)
	return 0
}

// exportTarget is the file to write ("" for standard output): the one argument or -o,
// not both.
func exportTarget(fs *flag.FlagSet, out string) (string, bool) {
	switch {
	case fs.NArg() == 0:
		return out, true
	case fs.NArg() == 1 && out == "":
		return fs.Arg(0), true
	}
	return "", false
}
