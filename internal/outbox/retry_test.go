package outbox

import (
	"errors"
	"testing"
	"time"
)

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

func TestClassifyUnknownIsPassing(t *testing.T) {
	if f := Classify(errors.New("proxy page")); f.Kind != Passing || !f.Uncertain {
		t.Errorf("Classify(unknown) = %+v, want passing and uncertain", f)
	}
	want := &Failure{Kind: Lasting, Code: "not_in_channel", Err: errors.New("x")}
	if f := Classify(want); f != want {
		t.Errorf("Classify(*Failure) = %+v, want it unchanged", f)
	}
}
