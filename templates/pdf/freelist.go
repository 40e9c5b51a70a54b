package pdf

import "sync"

// freeList keeps up to maxFree values of scratch space from one render to the next. A
// sync.Pool lost them too often: a value put back on one processor is not found from
// another (only its shared part is), and each garbage collection empties it, so a render
// allocated the 0.8 MB of a new compressor one time in a few.
type freeList[T any] struct {
	mu   sync.Mutex
	free []*T
}

// maxFree bounds the values kept: as many renders at once are rare.
const maxFree = 8

// get returns a kept value, or nil.
func (l *freeList[T]) get() *T {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.free)
	if n == 0 {
		return nil
	}
	v := l.free[n-1]
	l.free[n-1] = nil
	l.free = l.free[:n-1]
	return v
}

// put keeps v for a later get, unless maxFree are kept already.
func (l *freeList[T]) put(v *T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.free) < maxFree {
		l.free = append(l.free, v)
	}
}
