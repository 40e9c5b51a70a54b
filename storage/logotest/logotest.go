// Package logotest makes, for tests, the kinds of image people upload as a pôle's logo:
// every PNG colour type Go writes, an interlaced PNG (written here, as Go's encoder cannot),
// baseline, progressive and CMYK JPEGs (the last two from testdata, made with libjpeg by
// testdata/make_jpegs.c), damaged files and a decompression bomb.
package logotest

import (
	"bytes"
	"compress/zlib"
	_ "embed"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Progressive is a 64 × 32 progressive YCbCr JPEG.
//
//go:embed testdata/progressive.jpg
var Progressive []byte

// CMYK is a 64 × 32 baseline CMYK JPEG with an Adobe marker.
//
//go:embed testdata/cmyk.jpg
var CMYK []byte

// Colour is the colour of pixel (x, y) in every generated image: a gradient, so that
// scaling and conversions have something to get wrong.
func Colour(x, y int) color.NRGBA {
	return color.NRGBA{R: uint8(x * 4), G: uint8(y * 8), B: uint8(255 - x*4), A: 255}
}

// Image is a w × h gradient; with alpha, its right half fades out.
func Image(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := Colour(x, y)
			if alpha && x >= w/2 {
				c.A = uint8(255 * (w - x) / (w - w/2))
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// PNG encodes img with Go's encoder, which picks the colour type from the image's type.
func PNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// JPEG encodes img as a baseline JPEG.
func JPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// Palette is a 64 × 32 PNG-8 (colour type 3).
func Palette(tb testing.TB) []byte {
	pal := color.Palette{color.White, color.Black, color.NRGBA{0x1f, 0x5f, 0x9f, 0xff}, color.NRGBA{0xc0, 0x39, 0x2b, 0x80}}
	img := image.NewPaletted(image.Rect(0, 0, 64, 32), pal)
	for y := range 32 {
		for x := range 64 {
			img.SetColorIndex(x, y, uint8((x/16+y/8)%len(pal)))
		}
	}
	return PNG(tb, img)
}

// Gray is a 64 × 32 8-bit grey PNG (colour type 0).
func Gray(tb testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 32))
	for y := range 32 {
		for x := range 64 {
			img.SetGray(x, y, color.Gray{Y: uint8(x*4 + y)})
		}
	}
	return PNG(tb, img)
}

// Deep is a 64 × 32 16-bit RGBA PNG.
func Deep(tb testing.TB) []byte {
	img := image.NewNRGBA64(image.Rect(0, 0, 64, 32))
	for y := range 32 {
		for x := range 64 {
			c := Colour(x, y)
			img.SetNRGBA64(x, y, color.NRGBA64{R: uint16(c.R) * 257, G: uint16(c.G) * 257, B: uint16(c.B) * 257, A: 0xffff})
		}
	}
	return PNG(tb, img)
}

// Interlaced is a w × h 8-bit RGB PNG written with Adam7 interlacing.
func Interlaced(tb testing.TB, w, h int) []byte {
	tb.Helper()
	var raw bytes.Buffer
	for _, p := range adam7 {
		for y := p.y; y < h; y += p.dy {
			if p.x >= w {
				break // an empty pass has no rows at all
			}
			raw.WriteByte(0) // filter: none
			for x := p.x; x < w; x += p.dx {
				c := Colour(x, y)
				raw.Write([]byte{c.R, c.G, c.B})
			}
		}
	}
	return pngFile(tb, w, h, 8, 2, 1, raw.Bytes())
}

var adam7 = []struct{ x, y, dx, dy int }{
	{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
}

// Bomb is a small PNG that declares side × side 1-bit grey pixels, all black: about 30 KB
// for 16000 × 16000, which a decoder would expand to 256 MB of 8-bit grey.
func Bomb(tb testing.TB, side int) []byte {
	tb.Helper()
	row := make([]byte, 1+(side+7)/8) // filter byte then zero bits
	var raw bytes.Buffer
	for range side {
		raw.Write(row)
	}
	return pngFile(tb, side, side, 1, 0, 0, raw.Bytes())
}

// HeaderOnly is a PNG cut right after its IHDR chunk: its header reads, its pixels do not.
func HeaderOnly(tb testing.TB) []byte {
	return PNG(tb, Image(64, 32, false))[:8+25]
}

// Garbage is a well-formed PNG file, header, chunks and checksums, whose pixel data is
// not compressed pixels but text.
func Garbage(tb testing.TB) []byte {
	out := chunk(HeaderOnly(tb), "IDAT", bytes.Repeat([]byte("pas une image "), 40))
	return chunk(out, "IEND", nil)
}

// pngFile writes a PNG of one IDAT chunk holding the deflated filtered rows raw.
func pngFile(tb testing.TB, w, h int, depth, colourType, interlace byte, raw []byte) []byte {
	tb.Helper()
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression) // a valid constant level
	if _, err := zw.Write(raw); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colourType, 0, 0, interlace)
	out = chunk(out, "IHDR", ihdr)
	out = chunk(out, "IDAT", z.Bytes())
	return chunk(out, "IEND", nil)
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}
