package slackapp

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/outbox"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		err        error
		kind       outbox.Kind
		retryAfter time.Duration
	}{
		{&slack.RateLimitedError{RetryAfter: 30 * time.Second}, outbox.Passing, 30 * time.Second},
		{fmt.Errorf("post: %w", &slack.RateLimitedError{RetryAfter: time.Second}), outbox.Passing, time.Second},
		{slack.StatusCodeError{Code: 500, Status: "500 Internal Server Error"}, outbox.Passing, 0},
		{slack.StatusCodeError{Code: 429, Status: "429 Too Many Requests"}, outbox.Passing, 0},
		{slack.StatusCodeError{Code: 404, Status: "404 Not Found"}, outbox.Lasting, 0},
		{slack.SlackErrorResponse{Err: "ratelimited"}, outbox.Passing, 0},
		{slack.SlackErrorResponse{Err: "service_unavailable"}, outbox.Passing, 0},
		{slack.SlackErrorResponse{Err: "not_in_channel"}, outbox.Lasting, 0},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, outbox.Lasting, 0},
		{slack.SlackErrorResponse{Err: "is_archived"}, outbox.Lasting, 0},
		{slack.SlackErrorResponse{Err: "invalid_auth"}, outbox.Auth, 0},
		{slack.SlackErrorResponse{Err: "token_revoked"}, outbox.Auth, 0},
		{slack.SlackErrorResponse{Err: "account_inactive"}, outbox.Auth, 0},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, outbox.Passing, 0},
	}
	for _, c := range cases {
		f := classify(c.err)
		if f.Kind != c.kind || f.RetryAfter != c.retryAfter {
			t.Errorf("classify(%v) = %v, %v; want %v, %v", c.err, f.Kind, f.RetryAfter, c.kind, c.retryAfter)
		}
	}
}
