package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"portevoix/storage/contactfile"
)

func importCommand(args []string, env *environment) int {
	if len(args) == 0 || args[0] != "contacts" {
		return fail(env, "usage: portevoix import contacts FILE [--dry-run]")
	}
	fs := newFlags("import contacts", "import contacts FILE [--dry-run] [--data DIR]", env)
	data := dataFlag(fs, env)
	dryRun := fs.Bool("dry-run", false, "check the file and report, store nothing")
	if code, ok := parse(fs, reorder(args[1:])); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fail(env, "%v", err)
	}
	defer f.Close()
	store, code := openStore(env, *data)
	if store == nil {
		return code
	}
	defer store.Close()
	report, err := contactfile.Import(store, "cli", f, fs.Arg(0), *dryRun)
	if err != nil {
		return fail(env, "%v", err)
	}
	printReport(env.stdout, report)
	if len(report.Errors) > 0 {
		return 1
	}
	return 0
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
	if len(args) == 0 || args[0] != "contacts" {
		return fail(env, "usage: portevoix export contacts [-o FILE]")
	}
	fs := newFlags("export contacts", "export contacts [-o FILE] [--data DIR]", env)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "write to FILE instead of standard output")
	if code, ok := parse(fs, args[1:]); !ok {
		return code
	}
	store, code := openStore(env, *data)
	if store == nil {
		return code
	}
	defer store.Close()
	contacts, err := store.AllContacts()
	if err != nil {
		return fail(env, "%v", err)
	}
	if *out == "" {
		if err := contactfile.WriteCSV(env.stdout, contacts); err != nil {
			return fail(env, "%v", err)
		}
		return 0
	}
	_, err = writeAtomically(*out, 0o600, func(w io.Writer) (int64, error) { return 0, contactfile.WriteCSV(w, contacts) })
	if err != nil {
		return fail(env, "%v", err)
	}
	return 0
}
