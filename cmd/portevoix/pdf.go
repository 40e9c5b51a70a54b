package main

import (
	"bytes"
	"io"
	"runtime/debug"
	"strconv"

	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/pdf"
)

func pdfCommand(args []string, env *environment) int {
	// The command allocates a few megabytes and exits: collecting them took a sixth of its
	// CPU time. The memory limit still bounds the heap, should the logos be huge.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(pdfMemoryLimit))
	fs := newFlags("pdf", "pdf ID [-o FICHIER] [--data DOSSIER]", env)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "écrit dans `FICHIER` (par défaut SLUG.pdf ; - pour la sortie standard)")
	if code, ok := parse(fs, reorder(fs, args), env); !ok {
		return code
	}
	switch fs.NArg() {
	case 0:
		return usageError(fs, env, "indiquez l’identifiant (ID) du communiqué, par exemple : portevoix pdf 1")
	case 1:
	default:
		return usageError(fs, env, "un seul identifiant de communiqué à la fois")
	}
	id, err := strconv.ParseUint(fs.Arg(0), 10, 64)
	if err != nil || id == 0 {
		return usageError(fs, env, "identifiant « %s » invalide : un nombre entier positif est attendu", fs.Arg(0))
	}
	store, err := storage.OpenReadOnly(*data, openTimeout)
	if err != nil {
		return fail(env, "%s", baseError(err))
	}
	bundle, err := store.CommuniqueBundle(id)
	store.Close() // rendering needs no database
	if err != nil {
		return fail(env, "%v", err)
	}
	var buf bytes.Buffer
	if err := render(bundle, &buf); err != nil {
		return fail(env, "impossible de produire le PDF : %v", err)
	}
	target := *out
	if target == "" {
		target = bundle.Communique.Slug + ".pdf"
	}
	if target == "-" {
		_, err = env.stdout.Write(buf.Bytes())
	} else {
		_, err = writeAtomically(target, 0o644, false, func(w io.Writer) (int64, error) { return buf.WriteTo(w) }, nil)
	}
	if err != nil {
		return fail(env, "%v", err)
	}
	return 0
}

// pdfMemoryLimit is the heap size at which the pdf command collects garbage after all.
const pdfMemoryLimit = 256 << 20

// render composes the communiqué's PDF from its records.
func render(bundle *storage.Bundle, w io.Writer) error {
	doc, err := templates.Compose(templates.InputFromBundle(bundle, bundle.Communique.UpdatedAt))
	if err != nil {
		return err
	}
	renderer, err := pdf.New()
	if err != nil {
		return err
	}
	return renderer.Render(doc, w)
}
