package storage

import (
	"bytes"
	"fmt"
	"image"
	"testing"

	"portevoix/storage/logotest"
)

// TestPeekReaderDecodesAsBytesReader checks that image.DecodeConfig reads a logo's header
// through peekReader exactly as through a bytes.Reader (which it wraps in a bufio.Reader),
// on every prefix of logos of each format: a cut file ends the same way.
func TestPeekReaderDecodesAsBytesReader(t *testing.T) {
	logos := map[string][]byte{
		"PNG":         logotest.PNG(t, logotest.Image(64, 32, true)),
		"JPEG":        logotest.JPEG(t, logotest.Image(64, 32, false)),
		"CMYK":        logotest.CMYK,
		"Progressive": logotest.Progressive,
		"Interlaced":  logotest.Interlaced(t, 40, 20),
		"Text":        []byte("pas une image"),
	}
	for name, data := range logos {
		for n := range len(data) + 1 {
			cfg, format, err := image.DecodeConfig(&peekReader{data[:n]})
			wantCfg, wantFormat, wantErr := image.DecodeConfig(bytes.NewReader(data[:n]))
			got, want := fmt.Sprint(cfg.Width, cfg.Height, format, err), fmt.Sprint(wantCfg.Width, wantCfg.Height, wantFormat, wantErr)
			if got != want {
				t.Fatalf("%s cut at %d bytes: %s, want %s", name, n, got, want)
			}
		}
	}
}
