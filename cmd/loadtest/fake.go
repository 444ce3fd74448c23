package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"time"
)

// fakeSlack is the Web API the bot posts to: it counts replies per thread
// and fails the share of calls it is told to.
type fakeSlack struct {
	url        string
	srv        *http.Server
	fail5xx    float64
	fail429    float64
	retryAfter int

	mu        sync.Mutex
	rng       *rand.Rand
	replies   map[string]int // "channel thread_ts" -> successful posts
	lastReply time.Time
	injected5 int
	injected4 int
	calls     int
	changed   chan struct{} // a reply was posted
}

func startFakeSlack(fail5xx, fail429 float64, retryAfter int) (*fakeSlack, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake slack: %w", err)
	}
	f := &fakeSlack{url: "http://" + ln.Addr().String() + "/", fail5xx: fail5xx, fail429: fail429,
		retryAfter: retryAfter, rng: rand.New(rand.NewPCG(1, 2)), replies: map[string]int{},
		changed: make(chan struct{}, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth.test", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team":"load"}`)
	})
	mux.HandleFunc("POST /chat.postMessage", f.post)
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	return f, nil
}

func (f *fakeSlack) post(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls++
	n := f.calls
	x := f.rng.Float64()
	switch {
	case x < f.fail5xx:
		f.injected5++
		f.mu.Unlock()
		w.WriteHeader(500 + 3*(n%2)) // 500 and 503
		return
	case x < f.fail5xx+f.fail429:
		f.injected4++
		f.mu.Unlock()
		w.Header().Set("Retry-After", fmt.Sprint(f.retryAfter))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
		return
	}
	f.replies[r.PostForm.Get("channel")+" "+r.PostForm.Get("thread_ts")]++
	f.lastReply = time.Now()
	f.mu.Unlock()
	select {
	case f.changed <- struct{}{}:
	default:
	}
	fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, r.PostForm.Get("channel"), n)
}

// tally counts threads answered once, threads answered more than once (the
// extra posts) and the time of the last reply.
func (f *fakeSlack) tally(expected map[string]bool) (answered, lost, duplicated int, last time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for key := range expected {
		switch n := f.replies[key]; {
		case n == 0:
			lost++
		default:
			answered++
			duplicated += n - 1
		}
	}
	for key, n := range f.replies {
		if !expected[key] {
			duplicated += n // a reply nobody asked for
		}
	}
	return answered, lost, duplicated, f.lastReply
}
