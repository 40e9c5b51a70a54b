package templates_test

import (
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/templatestest"
)

// ministerStatement is a public statement of seed 003, with its source.
func ministerStatement() templates.QuoteWithSpeaker {
	return templates.QuoteWithSpeaker{Quote: storage.Quote{Meta: storage.Meta{ID: 90}, Kind: storage.QuoteStatement,
		Text:    "Je salue à cet égard le lancement de la mission de préfiguration de l'alliance pour la bioproduction",
		Speaker: "Agnès Pannier-Runacher", SpeakerTitle: "ministre déléguée chargée de l'Industrie",
		Source: "bilan du Contrat stratégique de filière", Date: "2020-10-07", SourceURL: "https://www.example.org/bilan-csf?id=(3)"}}
}

// A public statement is shown as a quotation of its source in every rendering: who said
// it (« d’ » before a vowel), where, when and the link; it signs nothing.
func TestStatementAttribution(t *testing.T) {
	in := templatestest.Seed001(seedNow)
	in.Quotes = []templates.QuoteWithSpeaker{ministerStatement(), in.Quotes[0]}
	doc := MustCompose(t, in)
	src := string(doc.Source)
	wantMD := "> «\u202fJe salue à cet égard le lancement de la mission de préfiguration de l’alliance pour la bioproduction\u202f»\n>\n" +
		"> Déclaration d’**Agnès Pannier-Runacher**, ministre déléguée chargée de l’Industrie, bilan du Contrat stratégique de filière, " +
		"le 7\u00a0octobre 2020, [https://www.example.org/bilan-csf?id=%283%29](https://www.example.org/bilan-csf?id=%283%29)\n"
	if !strings.Contains(src, wantMD) {
		t.Fatalf("Markdown lacks the statement with its source:\n%s", src)
	}
	if !strings.Contains(src, "> **"+in.Quotes[1].Person.Name+"**") {
		t.Error("a spokesperson's quote keeps its speaker's signature")
	}
	html := string(templates.RenderHTML(doc))
	if !strings.Contains(html, `Déclaration d’<strong>Agnès Pannier-Runacher</strong>, ministre déléguée`) ||
		!strings.Contains(html, `<a href="https://www.example.org/bilan-csf?id=%283%29">https://www.example.org/bilan-csf?id=%283%29</a>`) {
		t.Errorf("HTML lacks the attribution and the link:\n%s", html)
	}
	// Lines joined back; strings.Fields would also split at the no-break spaces.
	text := strings.Join(strings.FieldsFunc(templates.RenderText(doc), func(r rune) bool { return r == ' ' || r == '\n' }), " ")
	if !strings.Contains(text, "Déclaration d’Agnès Pannier-Runacher, ministre déléguée chargée de l’Industrie, bilan du Contrat stratégique de filière, le 7\u00a0octobre 2020, https://www.example.org/bilan-csf?id=%283%29 «") {
		t.Errorf("text lacks the attribution:\n%s", text)
	}

	in.Communique.Template = "tribune"
	if doc := MustCompose(t, in); strings.Contains(string(doc.Source), "Pannier-Runacher") {
		t.Errorf("the author of a statement does not sign the pôles' tribune:\n%s", doc.Source)
	}
}
