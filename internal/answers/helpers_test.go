package answers

import (
	"testing"
	"time"
)

// paris builds a time in Paris for tests of time-aware answers.
func paris(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, Paris)
}

func mustLoad(tb testing.TB, path string, opts ...Option) *Matcher {
	tb.Helper()
	m, err := Load(path, opts...)
	if err != nil {
		tb.Fatalf("load %s: %v", path, err)
	}
	return m
}

// fixedClock is a clock stopped at t.
func fixedClock(t time.Time) Option { return WithClock(func() time.Time { return t }) }
