package pdf

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"
)

// embeddedFont is one face's subset for one glyph set, as the parts of its PDF objects that
// do not depend on object numbers. Building it (subsetting and deflating the font program)
// costs more than the rest of a render, so the Renderer caches it by glyph set.
type embeddedFont struct {
	name      string // "ABCDEF+LiberationSans"
	widths    []byte // the CIDFont's /W array
	program   []byte // the FontFile2 stream object's body
	toUnicode []byte // the ToUnicode CMap stream object's body
}

// fontKey identifies a face's glyph set.
type fontKey struct {
	st    style
	bits  [widthTableSize / 64]uint64
	extra string
}

// maxCachedFonts bounds the font cache: a few hundred KB at most.
const maxCachedFonts = 64

// fontCache keeps the embedded fonts of recent glyph sets. The same communiqué is rendered
// again and again (preview, download, each send), and an edit rarely adds a glyph.
type fontCache struct {
	mu    sync.Mutex
	fonts map[fontKey]*embeddedFont
}

func (c *fontCache) get(k *fontKey) *embeddedFont {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fonts[*k]
}

// put stores f, first emptying a full cache: simple, and an entry is cheap to rebuild.
func (c *fontCache) put(k *fontKey, f *embeddedFont) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fonts == nil || len(c.fonts) >= maxCachedFonts {
		c.fonts = make(map[fontKey]*embeddedFont)
	}
	c.fonts[*k] = f
}

// embeddedFonts returns the embedded font of each style drawn (nil for the others), from
// the cache or built with b's compressor.
func (r *Renderer) embeddedFonts(sets *[styleCount]glyphSet, b *renderBuffers) ([styleCount]*embeddedFont, error) {
	var fonts [styleCount]*embeddedFont
	for st := range styleCount {
		set := &sets[st]
		if !set.used {
			continue
		}
		key := &fontKey{st: st, bits: set.bits, extra: string(set.extra)}
		if fonts[st] = r.fonts.get(key); fonts[st] != nil {
			continue
		}
		f, err := r.faces[st].embed(st, set, b)
		if err != nil {
			return fonts, fmt.Errorf("embed %s: %w", fontNames[st], err)
		}
		r.fonts.put(key, f)
		fonts[st] = f
	}
	return fonts, nil
}

// cidMapping is a glyph drawn and the character it shows.
type cidMapping struct {
	gid uint16
	r   rune
}

func (f *face) embed(st style, set *glyphSet, b *renderBuffers) (*embeddedFont, error) {
	var maps []cidMapping
	for _, r := range set.runes() {
		maps = append(maps, cidMapping{f.gid(r), r})
	}
	// One entry per glyph, with the first character drawn with it.
	slices.SortStableFunc(maps, func(a, b cidMapping) int { return cmp.Compare(a.gid, b.gid) })
	maps = slices.CompactFunc(maps, func(a, b cidMapping) bool { return a.gid == b.gid })
	gids := make([]uint16, len(maps))
	for i, m := range maps {
		gids[i] = m.gid
	}
	program, err := subsetProgram(f, gids)
	if err != nil {
		return nil, err
	}
	tag := set.tag(st)
	e := &embeddedFont{name: string(tag[:]) + "+" + fontNames[st], widths: f.widthsArray(maps)}
	if e.program, err = b.streamObject(program, "/Length1 "+strconv.Itoa(len(program))+"\n"); err != nil {
		return nil, err
	}
	if e.toUnicode, err = b.streamObject(toUnicodeCMap(maps), ""); err != nil {
		return nil, err
	}
	return e, nil
}

// widthsArray is the /W array: each glyph's advance, in 1/1000 em.
func (f *face) widthsArray(maps []cidMapping) []byte {
	out := []byte("[")
	for _, m := range maps {
		out = strconv.AppendUint(out, uint64(m.gid), 10)
		out = append(out, " ["...)
		out = strconv.AppendUint(out, uint64(f.advances[m.gid]), 10)
		out = append(out, "] "...)
	}
	return append(out, ']')
}

// toUnicodeCMap maps each glyph back to its character, for text extraction and search.
func toUnicodeCMap(maps []cidMapping) []byte {
	out := []byte("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n")
	for len(maps) > 0 {
		n := min(len(maps), 100) // the most a bfchar block may hold
		out = strconv.AppendInt(out, int64(n), 10)
		out = append(out, " beginbfchar\n"...)
		for _, m := range maps[:n] {
			out = append(out, '<')
			out = appendHex16(out, m.gid)
			out = append(out, "><"...)
			for _, u := range utf16.Encode([]rune{m.r}) {
				out = appendHex16(out, u)
			}
			out = append(out, ">\n"...)
		}
		out = append(out, "endbfchar\n"...)
		maps = maps[n:]
	}
	return append(out, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"...)
}

func appendHex16(out []byte, v uint16) []byte {
	const digits = "0123456789ABCDEF"
	return append(out, digits[v>>12], digits[v>>8&15], digits[v>>4&15], digits[v&15])
}
