package templates_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// bodyInput is a bare communiqué whose body uses every construct a body may hold.
func bodyInput(body string) templates.Input {
	in := templatestest.Seed001(seedNow)
	in.Communique.Title, in.Communique.Lede, in.Communique.Body = "Titre", "", body
	in.Communique.EmbargoUntil = nil
	in.Poles, in.Measures, in.Quotes, in.Boilerplates, in.Contacts = nil, nil, nil, nil, nil
	return in
}

func TestRenderTextBody(t *testing.T) {
	body := "Voir [le site](https://example.org/a), [ecrire@example.org](mailto:ecrire@example.org), " +
		"<https://example.org/b> et `code brut`.\n\n" +
		"## Section\n\n### Sous-section\n\n" +
		"3. trois\n4. quatre\n   - imbriqué\n\n" +
		"---\n\n*un* **deux**\\\nligne\n\n```\nx  =  1\n```\n"
	doc := MustCompose(t, bodyInput(body))
	want := `COMMUNIQUÉ DE PRESSE
Paris, le 12` + "\u00a0" + `mai 2020

TITRE
=====

Voir le site <https://example.org/a>, ecrire@example.org,
https://example.org/b et code brut.

Section
-------

Sous-section

3. trois
4. quatre
   – imbriqué

un deux
ligne

    x  =  1
`
	if got := templates.RenderText(doc); got != want {
		t.Errorf("RenderText =\n%s\nwant\n%s", got, want)
	}
}

func TestRenderTextWraps(t *testing.T) {
	long := strings.Repeat("x", 80)
	nbsp := strings.Repeat("mot ", 16) + "dernier\u00a0: fin"
	doc := MustCompose(t, bodyInput(long+" court\n\n"+nbsp))
	text := templates.RenderText(doc)
	if !strings.Contains(text, "\n"+long+"\ncourt\n") {
		t.Errorf("a word longer than a line must stay whole on its own line:\n%s", text)
	}
	if !strings.Contains(text, "\ndernier\u00a0: fin\n") {
		t.Errorf("wrapped at a no-break space:\n%s", text)
	}
	seed := templates.RenderText(MustCompose(t, templatestest.Seed001(seedNow)))
	for i, line := range strings.Split(seed, "\n") {
		if n := utf8.RuneCountInString(line); n > templates.TextWidth {
			t.Errorf("seed 001 line %d has %d columns: %q", i+1, n, line)
		}
	}
}
