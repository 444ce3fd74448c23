// Package slackfake is the fake Slack the tests share: the Web API methods
// the bot calls (auth.test, chat.postMessage, conversations.replies) and a
// response_url. It accepts every post unless told to fail some, refuse the
// token, or answer from a script.
package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bot is the identity auth.test gives.
const (
	BotUser = "UBOT"
	BotID   = "BBOT"
)

// WaitFor bounds every wait of Next and NextResponse.
const WaitFor = 10 * time.Second

// Reply is how a script answers one chat.postMessage: the zero Reply
// accepts the post as usual.
type Reply struct {
	Status     int    // HTTP status; 0: accept
	RetryAfter string // Retry-After header
	Body       string
	// AcceptThenHang records the post as accepted, then never answers:
	// the caller's timeout cuts the call short after Slack took it.
	AcceptThenHang bool
}

// Message is a post as the fake keeps it, or a body posted to response_url.
type Message struct {
	ResponseType    string          `json:"response_type,omitempty"`
	ReplaceOriginal bool            `json:"replace_original,omitempty"`
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks,omitempty"`
	TS              string          `json:"ts,omitempty"`
	Metadata        json.RawMessage `json:"metadata,omitempty"`
}

// Server is a running fake Slack.
type Server struct {
	URL         string          // the Web API base, ending in "/"
	ResponseURL string          // a response_url
	Posts       chan url.Values // the forms of accepted posts, in order
	Responses   chan Message    // what was posted to ResponseURL

	calls   atomic.Int64 // chat.postMessage calls, accepted or not
	lookups atomic.Int64 // conversations.replies calls
	ts      atomic.Int64

	mu               sync.Mutex
	script           func(n int64, form url.Values) Reply
	rng              *rand.Rand
	fail5xx, fail429 float64
	n5xx, n429       int
	refuse           string               // auth error every call gets; "" accepts the token
	threads          map[string][]Message // "channel/thread_ts" → accepted posts

	mux         *http.ServeMux
	others      map[string]chan Call // method → its calls, for methods added with Answer
	answerFuncs map[string]func(Call) any
	uploads     chan Upload  // files posted to upload URLs, once ServeUploads is called
	fileIDs     atomic.Int64 // the last file id given out
}

