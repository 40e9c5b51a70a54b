package pdf

import (
	"sync"

	"portevoix/templates/hyphen"
)

// hyphenCache remembers the breaks of the words hyphenated so far, for all the renders of
// a Renderer: communiqués are rendered again and again (each download, each campaign) with
// much the same words, and looking words up in the patterns took a third of a layout. It
// stops growing at maxCachedWords. A map under a read-write lock rather than a sync.Map:
// looking a []byte up in it converts nothing and allocates nothing, and the sync.Map's
// lookups took a twentieth of a render.
type hyphenCache struct {
	mu    sync.RWMutex
	words map[string][]int // read-only once stored
}

const maxCachedWords = 50_000

// breaks returns word's breaks (see hyphen.Breaker.Breaks), computing them with b once.
func (c *hyphenCache) breaks(word []byte, b *hyphen.Breaker) []int {
	c.mu.RLock()
	at, ok := c.words[string(word)]
	c.mu.RUnlock()
	if ok {
		return at
	}
	w := string(word) // a copy, so as not to keep the caller's buffer
	at = b.Breaks(w, nil)
	c.mu.Lock()
	if len(c.words) < maxCachedWords {
		if c.words == nil {
			c.words = make(map[string][]int)
		}
		c.words[w] = at
	}
	c.mu.Unlock()
	return at
}
