package server

import (
	"errors"
	"strconv"
	"testing"
	"time"
)

func TestRenditionsRenderOncePerKey(t *testing.T) {
	r := &renditions{budget: 1 << 20}
	calls := 0
	render := func() (*rendition, error) {
		calls++
		return newRendition([]byte("page "+strconv.Itoa(calls)), time.Unix(0, 0)), nil
	}
	a, _ := r.get("a", render)
	again, _ := r.get("a", render)
	b, _ := r.get("b", render)
	if calls != 2 || again != a || string(a.body) != "page 1" || a.etag == b.etag {
		t.Fatalf("%d renders, a=%q again=%q b=%q", calls, a.body, again.body, b.body)
	}
}

func TestRenditionsKeepNoError(t *testing.T) {
	r := &renditions{budget: 1 << 20}
	failure := errors.New("render failed")
	if _, err := r.get("a", func() (*rendition, error) { return nil, failure }); !errors.Is(err, failure) {
		t.Fatalf("err = %v", err)
	}
	v, err := r.get("a", func() (*rendition, error) { return newRendition([]byte("ok"), time.Unix(0, 0)), nil })
	if err != nil || string(v.body) != "ok" {
		t.Fatalf("a failed render must not be kept: %v %v", v, err)
	}
}

func TestRenditionsStartOverPastBudget(t *testing.T) {
	r := &renditions{budget: 10}
	calls := 0
	render := func() (*rendition, error) {
		calls++
		return newRendition([]byte("123456"), time.Unix(0, 0)), nil
	}
	for _, key := range []string{"a", "b", "b", "a"} {
		if _, err := r.get(key, render); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 3 || r.size > r.budget {
		t.Fatalf("%d renders, %d bytes kept: b must have pushed a out, and a must come back", calls, r.size)
	}
}