// New starts a fake Slack, stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{Posts: make(chan url.Values, 10000), Responses: make(chan Message, 100),
		rng: rand.New(rand.NewPCG(1, 2)), threads: map[string][]Message{}, others: map[string]chan Call{}}
	mux := http.NewServeMux()
	s.mux = mux
	mux.HandleFunc("POST /auth.test", func(w http.ResponseWriter, r *http.Request) {
		if code := s.refused(); code != "" {
			fmt.Fprintf(w, `{"ok":false,"error":%q}`, code)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"user_id":%q,"bot_id":%q,"team":"BIN"}`, BotUser, BotID)
	})
	mux.HandleFunc("POST /chat.postMessage", s.post)
	mux.HandleFunc("POST /conversations.replies", s.replies)
	mux.HandleFunc("POST /response/", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var m Message
		if err := json.Unmarshal(body, &m); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("response_url got %s (%v)", body, err)
		}
		s.Responses <- m
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	s.URL = srv.URL + "/"
	s.ResponseURL = srv.URL + "/response/T1/1/secret"
	return s
}

// Script answers each chat.postMessage (n counts from 1) instead of the
// usual acceptance; nil restores it.
func (s *Server) Script(f func(n int64, form url.Values) Reply) {
	s.mu.Lock()
	s.script = f
	s.mu.Unlock()
}

// Fail answers a share of posts 500 and a share 429 (Retry-After: 1),
// drawn from a fixed seed.
func (s *Server) Fail(fail5xx, fail429 float64) {
	s.mu.Lock()
	s.fail5xx, s.fail429 = fail5xx, fail429
	s.mu.Unlock()
}

// RefuseToken makes every call fail with code (invalid_auth,
// token_revoked...) until called with "".
func (s *Server) RefuseToken(code string) {
	s.mu.Lock()
	s.refuse = code
	s.mu.Unlock()
}

func (s *Server) refused() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refuse
}

// Calls is how many chat.postMessage calls came, accepted or not.
func (s *Server) Calls() int64 { return s.calls.Load() }

// Lookups is how many conversations.replies calls came.
func (s *Server) Lookups() int64 { return s.lookups.Load() }

// Failed is how many posts were failed by Fail: 5xx and 429.
func (s *Server) Failed() (n5xx, n429 int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n5xx, s.n429
}

func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	n := s.calls.Add(1)
	s.mu.Lock()
	script, refuse := s.script, s.refuse
	var rep Reply
	switch x := s.rng.Float64(); {
	case refuse != "":
		rep = Reply{Status: 200, Body: fmt.Sprintf(`{"ok":false,"error":%q}`, refuse)}
	case script != nil:
	case x < s.fail5xx:
		s.n5xx++
		rep = Reply{Status: 500, Body: "oops"}
	case x < s.fail5xx+s.fail429:
		s.n429++
		rep = Reply{Status: 429, RetryAfter: "1"}
	}
	s.mu.Unlock()
	if script != nil && refuse == "" {
		rep = script(n, r.PostForm)
	}
	if rep.Status != 0 {
		if rep.RetryAfter != "" {
			w.Header().Set("Retry-After", rep.RetryAfter)
		}
		w.WriteHeader(rep.Status)
		fmt.Fprint(w, rep.Body)
		return
	}
	channel := r.PostForm.Get("channel")
	ts := fmt.Sprintf("1700000000.%06d", s.ts.Add(1))
	m := Message{Text: r.PostForm.Get("text"), TS: ts}
	if md := r.PostForm.Get("metadata"); md != "" {
		m.Metadata = json.RawMessage(md)
	}
	s.mu.Lock()
	key := channel + "/" + r.PostForm.Get("thread_ts")
	s.threads[key] = append(s.threads[key], m)
	s.mu.Unlock()
	select {
	case s.Posts <- r.PostForm:
	default: // nobody reads them: Replies counts them
	}
	if rep.AcceptThenHang {
		<-r.Context().Done()
		return
	}
	fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, channel, ts)
}

// replies answers conversations.replies with the posts accepted in the
// thread, metadata included.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	s.lookups.Add(1)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	msgs := append([]Message(nil), s.threads[r.PostForm.Get("channel")+"/"+r.PostForm.Get("ts")]...)
	s.mu.Unlock()
	type msg struct {
		Type     string          `json:"type"`
		TS       string          `json:"ts"`
		Text     string          `json:"text"`
		BotID    string          `json:"bot_id"`
		Metadata json.RawMessage `json:"metadata,omitempty"`
	}
	out := []msg{}
	for _, m := range msgs {
		out = append(out, msg{Type: "message", TS: m.TS, Text: m.Text, BotID: BotID, Metadata: m.Metadata})
	}
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "messages": out, "has_more": false})
}

// Replies is how many posts each thread ("channel/thread_ts") received.
func (s *Server) Replies(thread string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.threads[thread])
}

// Tally returns how many of the threads got no post, and how many posts
// beyond the first the others got.
func (s *Server) Tally(threads []string) (lost, duplicated int) {
	for _, th := range threads {
		switch n := s.Replies(th); {
		case n == 0:
			lost++
		case n > 1:
			duplicated += n - 1
		}
	}
	return lost, duplicated
}

// Next waits for the next accepted post.
func (s *Server) Next(t testing.TB) url.Values {
	t.Helper()
	select {
	case p := <-s.Posts:
		return p
	case <-time.After(WaitFor):
		t.Fatal("no chat.postMessage within", WaitFor)
		return nil
	}
}

// NextResponse waits for the next post to ResponseURL.
func (s *Server) NextResponse(t testing.TB) Message {
	t.Helper()
	select {
	case m := <-s.Responses:
		return m
	case <-time.After(WaitFor):
		t.Fatal("nothing posted to response_url within", WaitFor)
		return Message{}
	}
}
