package templates

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/yuin/goldmark/ast"

	"portevoix/storage"
	"portevoix/templates/typo"
)

// DefaultTemplate is used when a communiqué names no template.
const DefaultTemplate = "mesures"

const templateSuffix = ".md.tmpl"

// sectionsFile holds the sections every template shares; it is not a template itself.
const sectionsFile = "communique/sections.tmpl"

// Names lists the communiqué templates, sorted: one per file communique/NAME.md.tmpl.
func Names() []string {
	entries, _ := fs.ReadDir(communiqueFiles, "communique") // embedded: cannot fail
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), templateSuffix); ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

// parsedTemplates parses every embedded template once; each file is its own set because
// each defines its own "kind".
var parsedTemplates = sync.OnceValues(func() (map[string]*template.Template, error) {
	sets := make(map[string]*template.Template)
	for _, name := range Names() {
		file := path.Join("communique", name+templateSuffix)
		t, err := template.New(name+templateSuffix).Funcs(templateFuncs).ParseFS(communiqueFiles, file, sectionsFile)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		sets[name] = t
	}
	return sets, nil
})

// Compose lays out a communiqué with the template its Template field names (or
// DefaultTemplate): it renders the template into Markdown, with French typography applied
// to every user string before it is escaped, parses that Markdown and fills a Document.
// It returns an EINVALID *storage.Error on field "template" for an unknown template and
// on field "date" for a malformed date; any other error is internal.
func Compose(in Input) (*Document, error) {
	t, err := lookup(in.Communique.Template)
	if err != nil {
		return nil, err
	}
	day, err := communiqueDay(in.Communique.Date, in.Now)
	if err != nil {
		return nil, err
	}
	source, kind, err := execute(t, newView(in))
	if err != nil {
		return nil, err
	}
	return newDocument(in, day, kind, source), nil
}

// lookup returns the parsed template called name, or DefaultTemplate's when name is "".
func lookup(name string) (*template.Template, error) {
	if name == "" {
		name = DefaultTemplate
	}
	sets, err := parsedTemplates()
	if err != nil {
		return nil, err
	}
	t, ok := sets[name]
	if !ok {
		return nil, unknownTemplate(name)
	}
	return t, nil
}

// newDocument fills a Document from the composed Markdown and the header facts.
func newDocument(in Input, day time.Time, kind string, source []byte) *Document {
	c := in.Communique
	doc := &Document{
		Kind:     kind,
		Title:    typo.Text(c.Title),
		Signers:  signers(in),
		Dateline: typo.Dateline(c.Place, day),
		Created:  in.Now,
		Source:   source,
		Root:     parseMarkdown(source),
	}
	demoteHeadings(doc.Root)
	if c.EmbargoUntil != nil {
		doc.Embargo = typo.Embargo(*c.EmbargoUntil)
	}
	doc.Author = signerNames(doc.Signers)
	doc.Subject = subject(c, doc)
	return doc
}

func unknownTemplate(name string) error {
	var p storage.Problems
	p.Add("template", fmt.Sprintf("modèle inconnu «\u202F%s\u202F»\u202F; modèles disponibles\u00A0: %s",
		name, strings.Join(Names(), ", ")))
	return p.Err()
}

// communiqueDay parses the communiqué's YYYY-MM-DD date as a Paris day, or takes now.
func communiqueDay(date string, now time.Time) (time.Time, error) {
	if date == "" {
		return now, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, date, typo.Paris())
	if err != nil {
		var p storage.Problems
		p.Add("date", "date invalide, attendue au format AAAA-MM-JJ")
		return time.Time{}, p.Err()
	}
	return day, nil
}

// execute renders the Markdown and the kind the template declares.
func execute(t *template.Template, v view) (source []byte, kind string, err error) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "kind", nil); err != nil {
		return nil, "", fmt.Errorf("template %s: kind: %w", t.Name(), err)
	}
	kind = strings.TrimSpace(buf.String())
	buf.Reset()
	if err := t.Execute(&buf, v); err != nil {
		return nil, "", fmt.Errorf("template %s: %w", t.Name(), err)
	}
	return buf.Bytes(), kind, nil
}

func signers(in Input) []Signer {
	out := make([]Signer, len(in.Poles))
	for i, p := range in.Poles {
		out[i] = Signer{Name: typo.Text(p.Name), Logo: in.Logos[p.ID].Data}
	}
	return out
}

func signerNames(signers []Signer) string {
	names := make([]string, len(signers))
	for i, s := range signers {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// subject is the PDF's one-line subject: the subtitle, else the kind and dateline.
func subject(c storage.Communique, doc *Document) string {
	if s := typo.Text(c.Subtitle); s != "" {
		return s
	}
	kind := []rune(strings.ToLower(doc.Kind))
	if len(kind) == 0 {
		return doc.Dateline
	}
	return strings.ToUpper(string(kind[:1])) + string(kind[1:]) + " – " + doc.Dateline
}

// demoteHeadings makes every level-1 heading but the first (the title) a level-2 one, so
// that a "# Heading" typed in the body never competes with the title, as the Markdown
// contract wants one level-1 heading.
func demoteHeadings(root ast.Node) {
	title := true
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			if !title {
				h.Level = 2
			}
			title = false
		}
	}
}
