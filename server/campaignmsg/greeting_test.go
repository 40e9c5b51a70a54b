package campaignmsg

import (
	"testing"

	"portevoix/storage"
)

// TestGreetingOfAPitchThatGreets: a pitch that opens with its own greeting is not greeted
// again; any other keeps the campaign's choice.
func TestGreetingOfAPitchThatGreets(t *testing.T) {
	for pitch, want := range map[string]string{
		"Bonjour, voici notre communiqué.":          storage.GreetingNone,
		"Madame, Monsieur, voici notre communiqué.": storage.GreetingNone,
		"Chère consœur, cher confrère,":             storage.GreetingNone,
		"  bonjour à toutes et à tous":              storage.GreetingNone,
		"Bonjour\u202f! Voici notre communiqué.":    storage.GreetingNone,
		"Salut\u00a0: voici notre communiqué.":      storage.GreetingNone,
		"Voici notre communiqué.":                   storage.GreetingFormal,
		"":                                          storage.GreetingFormal,
		"Bonjourno n’est pas une formule":           storage.GreetingFormal,
	} {
		if got := greetingOf(&storage.Campaign{Pitch: pitch, Greeting: storage.GreetingFormal}); got != want {
			t.Errorf("%q: %q, want %q", pitch, got, want)
		}
	}
}
