// Package ratelimit slows down guessing: it counts failures per key (a client address, an
// account) and refuses further attempts once a key has failed too often, until enough time
// has passed.
//
// A Limiter allows Burst failures in a row; after that, each further attempt waits for one
// Interval, and failures are forgiven at one per Interval. It keeps one time per key, so it
// costs the same whatever the rate of failures. Use one Limiter per policy and any string
// as the key, for example "ip:" + address and "account:" + e-mail for a login form that
// limits both:
//
//	lim := ratelimit.New(10, time.Minute, time.Now)
//	if wait := lim.Wait(key); wait > 0 {
//		// answer 429 with Retry-After: ratelimit.Seconds(wait)
//	}
//	if !ok {
//		lim.Fail(key)
//	}
//
// Call Wait before checking the credentials, so that a blocked client learns nothing, and
// Fail after each refused attempt. Reset forgets a key, after a successful login for example.
// A Limiter is safe for concurrent use; its clock is injectable so tests can move time.
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
