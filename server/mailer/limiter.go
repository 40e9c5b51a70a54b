package mailer

import (
	"context"
	"sync"
	"time"
)

// Limiter paces sends to a number of messages per second (PORTEVOIX_RATE), shared by all
// workers. It is a token bucket holding one token: after a pause the next message leaves
// at once, then they are evenly spaced. It starts no goroutine.
type Limiter struct {
	interval time.Duration // between two messages; 0 when unlimited

	mu   sync.Mutex
	next time.Time // when the next message may leave
}

// NewLimiter allows perSecond messages a second; zero or less means unlimited.
func NewLimiter(perSecond float64) *Limiter {
	if perSecond <= 0 {
		return &Limiter{}
	}
	return &Limiter{interval: time.Duration(float64(time.Second) / perSecond)}
}

// Wait blocks until the next message may leave, or returns ctx's error when it ends first
// (the turn taken is then given back if no one took a later one).
func (l *Limiter) Wait(ctx context.Context) error {
	if l.interval == 0 {
		return ctx.Err()
	}
	now := time.Now()
	l.mu.Lock()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	if at.Equal(now) {
		return ctx.Err()
	}
	timer := time.NewTimer(at.Sub(now))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		if l.next.Equal(at.Add(l.interval)) {
			l.next = at
		}
		l.mu.Unlock()
		return ctx.Err()
	}
}
