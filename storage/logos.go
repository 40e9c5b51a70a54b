package storage

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/image/draw"
)

// MaxLogoSize is the largest logo file accepted.
const MaxLogoSize = 1 << 20

// MaxLogoPixels is the largest image, in pixels, decoded on upload: a 1 MB file can declare
// 16,000 × 16,000 pixels, which would take gigabytes to decode.
const MaxLogoPixels = 25_000_000

// MaxLogoSide is the longest side, in pixels, of a stored logo: enough for print at the
// size documents show it, small enough to embed in every PDF and e-mail.
const MaxLogoSide = 1200

// SetPoleLogo decodes a PNG or JPEG image and stores it as the pôle's logo, normalised
// (see NormaliseLogo). Returns EINVALID or ENOTFOUND.
func (s *Store) SetPoleLogo(actor string, poleID uint64, data []byte) (*Pole, error) {
	logo, err := NormaliseLogo(data)
	if err != nil {
		return nil, err
	}
	pole := &Pole{}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, poleID, pole); err != nil {
			return err
		}
		pole.LogoType = "image/png"
		now := s.Now().UTC()
		if err := tx.Bucket([]byte("logos")).Put(itob(poleID), logo); err != nil {
			return err
		}
		if err := put(tx, pole, now, actor); err != nil {
			return err
		}
		return audit(tx, now, actor, "logo", pole.Bucket(), poleID)
	})
	return pole, err
}

// NormaliseLogo decodes a PNG or JPEG image of at most MaxLogoPixels, checked from its
// header before decoding, and returns it as the one form renderers embed as is: an 8-bit
// PNG, RGB when opaque and RGBA otherwise, not interlaced, at most MaxLogoSide pixels on
// its longest side. PDF writers copy such a PNG's data without decoding it. A file that
// does not decode is an EINVALID error saying why, in French.
func NormaliseLogo(data []byte) ([]byte, error) {
	if err := checkLogoHeader(data); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, logoProblem("image illisible\u00A0: " + decodeReason(err, data))
	}
	var out bytes.Buffer
	if err := png.Encode(&out, fitLogo(img)); err != nil {
		return nil, fmt.Errorf("encode logo: %w", err)
	}
	return out.Bytes(), nil
}

// checkLogoHeader refuses, from the header alone, what is not a PNG or JPEG image of a
// decodable size.
func checkLogoHeader(data []byte) error {
	if len(data) > MaxLogoSize {
		return logoProblem("image trop lourde (1 Mo au plus)")
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil && logoFormat(data) != "":
		return logoProblem("image illisible\u00A0: " + decodeReason(err, data))
	case err != nil || (format != "png" && format != "jpeg"):
		return logoProblem("image PNG ou JPEG attendue")
	case int64(cfg.Width)*int64(cfg.Height) > MaxLogoPixels:
		return logoProblem(fmt.Sprintf("image trop grande (%s × %s pixels)\u00A0: 25 mégapixels au plus, "+
			"%s pixels de côté suffisent", groupDigits(cfg.Width), groupDigits(cfg.Height), groupDigits(MaxLogoSide)))
	}
	return nil
}

// groupDigits writes n with its digits grouped by three, French style: "16\u202F000".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "\u202F" + s[i:]
	}
	return s
}

func logoProblem(message string) error {
	var p Problems
	p.Add("logo", message)
	return p.Err()
}

// logoFormat recognises PNG and JPEG files by their first bytes, as image.Decode does.
func logoFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case bytes.HasPrefix(data, []byte("\xff\xd8")):
		return "jpeg"
	}
	return ""
}

// decodeReason says in French why a PNG or JPEG file did not decode. Go's decoders report
// a file cut short as a format error, so truncation is told from the file's end: every
// PNG ends with an IEND chunk and every JPEG with an EOI marker.
func decodeReason(err error, data []byte) string {
	var pngUnsupported png.UnsupportedError
	var jpegUnsupported jpeg.UnsupportedError
	switch {
	case errors.As(err, &pngUnsupported) || errors.As(err, &jpegUnsupported):
		return "cette variante de PNG ou de JPEG n’est pas prise en charge"
	case !bytes.HasSuffix(data, pngEnd) && !bytes.HasSuffix(bytes.TrimRight(data, "\x00"), jpegEnd):
		return "le fichier est tronqué, l’image s’arrête avant sa fin"
	default:
		return "les données de l’image sont corrompues"
	}
}

var (
	pngEnd  = []byte("\x00\x00\x00\x00IEND\xae\x42\x60\x82")
	jpegEnd = []byte("\xff\xd9")
)

