// Package ratelimit slows down guessing: it counts failures per key (a client address, an
// account) and refuses further attempts once a key has failed too often, until enough time
// has passed.
//
// A Limiter allows burst failures in a row per key; after that, each further attempt waits
// for one interval, and failures are forgiven at one per interval, so a quiet key gets its
// whole burst back. It keeps one time per key (GCRA) and drops forgiven keys as it goes.
// Keys are any strings: give each kind its prefix, "ip:" + address, "account:" + e-mail,
// so that one Limiter can guard both (see Example, a login form).
//
//	lim := ratelimit.New(10, time.Minute, time.Now)
//	if wait := lim.Wait(key); wait > 0 {
//		// answer 429 with "Retry-After: " + ratelimit.Seconds(wait)
//	}
//	if !valid {
//		lim.Fail(key)
//	}
//
// Call Wait before checking the credentials, so that a blocked client learns nothing even
// with the right ones, and Fail after each refused attempt; Reset forgets a key (an account
// after a successful login). A Limiter is safe for concurrent use. Its clock is injected,
// so that tests move time instead of sleeping.
package ratelimit

import (
	"strconv"
	"sync"
	"time"
)

// sweepAt is the number of keys above which Fail drops the keys whose failures are all
// forgiven, so that memory stays bounded by the keys that failed recently.
const sweepAt = 10000

// Limiter counts failures per key. Build it with New.
type Limiter struct {
	burst    int
	interval time.Duration
	now      func() time.Time

	mu sync.Mutex
	// clear is, per key, when all of its failures are forgiven: each failure pushes it one
	// interval later (GCRA).
	clear map[string]time.Time
}

// New returns a Limiter allowing burst failures in a row per key, then one attempt per
// interval. now is the clock (time.Now outside tests).
func New(burst int, interval time.Duration, now func() time.Time) *Limiter {
	return &Limiter{burst: max(burst, 1), interval: interval, now: now, clear: map[string]time.Time{}}
}

// Wait returns how long key must wait before its next attempt, or 0 when it may try now.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	debt := l.clear[key].Sub(l.now())
	allowed := time.Duration(l.burst-1) * l.interval
	if debt <= allowed {
		return 0
	}
	return debt - allowed
}

// Fail records a failed attempt by key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.clear) >= sweepAt {
		l.sweep(now)
	}
	l.clear[key] = later(l.clear[key], now).Add(l.interval)
}

// Reset forgets key's failures.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.clear, key)
}

func (l *Limiter) sweep(now time.Time) {
	for k, t := range l.clear {
		if !t.After(now) {
			delete(l.clear, k)
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Seconds formats a wait for a Retry-After header: whole seconds, rounded up, at least 1.
func Seconds(wait time.Duration) string {
	return strconv.FormatInt(max(int64((wait+time.Second-1)/time.Second), 1), 10)
}
