package slackapp

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/slack-go/slack"
)

// maxAttempts bounds the retries of one reply: with backoff capped at a
// minute, about four hours of trying before staff must look at it.
const maxAttempts = 250

// passingErrors are ok:false codes that say "try again later".
var passingErrors = map[string]bool{
	"ratelimited": true, "rate_limited": true, "message_limit_exceeded": true,
	"internal_error": true, "fatal_error": true, "service_unavailable": true, "request_timeout": true,
}

// classify tells a passing error (retry, after retryAfter if Slack said so)
// from a lasting one such as not_in_channel or invalid_auth, which no retry
// cures. Anything unknown (network, proxy page) is taken as passing: a
// question that was acknowledged must not be lost.
func classify(err error) (passing bool, retryAfter time.Duration, code string) {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		return true, rl.RetryAfter, "ratelimited"
	case errors.As(err, &sc):
		return sc.Retryable(), 0, "http_" + sc.Status
	case errors.As(err, &se):
		return passingErrors[se.Err], 0, se.Err
	}
	return true, 0, "network"
}

// Backoff is the default wait before attempt n+1: Slack's Retry-After when
// given, else exponential from one second, capped at a minute, jittered.
func Backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	d := time.Second << min(attempt, 6)
	d = min(d, time.Minute)
	return d/2 + rand.N(d/2+1)
}
