// Command portevoix runs the Porte-Voix server and its maintenance commands.
// main only wires: configuration from flags and environment, the store, the server.
// Everything it prints for a person is French, flag errors included.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Porte-Voix — communiqués de presse des Pôles Santé en réseau.

Usage :
  portevoix [serve] [--addr 127.0.0.1:8080] [--data DOSSIER] [--demo]
  portevoix user add --email E --name NOM --role admin|editor|viewer --password-stdin
  portevoix token create --email E [--name LIBELLÉ]
  portevoix demo [--data DOSSIER]
  portevoix backup FICHIER [--data DOSSIER]
  portevoix import contacts FICHIER [--dry-run]
  portevoix export contacts [FICHIER | -o FICHIER]
  portevoix pdf ID [-o FICHIER]        (-o - écrit sur la sortie standard)

Commandes :
  serve            lance le serveur (commande par défaut)
  user add         crée un compte, avec le mot de passe lu sur l’entrée standard
  token create     crée un jeton d’accès à l’API pour un compte
  demo             charge les données de démonstration dans une base vide
  backup           écrit une copie de la base, même pendant que le serveur tourne
  import contacts  importe des contacts d’un fichier CSV (Excel, Outlook, Google) ou vCard
  export contacts  exporte les contacts en CSV
  pdf              écrit le PDF d’un communiqué

Chaque commande accepte --data DOSSIER (par défaut ./data, ou $PORTEVOIX_DATA).
Seules serve, demo et user add créent une base ; les autres commandes refusent un
dossier qui n’en contient pas.
Les options d’une commande : portevoix COMMANDE --help
`

// command is one sub-command: it parses its own flags and returns an exit code.
type command func(args []string, env *environment) int

// environment is what commands read and write besides their flags.
type environment struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &environment{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	commands := map[string]command{
		"serve":  serveCommand,
		"user":   userCommand,
		"token":  tokenCommand,
		"demo":   demoCommand,
		"backup": backupCommand,
		"import": importCommand,
		"export": exportCommand,
		"pdf":    pdfCommand,
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			fmt.Fprint(stdout, usage)
			return 0
		}
		return serveCommand(args, env)
	}
	if args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "portevoix : commande inconnue « %s »\n\n%s", args[0], usage)
		return 2
	}
	return cmd(args[1:], env)
}

// newFlags makes a FlagSet that never exits by itself and speaks French: parse reports
// its errors, and Usage prints the synopsis and options to the set's output (stderr).
func newFlags(name, synopsis string, env *environment) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() { printUsage(fs.Output(), fs, synopsis) }
	return fs
}

// printUsage lists the synopsis and every option. Option help texts name their value in
// back quotes (flag.UnquoteUsage), so that no English "string" appears.
func printUsage(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage : portevoix %s\n\nOptions :\n", synopsis)
	fs.VisitAll(func(f *flag.Flag) {
		value, help := flag.UnquoteUsage(f)
		dashes := "--"
		if len(f.Name) == 1 {
			dashes = "-"
		}
		fmt.Fprintf(w, "  %s\n      %s", strings.TrimSpace(dashes+f.Name+" "+value), help)
		if f.DefValue != "" && f.DefValue != "false" {
			fmt.Fprintf(w, " (par défaut : %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// parse parses flags; it returns an exit code and false when the command must stop:
// 0 after --help (the usage then goes to stdout), 2 after a usage error.
func parse(fs *flag.FlagSet, args []string, env *environment) (int, bool) {
	usage := fs.Usage
	fs.Usage = func() {}     // the flag package calls it before we can say what is wrong
	fs.SetOutput(io.Discard) // and prints its own messages in English
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(env.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(env.stdout) // asked for, so not an error; the command stops here
		fs.Usage()
		return 0, false
	case err != nil:
		return usageError(fs, env, flagError(err)), false
	}
	return 0, true
}

// usageError says what is wrong with the command line, then how to write it; exit code 2.
func usageError(fs *flag.FlagSet, env *environment, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "portevoix %s : "+format+"\n\n", append([]any{fs.Name()}, args...)...)
	fs.Usage()
	return 2
}

// flagErrors translates the flag package's messages, which it only writes in English. The
// expressions are compiled on first use, not at the start of every command.
var flagErrors = sync.OnceValue(func() []flagTranslation {
	return []flagTranslation{
		{regexp.MustCompile(`^flag provided but not defined: (.*)$`), "option inconnue $1"},
		{regexp.MustCompile(`^flag needs an argument: (.*)$`), "il manque la valeur de l’option $1"},
		{regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?([^:]*):`), "valeur « $1 » invalide pour l’option $2"},
		{regexp.MustCompile(`^bad flag syntax: (.*)$`), "option mal écrite « $1 »"},
	}
})

type flagTranslation struct {
	pattern *regexp.Regexp
	french  string
}

// flagError is err from flag.Parse in French.
func flagError(err error) string {
	msg := err.Error()
	for _, e := range flagErrors() {
		if m := e.pattern.FindStringSubmatchIndex(msg); m != nil {
			return string(e.pattern.ExpandString(nil, e.french, msg, m))
		}
	}
	return msg
}

// dataFlag adds --data with its default from PORTEVOIX_DATA or ./data.
func dataFlag(fs *flag.FlagSet, env *environment) *string {
	def := env.getenv("PORTEVOIX_DATA")
	if def == "" {
		def = "data"
	}
	return fs.String("data", def, "le `DOSSIER` des données (la base portevoix.db, les e-mails en attente) ; aussi $PORTEVOIX_DATA")
}

// fail prints an error for the user and returns exit code 1.
func fail(env *environment, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "portevoix : "+format+"\n", args...)
	return 1
}
