package slackapp

import (
	"bufio"
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzState is what a request could have changed: questions and feedback
// recorded, Slack calls made, requests refused for their signature.
type fuzzState struct {
	questions, votes int
	slackCalls       int64
	refusedSignature int64
}

func (ta *testApp) fuzzState(t *testing.T) fuzzState {
	t.Helper()
	up, down, err := ta.store.Feedback(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return fuzzState{questions: total(ta.counts(t)), votes: up + down, slackCalls: ta.fake.Calls(),
		refusedSignature: ta.refusedCount(t, "signature")}
}

// refusedCount reads bot_requests_refused_total{reason=...} from /metrics,
// the operator's view, rather than the counters' fields.
func (ta *testApp) refusedCount(t *testing.T, reason string) int64 {
	t.Helper()
	w := ta.serve(httptest.NewRequest("GET", "/metrics", nil))
	prefix := `bot_requests_refused_total{reason="` + reason + `"} `
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), prefix); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("metrics line %q: %v", sc.Text(), err)
			}
			return n
		}
	}
	return 0
}

// Ways a stranger may sign a request: only signedProperly passes.
const (
	signedProperly    = iota
	signedNot         // no signature headers at all
	signedWrongSecret // a well-formed signature with another secret
	signedStale       // the right secret, ten minutes ago
	signedGarbage     // headers present, values arbitrary
	signingWays
)

// fuzzRequest builds a POST of body to path, signed the way how says.
func fuzzRequest(how uint8, path, contentType string, body []byte, garbage string) *http.Request {
	how %= signingWays
	if how == signedProperly {
		return signed("POST", path, contentType, body)
	}
	r := httptest.NewRequest("POST", path, bytes.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	now := strconv.FormatInt(time.Now().Unix(), 10)
	switch how {
	case signedWrongSecret:
		r.Header.Set("X-Slack-Request-Timestamp", now)
		r.Header.Set("X-Slack-Signature", sign("not-"+testSecret, now, body))
	case signedStale:
		old := strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10)
		r.Header.Set("X-Slack-Request-Timestamp", old)
		r.Header.Set("X-Slack-Signature", sign(testSecret, old, body))
	case signedGarbage:
		r.Header.Set("X-Slack-Request-Timestamp", now)
		r.Header.Set("X-Slack-Signature", garbage)
	}
	return r
}

// checkRefused asserts that an unsigned request got 401 and changed
// nothing but the refusal counter.
func checkRefused(t *testing.T, w *httptest.ResponseRecorder, before, after fuzzState) {
	t.Helper()
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("unsigned request answered %d %q", w.Code, w.Body)
	}
	before.refusedSignature++
	if after != before {
		t.Fatalf("unsigned request changed state: before %+v (plus one refusal), after %+v", before, after)
	}
}
