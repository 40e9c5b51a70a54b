package storage_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"portevoix/storage"
	"portevoix/storage/logotest"
)

// TestNormaliseLogoAccepts decodes every kind of PNG and JPEG people upload and checks the
// one form stored: an 8-bit RGB or RGBA PNG, not interlaced, at most 1,200 px a side, with
// the same pixels (give or take JPEG's losses).
func TestNormaliseLogoAccepts(t *testing.T) {
	tests := []struct {
		name          string
		data          []byte
		width, height int
		alpha         bool
		tolerance     int // per channel: JPEG is lossy
	}{
		{"Palette", logotest.Palette(t), 64, 32, true, -1},
		{"Gray", logotest.Gray(t), 64, 32, false, -1},
		{"Deep", logotest.Deep(t), 64, 32, false, 0},
		{"Alpha", logotest.PNG(t, logotest.Image(64, 32, true)), 64, 32, true, 0},
		{"Opaque", logotest.PNG(t, logotest.Image(64, 32, false)), 64, 32, false, 0},
		{"Interlaced", logotest.Interlaced(t, 61, 29), 61, 29, false, 0},
		{"Baseline", logotest.JPEG(t, logotest.Image(64, 32, false)), 64, 32, false, 24},
		{"Progressive", logotest.Progressive, 64, 32, false, 24},
		{"CMYK", logotest.CMYK, 64, 32, false, -1},
		{"Wide", logotest.PNG(t, logotest.Image(2400, 600, false)), 1200, 300, false, -1},
		{"Tall", logotest.JPEG(t, logotest.Image(50, 3000, false)), 20, 1200, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := storage.NormaliseLogo(tt.data)
			if err != nil {
				t.Fatalf("NormaliseLogo: %v", err)
			}
			img := mustNormalised(t, out, tt.alpha)
			if b := img.Bounds(); b.Dx() != tt.width || b.Dy() != tt.height {
				t.Fatalf("size %v, want %d × %d", b.Size(), tt.width, tt.height)
			}
			if tt.tolerance >= 0 {
				checkGradient(t, img, tt.alpha, tt.tolerance)
			}
		})
	}
}

