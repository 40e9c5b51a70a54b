package storage

import "time"

// recordCreation fills an empty source with who entered the contact and when, so that
// the GDPR footer of every message can say where the address came from (Art. 14).
// Imports set the file's name instead (contactfile.Import).
func (v *Contact) recordCreation(actor string, at time.Time) {
	if v.Source == "" {
		v.Source = "saisie dans Porte-Voix par " + actor + " le " + at.Format("02/01/2006")
	}
}
