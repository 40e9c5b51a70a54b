package main

import (
	"bytes"
	"io"
	"strconv"

	"portevoix/templates"
	"portevoix/templates/pdf"
)

func pdfCommand(args []string, env *environment) int {
	fs := newFlags("pdf", "pdf ID [-o FILE] [--data DIR]", env)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "write to FILE (default: SLUG.pdf)")
	if code, ok := parse(fs, reorder(args)); !ok {
		return code
	}
	id, err := strconv.ParseUint(fs.Arg(0), 10, 64)
	if fs.NArg() != 1 || err != nil {
		fs.Usage()
		return 2
	}
	store, code := openStore(env, *data)
	if store == nil {
		return code
	}
	bundle, err := store.CommuniqueBundle(id)
	store.Close() // rendering needs no database
	if err != nil {
		return fail(env, "%v", err)
	}
	doc, err := templates.Compose(templates.InputFromBundle(bundle, bundle.Communique.UpdatedAt))
	if err != nil {
		return fail(env, "%v", err)
	}
	renderer, err := pdf.New()
	if err != nil {
		return fail(env, "%v", err)
	}
	var buf bytes.Buffer
	if err := renderer.Render(doc, &buf); err != nil {
		return fail(env, "%v", err)
	}
	target := *out
	if target == "" {
		target = bundle.Communique.Slug + ".pdf"
	}
	if target == "-" {
		_, err = env.stdout.Write(buf.Bytes())
	} else {
		_, err = writeAtomically(target, 0o644, func(w io.Writer) (int64, error) { return buf.WriteTo(w) })
	}
	if err != nil {
		return fail(env, "%v", err)
	}
	return 0
}
