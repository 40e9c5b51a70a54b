package main

import (
	"fmt"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
)

func demoCommand(args []string, env *environment) int {
	fs := newFlags("demo", "demo [--data DOSSIER]", env)
	data := dataFlag(fs, env)
	if code, ok := parse(fs, args, env); !ok {
		return code
	}
	store, code := openStore(env, *data, createBase)
	if store == nil {
		return code
	}
	defer store.Close()
	if err := loadDemo(store, env); err != nil {
		return fail(env, "%v", err)
	}
	return 0
}

// loadDemoIfEmpty loads the demo data unless the base already holds pôles.
func loadDemoIfEmpty(store *storage.Store, env *environment) error {
	page, err := storage.Find[storage.Pole](store, storage.ListOptions{Limit: 1}, nil)
	if err != nil || len(page.Items) > 0 {
		return err
	}
	return loadDemo(store, env)
}

func loadDemo(store *storage.Store, env *environment) error {
	sum, err := demo.Load(store, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, sum.String())
	return nil
}
