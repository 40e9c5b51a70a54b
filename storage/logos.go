package storage

import (
	"bytes"
	"image"
	_ "image/jpeg" // register decoders for logo validation
	_ "image/png"

	bolt "go.etcd.io/bbolt"
)

// MaxLogoSize is the largest logo accepted.
const MaxLogoSize = 1 << 20

// SetPoleLogo validates a PNG or JPEG image and stores it as the pôle's logo.
// Returns EINVALID or ENOTFOUND.
func (s *Store) SetPoleLogo(actor string, poleID uint64, data []byte) (*Pole, error) {
	var p Problems
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case len(data) > MaxLogoSize:
		p.Add("logo", "image trop lourde (1 Mo au plus)")
	case err != nil || (format != "png" && format != "jpeg"):
		p.Add("logo", "image PNG ou JPEG attendue")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	pole := &Pole{}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, poleID, pole); err != nil {
			return err
		}
		pole.LogoType = "image/" + format
		pole.UpdatedAt = s.Now().UTC()
		if err := tx.Bucket([]byte("logos")).Put(itob(poleID), data); err != nil {
			return err
		}
		if err := put(tx, pole, pole.UpdatedAt, actor); err != nil {
			return err
		}
		return audit(tx, pole.UpdatedAt, actor, "logo", pole.Bucket(), poleID)
	})
	return pole, err
}

// PoleLogo returns the logo bytes and type, or ENOTFOUND when the pôle has none.
func (s *Store) PoleLogo(poleID uint64) ([]byte, string, error) {
	var data []byte
	pole := &Pole{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := load(tx, poleID, pole); err != nil {
			return err
		}
		if v := tx.Bucket([]byte("logos")).Get(itob(poleID)); v != nil {
			data = append([]byte(nil), v...)
			return nil
		}
		return Errorf(ENOTFOUND, "Ce pôle n’a pas de logo.")
	})
	return data, pole.LogoType, err
}