// fitLogo copies img to 8-bit RGBA, scaled down with a Catmull-Rom filter so that its
// longest side is at most MaxLogoSide: *image.RGBA when opaque, which the PNG encoder
// writes as RGB, and *image.NRGBA otherwise, so that faint pixels keep their colour.
func fitLogo(img image.Image) draw.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if longest := max(w, h); longest > MaxLogoSide {
		w = max(1, (w*MaxLogoSide+longest/2)/longest)
		h = max(1, (h*MaxLogoSide+longest/2)/longest)
	}
	var out draw.Image = image.NewNRGBA(image.Rect(0, 0, w, h))
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		out = image.NewRGBA(out.Bounds())
	}
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(out, out.Bounds(), img, b, draw.Src, nil)
	}
	return out
}

// LogoHeader is what a renderer needs to know of a logo before embedding it.
type LogoHeader struct {
	Width, Height int
	Type          string // "image/png" or "image/jpeg"
}

// EmbeddableLogo reads the header of a stored logo and says whether renderers may embed it
// as is: a PNG in the form NormaliseLogo writes, or a JPEG stored before logos were
// normalised, at most MaxLogoSide pixels each way. Anything else (an older palette, 16-bit
// or interlaced PNG, a huge image, not an image) is to be shown by the pôle's name: decoding
// it on every render would let one logo stall every PDF.
func EmbeddableLogo(data []byte) (LogoHeader, bool) {
	cfg, format, err := image.DecodeConfig(&peekReader{data})
	h := LogoHeader{Width: cfg.Width, Height: cfg.Height, Type: "image/" + format}
	ok := err == nil && cfg.Width > 0 && cfg.Height > 0 &&
		cfg.Width <= MaxLogoSide && cfg.Height <= MaxLogoSide
	switch {
	case !ok:
		return h, false
	case format == "png":
		return h, plainPNG(data)
	default:
		return h, format == "jpeg"
	}
}

// peekReader reads a byte slice. image.DecodeConfig wraps a reader without a Peek method
// in a bufio.Reader, 4 KB allocated for each header read, and the PDF renderer reads each
// logo's header every time it draws it.
type peekReader struct{ b []byte }

func (r *peekReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

// Peek returns the next n bytes without consuming them, fewer with io.EOF at the end, as
// bufio.Reader.Peek does.
func (r *peekReader) Peek(n int) ([]byte, error) {
	if n > len(r.b) {
		return r.b, io.EOF
	}
	return r.b[:n], nil
}

// plainPNG says whether a PNG's IHDR (whose length DecodeConfig checked) declares 8-bit
// RGB or RGBA (colour types 2 and 6) without interlacing.
func plainPNG(data []byte) bool {
	const ihdr = 8 + 8 // signature, chunk length and type
	if len(data) < ihdr+13 || binary.BigEndian.Uint32(data[8:]) != 13 {
		return false
	}
	depth, colour, interlace := data[ihdr+8], data[ihdr+9], data[ihdr+12]
	return depth == 8 && (colour == 2 || colour == 6) && interlace == 0
}

// normaliseStoredLogos brings the logos stored before uploads were normalised to the stored
// form: the step to schema 4, since every upload is normalised from then on. A logo that
// decodes is normalised; one that does not (it failed every PDF) is removed, so the pôle
// is shown by its name. Both are audited.
func normaliseStoredLogos(tx *bolt.Tx, now time.Time) error {
	logos := tx.Bucket([]byte("logos"))
	normalised := map[uint64][]byte{} // nil for a logo to remove
	err := logos.ForEach(func(k, v []byte) error {
		if logoNormalised(v) {
			return nil
		}
		data, err := NormaliseLogo(v)
		if ErrorCode(err) == EINTERNAL {
			return err
		}
		normalised[btoi(k)] = data
		return nil
	})
	if err != nil {
		return err
	}
	for id, data := range normalised {
		if err := replaceLogo(tx, now, id, data); err != nil {
			return fmt.Errorf("logo of pôle %d: %w", id, err)
		}
	}
	return nil
}

// logoNormalised tells a logo in the stored form, as uploads are normalised.
func logoNormalised(logo []byte) bool {
	h, ok := EmbeddableLogo(logo)
	return ok && h.Type == "image/png"
}

// replaceLogo stores data as a pôle's logo, or removes the logo when data is nil.
func replaceLogo(tx *bolt.Tx, now time.Time, id uint64, data []byte) error {
	pole := &Pole{}
	if err := load(tx, id, pole); err != nil {
		return tx.Bucket([]byte("logos")).Delete(itob(id)) // the logo of a deleted pôle
	}
	action := "logo_normalised"
	pole.LogoType = "image/png"
	if data == nil {
		action, pole.LogoType = "logo_removed", ""
		if err := tx.Bucket([]byte("logos")).Delete(itob(id)); err != nil {
			return err
		}
	} else if err := tx.Bucket([]byte("logos")).Put(itob(id), data); err != nil {
		return err
	}
	if err := put(tx, pole, now, "system"); err != nil {
		return err
	}
	return audit(tx, now, "system", action, pole.Bucket(), id)
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
