package pdf

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"image"
	"image/draw"
	"image/png"
	"strconv"
	"sync"
)

// maxCachedLogos bounds the logo cache: a few communiqués' worth of co-signers.
const maxCachedLogos = 64

// logoCache keeps each logo with transparency flattened on white. gopdf copies the data of
// an 8-bit RGB PNG into the PDF as is, but inflates and deflates an RGBA one on every render
// to split off its alpha channel: about 2 ms for a 600 × 240 logo, against a render of
// 2 ms. Pages are white, so the flattened logo looks the same.
type logoCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	flat map[uint64][]byte
}

func newLogoCache() logoCache {
	return logoCache{seed: maphash.MakeSeed()}
}

// opaque returns data, a logo storage.EmbeddableLogo accepts, or its copy flattened on
// white when it is an RGBA PNG.
func (c *logoCache) opaque(data []byte) ([]byte, error) {
	const colourType = 8 + 8 + 9 // signature, IHDR length and type, width, height, depth
	if len(data) <= colourType || data[colourType] != 6 || !bytes.HasPrefix(data, []byte("\x89PNG")) {
		return data, nil
	}
	key := maphash.Bytes(c.seed, data)
	c.mu.Lock()
	flat, ok := c.flat[key]
	c.mu.Unlock()
	if ok {
		return flat, nil
	}
	flat, err := flatten(data)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.flat == nil || len(c.flat) >= maxCachedLogos {
		c.flat = make(map[uint64][]byte) // simple, and an entry is cheap to rebuild
	}
	c.flat[key] = flat
	return flat, nil
}

// id names a logo by a 64-bit hash of its bytes, for gopdf (see logoHolder): two of a
// document's dozen logos share a name with a probability of about 10⁻¹⁷.
func (c *logoCache) id(data []byte) string {
	return strconv.FormatUint(maphash.Bytes(c.seed, data), 36)
}

// flatten draws a PNG over white and encodes the result as an RGB PNG.
func flatten(data []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("flatten logo: %w", err)
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, out); err != nil {
		return nil, fmt.Errorf("flatten logo: %w", err)
	}
	return buf.Bytes(), nil
}
