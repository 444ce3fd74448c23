package outbox

import (
	"errors"
	"math/rand/v2"
	"time"
)

// maxAttempts bounds the retries of one reply: with backoff capped at a
// minute, about four hours of trying before staff must look at it.
const maxAttempts = 250

// Kind is what a refused post means for the question.
type Kind int

// The kinds of refusal.
const (
	Passing Kind = iota // try again later: 5xx, rate limit, network
	Lasting             // no retry cures it (not_in_channel...): the question fails, staff see it
	Auth                // the credentials are refused: every post waits until they are accepted again
)

// Failure is a refused post, as the Sender classifies it.
type Failure struct {
	Kind       Kind
	Code       string        // for logs and metrics: "ratelimited", "http_503", "not_in_channel"
	RetryAfter time.Duration // the platform's wait, 0 if it named none
	Uncertain  bool          // the post may have gone through all the same (a timeout)
	Err        error
}

func (f *Failure) Error() string { return f.Code + ": " + f.Err.Error() }

func (f *Failure) Unwrap() error { return f.Err }

// Classify reads what the Sender said of err. An error it did not classify
// (network, proxy page) is taken as passing and uncertain: a question that
// was acknowledged must not be lost.
func Classify(err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return &Failure{Kind: Passing, Code: "network", Uncertain: true, Err: err}
}

// Backoff is the default wait before attempt n+1: the platform's
// Retry-After when given, else exponential from one second, capped at a
// minute, jittered.
func Backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	d := time.Second << min(attempt, 6)
	d = min(d, time.Minute)
	return d/2 + rand.N(d/2+1)
}
