package slackfake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Call is one call to a Web API method added with Answer: its form (query
// and body), or its JSON body when it was posted as JSON (views.publish,
// views.open…).
type Call struct {
	Method string
	Form   url.Values
	JSON   json.RawMessage
}

// Answer serves method (say "views.publish"): each call is kept for
// NextCall, and answered with f's value as JSON (nil: {"ok":true}).
// Calling it again for a method replaces how it is answered.
func (s *Server) Answer(method string, f func(Call) any) {
	s.mu.Lock()
	_, known := s.others[method]
	if !known {
		s.others[method] = make(chan Call, 1000)
	}
	s.answers()[method] = f
	s.mu.Unlock()
	if known {
		return
	}
	// Any HTTP method: slack-go reads some methods with GET (chat.getPermalink).
	s.mux.HandleFunc("/"+method, func(w http.ResponseWriter, r *http.Request) {
		c := Call{Method: method}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
			c.JSON = body
		} else if err := r.ParseForm(); err == nil {
			c.Form = r.Form // the query's and the body's
		}
		s.mu.Lock()
		f, ch := s.answers()[method], s.others[method]
		s.mu.Unlock()
		var out any = map[string]any{"ok": true}
		if f != nil {
			if v := f(c); v != nil {
				out = v
			}
		}
		select {
		case ch <- c:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	})
}

// answers holds how each added method answers; s.mu must be held.
func (s *Server) answers() map[string]func(Call) any {
	if s.answerFuncs == nil {
		s.answerFuncs = map[string]func(Call) any{}
	}
	return s.answerFuncs
}

// NextCall waits for the next call to a method added with Answer.
func (s *Server) NextCall(t testing.TB, method string) Call {
	t.Helper()
	s.mu.Lock()
	ch := s.others[method]
	s.mu.Unlock()
	if ch == nil {
		t.Fatalf("%s is not served: call Answer first", method)
	}
	select {
	case c := <-ch:
		return c
	case <-time.After(WaitFor):
		t.Fatalf("no %s within %s", method, WaitFor)
		return Call{}
	}
}

// NoCall fails the test if method is called within d.
func (s *Server) NoCall(t testing.TB, method string, d time.Duration) {
	t.Helper()
	s.mu.Lock()
	ch := s.others[method]
	s.mu.Unlock()
	select {
	case c := <-ch:
		t.Fatalf("unexpected %s: %v %s", method, c.Form, c.JSON)
	case <-time.After(d):
	}
}
