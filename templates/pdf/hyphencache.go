package pdf

import (
	"strings"
	"sync"
	"sync/atomic"

	"portevoix/templates/hyphen"
)

// hyphenCache remembers the breaks of the words hyphenated so far, for all the renders of
// a Renderer: communiqués are rendered again and again (each download, each campaign) with
// much the same words, and looking words up in the patterns took a third of a layout. It
// stops growing at maxCachedWords.
type hyphenCache struct {
	words sync.Map // word → []int, read-only once stored
	count atomic.Int64
}

const maxCachedWords = 50_000

// breaks returns word's breaks (see hyphen.Breaker.Breaks), computing them with b once.
func (c *hyphenCache) breaks(word string, b *hyphen.Breaker) []int {
	if v, ok := c.words.Load(word); ok {
		return v.([]int)
	}
	at := b.Breaks(word, nil)
	if c.count.Load() < maxCachedWords {
		// A clone, so as not to keep the whole paragraph the word was cut from.
		if _, loaded := c.words.LoadOrStore(strings.Clone(word), at); !loaded {
			c.count.Add(1)
		}
	}
	return at
}
