package storage

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// PolePressOfficers is a pôle with its press officers, for the newsroom's press contacts.
type PolePressOfficers struct {
	Pole     Pole
	Officers []Contact // by last name, then first name
}

// PressOfficers lists every pôle with at least one press officer (a contact of kind
// press_officer attached to it), pôles by name, in one transaction. The public page
// /presse/contacts asks at every request, so it reads the compact contact_match records
// and decodes only the press officers: a base of 200,000 journalists is not 200,000
// JSON decodes per anonymous visit.
func (s *Store) PressOfficers() ([]PolePressOfficers, error) {
	var out []PolePressOfficers
	err := s.db.View(func(tx *bolt.Tx) error {
		byPole, err := officersByPole(tx)
		if err != nil {
			return err
		}
		for id, officers := range byPole {
			p := Pole{}
			if err := load(tx, id, &p); ErrorCode(err) == ENOTFOUND {
				continue // a pôle deleted since: its officers speak for nobody now
			} else if err != nil {
				return err
			}
			slices.SortFunc(officers, byName)
			out = append(out, PolePressOfficers{Pole: p, Officers: officers})
		}
		return nil
	})
	slices.SortFunc(out, func(a, b PolePressOfficers) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Pole.Name), strings.ToLower(b.Pole.Name)), cmp.Compare(a.Pole.ID, b.Pole.ID))
	})
	return out, err
}

// officersByPole is the press officers attached to a pôle, by pôle id.
func officersByPole(tx *bolt.Tx) (map[uint64][]Contact, error) {
	byPole := map[uint64][]Contact{}
	kind := []byte(KindPressOfficer)
	var m matchRecord
	err := index(tx, "contact_match").ForEach(func(k, data []byte) error {
		if got, ok := matchKind(data); ok && !bytes.Equal(got, kind) {
			return nil // a journalist, most of the base: skipped without decoding
		}
		if err := m.decode(data); err != nil {
			return err
		}
		c, err := m.contact(btoi(k))
		if err == nil && c.PoleID != 0 {
			byPole[c.PoleID] = append(byPole[c.PoleID], c)
		}
		return err
	})
	return byPole, err
}

func byName(a, b Contact) int {
	return cmp.Or(strings.Compare(strings.ToLower(a.LastName), strings.ToLower(b.LastName)),
		strings.Compare(strings.ToLower(a.FirstName), strings.ToLower(b.FirstName)), cmp.Compare(a.ID, b.ID))
}