// mustNormalised checks the stored form from the PNG header and decodes it.
func mustNormalised(t *testing.T, data []byte, alpha bool) image.Image {
	t.Helper()
	h, ok := storage.EmbeddableLogo(data)
	if !ok || h.Type != "image/png" {
		t.Fatalf("stored logo not embeddable as is: %+v", h)
	}
	wantType := byte(2) // RGB
	if alpha {
		wantType = 6
	}
	if depth, colourType := data[24], data[25]; depth != 8 || colourType != wantType {
		t.Errorf("depth %d, colour type %d; want 8, %d", depth, colourType, wantType)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// checkGradient compares img with logotest's gradient, pixel by pixel.
func checkGradient(t *testing.T, img image.Image, alpha bool, tolerance int) {
	t.Helper()
	want := logotest.Image(img.Bounds().Dx(), img.Bounds().Dy(), alpha)
	for y := range want.Bounds().Dy() {
		for x := range want.Bounds().Dx() {
			got := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if w := want.NRGBAAt(x, y); !near(got, w, tolerance) {
				t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, got, w)
			}
		}
	}
}

func near(a, b color.NRGBA, tolerance int) bool {
	if a.A != b.A {
		return false
	}
	if a.A == 0 {
		return true
	}
	d := func(x, y uint8) bool { return max(int(x)-int(y), int(y)-int(x)) <= tolerance+1 }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// TestNormaliseLogoRefuses refuses, with a French reason, what would not decode or would
// decode too big: the bomb from its header alone.
func TestNormaliseLogoRefuses(t *testing.T) {
	whole := logotest.PNG(t, logotest.Image(64, 32, false))
	jpg := logotest.JPEG(t, logotest.Image(64, 32, false))
	tests := []struct {
		name, data, want string
	}{
		{"Bomb", string(logotest.Bomb(t, 16000)), "trop grande (16\u202F000 × 16\u202F000 pixels)\u00A0: 25 mégapixels au plus, 1\u202F200 pixels de côté suffisent"},
		{"HeaderOnly", string(logotest.HeaderOnly(t)), "tronqué"},
		{"TruncatedPNG", string(whole[:len(whole)/2]), "tronqué"},
		{"TruncatedJPEG", string(jpg[:len(jpg)/2]), "tronqué"},
		{"Garbage", string(logotest.Garbage(t)), "corrompues"},
		{"Text", "pas une image", "PNG ou JPEG attendue"},
		{"GIF", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", "PNG ou JPEG attendue"},
		{"Heavy", string(whole) + strings.Repeat("\x00", storage.MaxLogoSize), "1 Mo au plus"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := storage.NormaliseLogo([]byte(tt.data))
			wantCode(t, err, storage.EINVALID)
			if out != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("NormaliseLogo = %d bytes, %v; want %q", len(out), err, tt.want)
			}
		})
	}
}

// TestSetPoleLogoStoresNormalised stores the normalised copy, not the upload.
func TestSetPoleLogoStoresNormalised(t *testing.T) {
	s := MustOpen(t)
	pole := MustCreate(t, s, &storage.Pole{Name: "Eurobiomed"})
	if _, err := s.SetPoleLogo("test", pole.ID, logotest.Interlaced(t, 40, 20)); err != nil {
		t.Fatal(err)
	}
	data, typ, err := s.PoleLogo(pole.ID)
	if err != nil || typ != "image/png" {
		t.Fatalf("PoleLogo: %q, %v", typ, err)
	}
	if data[28] != 0 {
		t.Error("stored logo still interlaced")
	}
	_, err = s.SetPoleLogo("test", pole.ID, logotest.Garbage(t))
	wantCode(t, err, storage.EINVALID)
	if again, _, _ := s.PoleLogo(pole.ID); !bytes.Equal(again, data) {
		t.Error("a refused upload replaced the logo")
	}
}

// TestEmbeddableLogo accepts only what renderers can embed without decoding.
func TestEmbeddableLogo(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"RGB", logotest.PNG(t, logotest.Image(64, 32, false)), true},
		{"RGBA", logotest.PNG(t, logotest.Image(64, 32, true)), true},
		{"JPEG", logotest.JPEG(t, logotest.Image(64, 32, false)), true},
		{"CMYK", logotest.CMYK, true},
		{"Palette", logotest.Palette(t), false},
		{"Gray", logotest.Gray(t), false},
		{"Deep", logotest.Deep(t), false},
		{"Interlaced", logotest.Interlaced(t, 40, 20), false},
		{"Large", logotest.PNG(t, logotest.Image(1201, 10, false)), false},
		{"Bomb", logotest.Bomb(t, 2000), false},
		{"Text", []byte("pas une image"), false},
		{"Empty", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := storage.EmbeddableLogo(tt.data); ok != tt.ok {
				t.Errorf("EmbeddableLogo = %v, want %v", ok, tt.ok)
			}
		})
	}
}

// TestOpenNormalisesStoredLogos normalises, at open, the logos a base stored before uploads
// were: a palette PNG and a JPEG become RGB(A) PNGs, and a bomb, which never rendered, is
// removed so that documents show the pôle's name.
func TestOpenNormalisesStoredLogos(t *testing.T) {
	dir := t.TempDir()
	s, err := storage.Open(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var ids [3]uint64
	for i := range ids {
		ids[i] = MustCreate(t, s, &storage.Pole{Name: fmt.Sprintf("Pôle %d", i)}).ID
	}
	s.Close()
	legacy := [][]byte{logotest.Palette(t), logotest.JPEG(t, logotest.Image(64, 32, false)), logotest.Bomb(t, 16000)}
	mustPutRaw(t, filepath.Join(dir, "portevoix.db"), ids[:], legacy)

	s = mustOpenDir(t, dir)
	for i, alpha := range []bool{true, false} {
		data, typ, err := s.PoleLogo(ids[i])
		if err != nil || typ != "image/png" {
			t.Fatalf("logo %d: %q, %v", i, typ, err)
		}
		mustNormalised(t, data, alpha)
	}
	_, _, err = s.PoleLogo(ids[2])
	wantCode(t, err, storage.ENOTFOUND)
	if p, _ := storage.Get[storage.Pole](s, ids[2]); p.LogoType != "" {
		t.Errorf("removed logo still typed %q", p.LogoType)
	}
}

// mustPutRaw writes logos into a closed base's logos bucket, as an older version (schema 3)
// stored them.
func mustPutRaw(t *testing.T, path string, ids []uint64, logos [][]byte) {
	t.Helper()
	mustUpdateFile(t, path, func(tx *bolt.Tx) error {
		if err := setSchema(tx, 3); err != nil {
			return err
		}
		for i, id := range ids {
			if err := tx.Bucket([]byte("logos")).Put(binary.BigEndian.AppendUint64(nil, id), logos[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
