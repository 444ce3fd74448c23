package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func startTestFake(t *testing.T, f faults) (*fakeSlack, *httptest.Server) {
	t.Helper()
	s := newFakeSlack(f)
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	return s, srv
}

func postForm(ctx context.Context, srv *httptest.Server, channel, thread string) (*http.Response, error) {
	form := url.Values{"token": {tokenPrefix + "r0.0"}, "channel": {channel}, "thread_ts": {thread}, "text": {"réponse"}}.Encode()
	req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/chat.postMessage", strings.NewReader(form))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	return resp, err
}

func TestFakeSlackCountsRepliesByThread(t *testing.T) {
	s, srv := startTestFake(t, faults{})
	for _, p := range [][2]string{{"D1", "1.1"}, {"D1", "1.1"}, {"D2", "2.1"}, {"D9", "9.9"}} {
		if resp, err := postForm(t.Context(), srv, p[0], p[1]); err != nil || resp.StatusCode != 200 {
			t.Fatalf("post %v: %v %v", p, resp, err)
		}
	}
	acked := map[string]bool{"D1 1.1": true, "D2 2.1": true, "D3 3.1": true}
	asked := map[string]bool{"D1 1.1": true, "D2 2.1": true, "D3 3.1": true, "D4 4.1": true}
	answered, lost, dupes, last := s.tally(acked, asked)
	// D1 twice: one extra; D9 was never asked: one extra; D3 acknowledged, never answered.
	if answered != 2 || lost != 1 || dupes != 2 || last.IsZero() {
		t.Errorf("answered %d lost %d dupes %d last %v; want 2, 1, 2, set", answered, lost, dupes, last)
	}
	if d := s.duplicates(); len(d) != 1 || len(d["D1 1.1"]) != 2 || d["D1 1.1"][0].ts == d["D1 1.1"][1].ts ||
		d["D1 1.1"][0].proc != "r0.0" {
		t.Errorf("duplicates = %v, want D1's two posts with distinct ts, by r0.0 (its token)", d)
	}
	posts, tries := s.times()
	if len(posts["D1"]) != 2 || len(tries["D1"]) != 2 {
		t.Errorf("times in D1: %d posts %d calls, want 2 and 2", len(posts["D1"]), len(tries["D1"]))
	}
}

func TestFakeSlackInjectsFailures(t *testing.T) {
	cases := []struct {
		name       string
		f          faults
		status     []int
		retryAfter string
	}{
		{"5xx", faults{fail5xx: 1}, []int{503, 500}, ""},
		{"429", faults{fail429: 1, retryAfter: 7}, []int{429, 429}, "7"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, srv := startTestFake(t, c.f)
			for _, want := range c.status {
				resp, err := postForm(t.Context(), srv, "D1", "1.1")
				if err != nil || resp.StatusCode != want || resp.Header.Get("Retry-After") != c.retryAfter {
					t.Fatalf("answer %v %v, want %d Retry-After %q", resp, err, want, c.retryAfter)
				}
			}
			answered, _, _, _ := s.tally(map[string]bool{"D1 1.1": true}, nil)
			n := s.counters()
			if answered != 0 || n.calls != 2 || n.injected5+n.injected429 != 2 {
				t.Errorf("answered %d, counters %+v: failures must not count as replies", answered, n)
			}
		})
	}
}

func TestFakeSlackSlowAnswer(t *testing.T) {
	s, srv := startTestFake(t, faults{slow: 1, slowDelay: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { _, err := postForm(ctx, srv, "D1", "1.1"); errc <- err }()
	// The post is accepted on arrival, as Slack would show it; then the
	// caller gives up waiting for the answer.
	select {
	case <-s.changed:
	case <-time.After(10 * time.Second):
		t.Fatal("slow post not accepted on arrival")
	}
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a slow answer came before the caller gave up")
	}
	srv.Close() // waits for the handler to return
	if n := s.counters(); n.slowed != 1 || n.abandoned != 1 {
		t.Errorf("counters %+v, want one slowed and abandoned", n)
	}
	if answered, _, _, _ := s.tally(map[string]bool{"D1 1.1": true}, nil); answered != 1 {
		t.Errorf("the slow post is not counted as a reply")
	}
}
