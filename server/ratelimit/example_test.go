package ratelimit_test

import (
	"fmt"
	"time"

	"portevoix/server/ratelimit"
)

// A login form limits failures per address and per account with one Limiter.
func Example() {
	now := time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)
	lim := ratelimit.New(3, time.Minute, func() time.Time { return now })
	login := func(addr, account string, ok bool) string {
		keys := []string{"ip:" + addr, "account:" + account}
		for _, key := range keys {
			if wait := lim.Wait(key); wait > 0 {
				return "429, Retry-After: " + ratelimit.Seconds(wait)
			}
		}
		if !ok {
			for _, key := range keys {
				lim.Fail(key)
			}
			return "401"
		}
		lim.Reset("account:" + account)
		return "200"
	}
	for range 3 {
		fmt.Println(login("192.0.2.1", "a@example.org", false))
	}
	fmt.Println(login("192.0.2.1", "a@example.org", true))
	fmt.Println(login("198.51.100.7", "a@example.org", true))
	now = now.Add(time.Minute)
	fmt.Println(login("192.0.2.1", "a@example.org", true))
	// Output:
	// 401
	// 401
	// 401
	// 429, Retry-After: 60
	// 429, Retry-After: 60
	// 200
}
