package main

import (
	"bufio"
	"fmt"
	"strings"

	"portevoix/storage"
)

func userCommand(args []string, env *environment) int {
	if len(args) == 0 || args[0] != "add" {
		return fail(env, "usage: portevoix user add --email E --name N --role admin|editor|viewer --password-stdin")
	}
	fs := newFlags("user add", "user add --email E --name N --role admin|editor|viewer --password-stdin", env)
	data := dataFlag(fs, env)
	email := fs.String("email", "", "the user's email address (login)")
	name := fs.String("name", "", "the user's full name")
	role := fs.String("role", storage.RoleEditor, "admin, editor or viewer")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if code, ok := parse(fs, args[1:]); !ok {
		return code
	}
	if !*fromStdin {
		return fail(env, "--password-stdin is required (passwords never go on the command line)")
	}
	password, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && password == "" {
		return fail(env, "no password on standard input")
	}
	store, closeStore, code := openAccounts(env, *data)
	if store == nil {
		return code
	}
	defer closeStore()
	u, err := store.CreateUser("cli", storage.NewUser{Email: *email, Name: *name, Role: *role, Password: strings.TrimRight(password, "\r\n")})
	if err != nil {
		return fail(env, "%v", err)
	}
	fmt.Fprintf(env.stdout, "User %s (%s) created with id %d.\n", u.Email, u.Role, u.ID)
	return 0
}

func tokenCommand(args []string, env *environment) int {
	if len(args) == 0 || args[0] != "create" {
		return fail(env, "usage: portevoix token create --email E [--name LABEL]")
	}
	fs := newFlags("token create", "token create --email E [--name LABEL]", env)
	data := dataFlag(fs, env)
	email := fs.String("email", "", "the account the token acts as")
	name := fs.String("name", "cli", "a label to recognise the token")
	if code, ok := parse(fs, args[1:]); !ok {
		return code
	}
	store, closeStore, code := openAccounts(env, *data)
	if store == nil {
		return code
	}
	defer closeStore()
	secret, _, err := store.CreateToken("cli", *email, *name)
	if err != nil {
		return fail(env, "%v", err)
	}
	fmt.Fprintln(env.stdout, secret)
	return 0
}
