package storage

import (
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
// press_officer attached to it), pôles by name. One scan of the contacts, in one
// transaction.
func (s *Store) PressOfficers() ([]PolePressOfficers, error) {
	var out []PolePressOfficers
	err := s.db.View(func(tx *bolt.Tx) error {
		byPole := map[uint64][]Contact{}
		err := tx.Bucket([]byte("contacts")).ForEach(func(_, data []byte) error {
			c := Contact{}
			if err := decodeRecord(data, &c); err != nil {
				return err
			}
			if c.Kind == KindPressOfficer && c.PoleID != 0 {
				byPole[c.PoleID] = append(byPole[c.PoleID], c)
			}
			return nil
		})
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

func byName(a, b Contact) int {
	return cmp.Or(strings.Compare(strings.ToLower(a.LastName), strings.ToLower(b.LastName)),
		strings.Compare(strings.ToLower(a.FirstName), strings.ToLower(b.FirstName)), cmp.Compare(a.ID, b.ID))
}
