package slackapp

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		err        error
		passing    bool
		retryAfter time.Duration
	}{
		{&slack.RateLimitedError{RetryAfter: 30 * time.Second}, true, 30 * time.Second},
		{fmt.Errorf("post: %w", &slack.RateLimitedError{RetryAfter: time.Second}), true, time.Second},
		{slack.StatusCodeError{Code: 500, Status: "500 Internal Server Error"}, true, 0},
		{slack.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}, true, 0},
		{slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, false, 0},
		{slack.SlackErrorResponse{Err: "ratelimited"}, true, 0},
		{slack.SlackErrorResponse{Err: "service_unavailable"}, true, 0},
		{slack.SlackErrorResponse{Err: "not_in_channel"}, false, 0},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, false, 0},
		{slack.SlackErrorResponse{Err: "invalid_auth"}, false, 0},
		{slack.SlackErrorResponse{Err: "is_archived"}, false, 0},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, true, 0},
	}
	for _, c := range cases {
		passing, after, _ := classify(c.err)
		if passing != c.passing || after != c.retryAfter {
			t.Errorf("classify(%v) = %v, %v; want %v, %v", c.err, passing, after, c.passing, c.retryAfter)
		}
	}
}

func TestBackoff(t *testing.T) {
	if got := Backoff(3, 30*time.Second); got != 30*time.Second {
		t.Errorf("Backoff with Retry-After 30s = %v", got)
	}
	for attempt := range 300 {
		if d := Backoff(attempt, 0); d < 500*time.Millisecond || d > time.Minute {
			t.Fatalf("Backoff(%d) = %v", attempt, d)
		}
	}
}
