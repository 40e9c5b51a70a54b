// Package demo fills an empty store with demonstration data taken from the project's seed
// texts: the six pôles of the Pôles Santé en Réseau, their spokespeople and approved quotes,
// the measures and boilerplates of their May 2020 joint communiqué, its press officers,
// fictional journalists (example.org / example.com addresses only) grouped in regional lists,
// and three communiqués: the May 2020 release (published), the tribune of seed 000 (draft)
// and the network's reaction to the review of the sector's contract (seeds 003 and 004,
// published), which quotes two public statements and gives the sector's key figures.
package demo

import (
	"fmt"
	"time"

	"portevoix/storage"
	"portevoix/storage/region"
)

// actor is the name the audit log records for everything Load creates.
const actor = "demo"

// The regions the demo data uses, from the vocabulary, so that lists, contacts and pôles match.
const (
	araRegion       = region.AuvergneRhoneAlpes
	bretagneRegion  = region.Bretagne
	centreRegion    = region.CentreValDeLoire
	grandEstRegion  = region.GrandEst
	hdfRegion       = region.HautsDeFrance
	idfRegion       = region.IleDeFrance
	occitanieRegion = region.Occitanie
	pdlRegion       = region.PaysDeLaLoire
	pacaRegion      = region.ProvenceAlpesCoteDAzur
)

// Regions is the list of the regions covered by the six pôles, in the vocabulary's order
// (region.Names), one regional list each.
var Regions = []string{
	araRegion, bretagneRegion, centreRegion, grandEstRegion, hdfRegion,
	idfRegion, occitanieRegion, pdlRegion, pacaRegion,
}

// Summary counts the records Load created, for the command line to print.
type Summary struct {
	Poles         int
	People        int
	Quotes        int // all approved
	Statements    int // public statements of people outside the pôles
	Measures      int
	Boilerplates  int
	Journalists   int
	PressOfficers int
	Lists         int
	Communiques   int
	Published     int // communiqués published in the newsroom
}

// String says in French what was loaded.
func (s *Summary) String() string {
	published := "publiés"
	if s.Published < 2 {
		published = "publié"
	}
	return fmt.Sprintf("Données de démonstration chargées\u00a0: %d pôles, %d porte-parole, "+
		"%d citations approuvées, %d déclarations publiques, %d mesures, %d textes «\u202fÀ propos\u202f», %d journalistes, "+
		"%d attachés de presse, %d listes, %d communiqués dont %d %s.",
		s.Poles, s.People, s.Quotes, s.Statements, s.Measures, s.Boilerplates, s.Journalists, s.PressOfficers, s.Lists,
		s.Communiques, s.Published, published)
}

// Load fills an empty store with the demo data and stamps every record with now.
// It returns ECONFLICT, with a French message, when the base already holds pôles, so that
// demo data never mixes with real data. Records are created one by one: an error part-way
// (which the tests rule out for the data shipped here) leaves the records created so far.
func Load(s *storage.Store, now time.Time) (*Summary, error) {
	if err := ensureEmpty(s); err != nil {
		return nil, err
	}
	// A shallow copy with a fixed clock stamps the records without touching the caller's
	// clock, which a running server may be reading.
	fixed := *s
	fixed.Now = func() time.Time { return now }
	l := &loader{s: &fixed, poleIDs: map[string]uint64{}}
	steps := []func() error{l.poles, l.spokespeople, l.measures, l.boilerplates, l.pressOfficers, l.journalists, l.lists, l.communiques, l.review}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return &l.sum, nil
}

// ensureEmpty refuses a base that already holds at least one pôle.
func ensureEmpty(s *storage.Store) error {
	page, err := storage.Find[storage.Pole](s, storage.ListOptions{Limit: 1}, nil)
	if err != nil {
		return err
	}
	if len(page.Items) > 0 {
		return storage.Errorf(storage.ECONFLICT, "La base contient déjà des pôles : les données de démonstration ne se chargent que dans une base vide.")
	}
	return nil
}

// loader creates the records in order and remembers the ids later records refer to.
type loader struct {
	s       *storage.Store
	poleIDs map[string]uint64 // pôle name → id
	ids     createdIDs
	sum     Summary
}

// createdIDs are the ids the communiqués refer to, in creation order.
type createdIDs struct {
	poles, quotes, measures, boilerplates, pressOfficers []uint64
}

// create stores v, naming the record in the error since a failure here is a bug in the data.
func create[T any, P storage.RecordPtr[T]](l *loader, what string, v P) error {
	if err := storage.Create(l.s, actor, v); err != nil {
		return fmt.Errorf("demo %s: %w", what, err)
	}
	return nil
}
