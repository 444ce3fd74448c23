package main

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// faults are what the fake Slack does to chat.postMessage calls.
type faults struct {
	fail5xx    float64 // share answered 500 or 503
	fail429    float64 // share answered 429 with Retry-After
	retryAfter int     // seconds
	slow       float64 // share answered after slowDelay
	slowDelay  time.Duration
}

// post is one reply Slack accepted.
type post struct {
	at   time.Time
	ts   string // the ts Slack gave it, as the bot records it
	proc string // the bot process that posted it (its token names it)
}

// stamp is when one bot process called Slack about a channel.
type stamp struct {
	at   time.Time
	proc string
}

// tokenPrefix starts every bot process's token; the rest names the
// process, so that the fake knows who posted what.
const tokenPrefix = "xoxb-loadtest-"

// fakeSlack is the Web API the bot posts to. It keeps every reply by
// thread and the time of every call by channel, and fails or delays the
// share of calls it is told to.
type fakeSlack struct {
	url string
	srv *http.Server
	f   faults

	mu        sync.Mutex
	rng       *rand.Rand
	calls     int
	threads   map[string][]post  // "channel thread_ts" -> accepted replies
	posts     map[string][]stamp // channel -> accepted replies
	tries     map[string][]stamp // channel -> every call
	lastReply time.Time
	injected5 int
	injected4 int
	slowed    int
	abandoned int           // slow calls whose caller had gone when the answer was ready
	changed   chan struct{} // a reply was accepted
}

func startFakeSlack(f faults) (*fakeSlack, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fake slack: %w", err)
	}
	s := newFakeSlack(f)
	s.url = "http://" + ln.Addr().String() + "/"
	s.srv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

func newFakeSlack(f faults) *fakeSlack {
	return &fakeSlack{f: f, rng: rand.New(rand.NewPCG(1, 2)), threads: map[string][]post{},
		posts: map[string][]stamp{}, tries: map[string][]stamp{}, changed: make(chan struct{}, 1)}
}

func (s *fakeSlack) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth.test", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team":"load"}`)
	})
	mux.HandleFunc("POST /chat.postMessage", s.post)
	return mux
}

func (s *fakeSlack) post(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	channel := r.PostForm.Get("channel")
	token := r.PostForm.Get("token") // where slack-go puts it for chat.postMessage
	if token == "" {
		token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	proc := strings.TrimPrefix(token, tokenPrefix)
	s.mu.Lock()
	now := time.Now() // under the lock, so that each channel's times are in order
	s.calls++
	n := s.calls
	s.tries[channel] = append(s.tries[channel], stamp{now, proc})
	x, slow := s.rng.Float64(), s.rng.Float64() < s.f.slow
	if slow {
		s.slowed++
	}
	status := http.StatusOK
	switch {
	case x < s.f.fail5xx:
		s.injected5++
		status = 500 + 3*(n%2) // 500 and 503
	case x < s.f.fail5xx+s.f.fail429:
		s.injected4++
		status = http.StatusTooManyRequests
	default:
		// Accepted on arrival, as Slack would post it even if the answer
		// then reaches nobody: a slow answer the bot gave up on is a
		// message in the channel all the same.
		ts := fmt.Sprintf("1700000000.%06d", n)
		key := channel + " " + r.PostForm.Get("thread_ts")
		s.threads[key] = append(s.threads[key], post{at: now, ts: ts, proc: proc})
		s.posts[channel] = append(s.posts[channel], stamp{now, proc})
		s.lastReply = now
		select {
		case s.changed <- struct{}{}:
		default:
		}
	}
	s.mu.Unlock()
	if slow {
		select {
		case <-time.After(s.f.slowDelay):
		case <-r.Context().Done():
			s.mu.Lock()
			s.abandoned++
			s.mu.Unlock()
			return
		}
	}
	switch status {
	case http.StatusOK:
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.%06d"}`, channel, n)
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", fmt.Sprint(s.f.retryAfter))
		w.WriteHeader(status)
		fmt.Fprint(w, `{"ok":false,"error":"ratelimited"}`)
	default:
		w.WriteHeader(status)
	}
}

// tally counts, over the threads whose question was acknowledged, those
// answered and those lost, and over all threads the extra posts: a second
// reply in a thread, or a reply in a thread nobody asked in.
func (s *fakeSlack) tally(acked, asked map[string]bool) (answered, lost, duplicated int, last time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key := range acked {
		if len(s.threads[key]) == 0 {
			lost++
		} else {
			answered++
		}
	}
	for key, ps := range s.threads {
		if asked[key] {
			duplicated += len(ps) - 1
		} else {
			duplicated += len(ps)
		}
	}
	return answered, lost, duplicated, s.lastReply
}

// firstReplies returns when each thread got its first reply.
func (s *fakeSlack) firstReplies() map[string]time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]time.Time, len(s.threads))
	for key, ps := range s.threads {
		out[key] = ps[0].at
	}
	return out
}

// duplicates returns the threads that got more than one reply.
func (s *fakeSlack) duplicates() map[string][]post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]post{}
	for key, ps := range s.threads {
		if len(ps) > 1 {
			out[key] = append([]post(nil), ps...)
		}
	}
	return out
}

// counters is a copy of the fake's call counts.
type counters struct {
	calls, injected5, injected429, slowed, abandoned int
}

func (s *fakeSlack) counters() counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	return counters{s.calls, s.injected5, s.injected4, s.slowed, s.abandoned}
}

// times returns a copy of the accepted replies' and of every call's times,
// by channel.
func (s *fakeSlack) times() (posts, tries map[string][]stamp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clone := func(m map[string][]stamp) map[string][]stamp {
		out := make(map[string][]stamp, len(m))
		for k, v := range m {
			out[k] = append([]stamp(nil), v...)
		}
		return out
	}
	return clone(s.posts), clone(s.tries)
}
