package main

import (
	"bufio"
	"fmt"
	"strings"

	"portevoix/storage"
)

func userCommand(args []string, env *environment) int {
	const synopsis = "user add --email E --name NOM --role admin|editor|viewer --password-stdin [--data DOSSIER]"
	fs := newFlags("user add", synopsis, env)
	if len(args) == 0 || args[0] != "add" {
		return usageError(fs, env, "une seule sous-commande : user add")
	}
	data := dataFlag(fs, env)
	email := fs.String("email", "", "`ADRESSE` e-mail du compte (son identifiant de connexion)")
	name := fs.String("name", "", "`NOM` complet de la personne")
	role := fs.String("role", storage.RoleEditor, "`RÔLE` : admin, editor (rédaction) ou viewer (lecture)")
	fromStdin := fs.Bool("password-stdin", false, "lit le mot de passe sur la première ligne de l’entrée standard")
	if code, ok := parse(fs, args[1:], env); !ok {
		return code
	}
	if !*fromStdin {
		return fail(env, "--password-stdin est obligatoire : un mot de passe ne se donne jamais sur la ligne de commande")
	}
	password, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && password == "" {
		return fail(env, "aucun mot de passe sur l’entrée standard")
	}
	store, closeStore, code := openAccounts(env, *data, createBase)
	if store == nil {
		return code
	}
	defer closeStore()
	u, err := store.CreateUser("cli", storage.NewUser{Email: *email, Name: *name, Role: *role, Password: strings.TrimRight(password, "\r\n")})
	if err != nil {
		return fail(env, "%v", err)
	}
	fmt.Fprintf(env.stdout, "Compte %s (%s) créé, numéro %d.\n", u.Email, u.Role, u.ID)
	return 0
}

func tokenCommand(args []string, env *environment) int {
	fs := newFlags("token create", "token create --email E [--name LIBELLÉ] [--data DOSSIER]", env)
	if len(args) == 0 || args[0] != "create" {
		return usageError(fs, env, "une seule sous-commande : token create")
	}
	data := dataFlag(fs, env)
	email := fs.String("email", "", "`ADRESSE` e-mail du compte au nom duquel le jeton agit")
	name := fs.String("name", "cli", "`LIBELLÉ` pour reconnaître le jeton")
	if code, ok := parse(fs, args[1:], env); !ok {
		return code
	}
	store, closeStore, code := openAccounts(env, *data, existingBase)
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
