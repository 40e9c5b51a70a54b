// Command portevoix runs the Porte-Voix server and its maintenance commands.
// main only wires: configuration from flags and environment, the store, the server.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `Porte-Voix — communiqués de presse des Pôles Santé en réseau.

Usage:
  portevoix [serve] [--addr 127.0.0.1:8080] [--data DIR] [--demo]
  portevoix user add --email E --name N --role admin|editor|viewer --password-stdin
  portevoix token create --email E [--name LABEL]
  portevoix demo [--data DIR]
  portevoix backup FILE [--data DIR]
  portevoix import contacts FILE [--dry-run]
  portevoix export contacts [-o FILE]
  portevoix pdf ID [-o FILE]        (-o - writes to standard output)

Every command takes --data DIR (default ./data, or $PORTEVOIX_DATA).
Run "portevoix COMMAND --help" for a command's options.
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
		fmt.Fprintf(stderr, "portevoix: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return cmd(args[1:], env)
}

// newFlags makes a FlagSet that prints its usage to stderr and never exits by itself.
func newFlags(name, synopsis string, env *environment) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: portevoix %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns an exit code and false when the command must stop
// (0 after --help, 2 after a usage error).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0, false
	}
	if err != nil {
		return 2, false
	}
	return 0, true
}

// dataFlag adds --data with its default from PORTEVOIX_DATA or ./data.
func dataFlag(fs *flag.FlagSet, env *environment) *string {
	def := env.getenv("PORTEVOIX_DATA")
	if def == "" {
		def = "data"
	}
	return fs.String("data", def, "data folder (bbolt file, outbox) [$PORTEVOIX_DATA]")
}

// fail prints an error for the user and returns exit code 1.
func fail(env *environment, format string, args ...any) int {
	fmt.Fprintf(env.stderr, "portevoix: "+format+"\n", args...)
	return 1
}
