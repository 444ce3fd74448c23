package answers

import (
	"os"
	"sync"
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

// real is the matcher of the shipped FAQ and training data, learned once
// for the whole test binary: learning takes seconds.
var real struct {
	once  sync.Once
	m     *Matcher
	err   error
	cache string // where it was cached: TestACachedModelAnswersAsTheLearnedOne reads it back
}

// realMatcher returns the shipped FAQ's matcher as of now.
func realMatcher(tb testing.TB, now time.Time) *Matcher {
	tb.Helper()
	real.once.Do(func() {
		if real.cache, real.err = os.MkdirTemp("", "answers-cache-"); real.err == nil {
			real.m, real.err = Load("../../data/faq.yaml", WithCache(real.cache))
		}
	})
	if real.err != nil {
		tb.Fatalf("load the shipped FAQ: %v", real.err)
	}
	return real.m.At(func() time.Time { return now })
}

// The three days of the clock tests: the call open, closed, the programme over.
var (
	dayOpen   = paris(2021, time.November, 29, 10)
	dayClosed = paris(2022, time.June, 1, 10)
	dayEnded  = paris(2026, time.December, 1, 10)
)

// TestMain removes the shared matcher's cache once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if real.cache != "" {
		os.RemoveAll(real.cache)
	}
	os.Exit(code)
}
