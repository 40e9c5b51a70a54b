package templates

import (
	"time"

	"portevoix/storage"
)

// Input is everything Compose needs to lay out one communiqué. The caller loads the
// records; Compose does no I/O.
type Input struct {
	Communique   storage.Communique
	Poles        []storage.Pole        // co-signing pôles, in Communique.PoleIDs order
	Measures     []storage.Measure     // in Communique.MeasureIDs order
	Quotes       []QuoteWithSpeaker    // in Communique.QuoteIDs order
	Boilerplates []storage.Boilerplate // in Communique.BoilerplateIDs order
	Contacts     []ContactWithPole     // in Communique.ContactIDs order
	Logos        map[uint64]Logo       // by pôle id; a pôle without a logo is shown by name
	// Now is the document's creation time, and its date when Communique.Date is empty.
	Now time.Time
}

// QuoteWithSpeaker is a quote with the person who said it and that person's pôle.
type QuoteWithSpeaker = storage.SpokenQuote

// ContactWithPole is a press contact with the pôle it speaks for; Pole is the zero value
// for a contact without a pôle.
type ContactWithPole = storage.PoleContact

// Logo is an uploaded pôle logo ("image/png" or "image/jpeg").
type Logo = storage.Logo

// InputFromBundle is the composition input for a communiqué loaded with its records.
func InputFromBundle(b *storage.Bundle, now time.Time) Input {
	return Input{Communique: b.Communique, Poles: b.Poles, Measures: b.Measures, Quotes: b.Quotes,
		Boilerplates: b.Boilerplates, Contacts: b.Contacts, Logos: b.Logos, Now: now}
}
