package ratelimit_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"portevoix/server/ratelimit"
)

// clock is a settable time for the limiter.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newLimiter(burst int) (*ratelimit.Limiter, *clock) {
	c := &clock{t: time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)}
	return ratelimit.New(burst, time.Minute, c.now), c
}

func TestBurstThenOnePerInterval(t *testing.T) {
	lim, c := newLimiter(3)
	for i := range 3 {
		if wait := lim.Wait("ip:192.0.2.1"); wait != 0 {
			t.Fatalf("attempt %d: wait %v, want none within the burst", i+1, wait)
		}
		lim.Fail("ip:192.0.2.1")
	}
	if wait := lim.Wait("ip:192.0.2.1"); wait != time.Minute {
		t.Fatalf("after 3 failures: wait %v, want 1m0s", wait)
	}
	c.advance(40 * time.Second)
	if wait := lim.Wait("ip:192.0.2.1"); wait != 20*time.Second {
		t.Fatalf("40 s later: wait %v, want 20s", wait)
	}
	c.advance(20 * time.Second)
	if wait := lim.Wait("ip:192.0.2.1"); wait != 0 {
		t.Fatalf("one interval later: wait %v, want none", wait)
	}
	lim.Fail("ip:192.0.2.1")
	if wait := lim.Wait("ip:192.0.2.1"); wait != time.Minute {
		t.Fatalf("a failure after the pause: wait %v, want 1m0s again", wait)
	}
	c.advance(3 * time.Minute)
	for i := range 3 {
		if wait := lim.Wait("ip:192.0.2.1"); wait != 0 {
			t.Fatalf("after a quiet spell, attempt %d: wait %v, want the whole burst back", i+1, wait)
		}
		lim.Fail("ip:192.0.2.1")
	}
}

func TestKeysAreIndependent(t *testing.T) {
	lim, _ := newLimiter(1)
	lim.Fail("ip:192.0.2.1")
	if lim.Wait("ip:192.0.2.1") == 0 {
		t.Fatal("a key over its burst may still try")
	}
	for _, key := range []string{"ip:192.0.2.2", "account:192.0.2.1", ""} {
		if wait := lim.Wait(key); wait != 0 {
			t.Errorf("%q waits %v for another key's failures", key, wait)
		}
	}
}

func TestResetForgetsFailures(t *testing.T) {
	lim, _ := newLimiter(2)
	lim.Fail("account:a@example.org")
	lim.Fail("account:a@example.org")
	lim.Reset("account:a@example.org")
	if wait := lim.Wait("account:a@example.org"); wait != 0 {
		t.Fatalf("after Reset: wait %v", wait)
	}
}

// TestManyKeysStayLimited fails with far more keys than the sweep threshold: keys whose
// failures were forgiven are dropped, the others still wait.
func TestManyKeysStayLimited(t *testing.T) {
	lim, c := newLimiter(1)
	for i := range 25000 {
		if i > 0 && i%5000 == 0 {
			c.advance(2 * time.Minute)
		}
		lim.Fail(fmt.Sprintf("ip:%d", i))
	}
	lim.Fail("ip:last")
	if lim.Wait("ip:last") == 0 || lim.Wait("ip:24999") == 0 {
		t.Fatal("recent failures forgotten")
	}
	if wait := lim.Wait("ip:0"); wait != 0 {
		t.Fatalf("an old key waits %v", wait)
	}
}

func TestConcurrentFailuresAllCount(t *testing.T) {
	lim, _ := newLimiter(100)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { lim.Fail("ip:192.0.2.9") })
	}
	wg.Wait()
	if wait := lim.Wait("ip:192.0.2.9"); wait != time.Minute {
		t.Fatalf("after 100 concurrent failures with a burst of 100: wait %v, want 1m0s", wait)
	}
}

func TestSeconds(t *testing.T) {
	for wait, want := range map[time.Duration]string{time.Minute: "60", 1500 * time.Millisecond: "2", time.Millisecond: "1", 0: "1"} {
		if got := ratelimit.Seconds(wait); got != want {
			t.Errorf("Seconds(%v) = %q, want %q", wait, got, want)
		}
	}
}
