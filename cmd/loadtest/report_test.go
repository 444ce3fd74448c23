package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFailures(t *testing.T) {
	o := options{maxP99: 50 * time.Millisecond, maxRSS: 60}
	good := report{events: 2, fired: fired{threads: map[string]bool{"a": true, "b": true}}, p99: 10 * time.Millisecond, peakRSS: 30 << 10}
	if got := good.failures(o); len(got) != 0 {
		t.Errorf("good run: %v", got)
	}
	cases := []struct {
		name string
		edit func(r *report)
		want string
	}{
		{"slow acks", func(r *report) { r.p99 = 50 * time.Millisecond }, "ack p99 >= 50ms"},
		{"refused without a restart", func(r *report) { r.fired.refused = 1 }, "non-200 acks"},
		{"never acknowledged", func(r *report) { r.events = 3 }, "questions never acknowledged"},
		{"lost", func(r *report) { r.lost = 1 }, "replies lost"},
		{"duplicated", func(r *report) { r.dupes = 1 }, "replies duplicated"},
		{"more duplicates than the kill explains", func(r *report) { r.dupes, r.why.explained = 2, 1 }, "replies duplicated"},
		{"paced too fast", func(r *report) { r.paceTries.violations = 1 }, "per-channel pacing bound broken"},
		{"memory", func(r *report) { r.peakRSS = 60 << 10 }, "peak RSS >= 60 MB"},
		{"no memory figure", func(r *report) { r.peakRSS = 0 }, "peak RSS >= 60 MB"},
		{"timed out", func(r *report) { r.timedOut = true }, "run timed out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := good
			r.fired.threads = good.fired.threads
			c.edit(&r)
			if got := r.failures(o); !slices.Contains(got, c.want) {
				t.Errorf("failures = %v, want %q", got, c.want)
			}
		})
	}
	// What a kill explains is no failure: refused connections while the
	// bot was down, posts it left unrecorded, early posts across the restart.
	killed := good
	killed.it = &interruption{signal: "SIGKILL"}
	killed.fired.refused, killed.dupes, killed.why.explained, killed.pacePosts.acrossProcesses = 40, 3, 3, 2
	if got := killed.failures(o); len(got) != 0 {
		t.Errorf("kill run: %v", got)
	}
	// With --max-recovery, the questions waiting at the kill must all be
	// answered in time.
	o.maxRecovery = 15 * time.Second
	killed.recovery = recovery{waiting: 10, max: 3 * time.Second}
	if got := killed.failures(o); len(got) != 0 {
		t.Errorf("kill run answered in 3s: %v", got)
	}
	for _, rc := range []recovery{{waiting: 10, max: 15 * time.Second}, {waiting: 10, max: time.Second, unreplied: 1}} {
		killed.recovery = rc
		if got := killed.failures(o); !slices.Contains(got, "questions waiting at the SIGKILL not all answered within 15s") {
			t.Errorf("recovery %+v: failures = %v", rc, got)
		}
	}
}

func TestBotEnvStaysOnLoopback(t *testing.T) {
	env := botEnv([]string{"PATH=/bin", "HTTPS_PROXY=http://proxy:3128", "http_proxy=http://proxy", "SLACK_API_URL=https://slack.com/api/",
		"SLACK_APP_TOKEN=xapp-1", "DATABASE_URL=postgres://x", "BOT_QUESTION_CHANNELS=C1", "BOT_CACHE=/var/cache/real", "HOME=/root"},
		"sec", "http://127.0.0.1:1/", "/tmp/x/bot.db", "/tmp/x/cache", "127.0.0.1:2", "r0.0")
	joined := strings.Join(env, "\n")
	for _, gone := range []string{"proxy", "xapp", "postgres", "slack.com", "C1", "/var/cache/real"} {
		if strings.Contains(joined, gone) {
			t.Errorf("%q survived in the bot's environment:\n%s", gone, joined)
		}
	}
	for _, kept := range []string{"PATH=/bin", "HOME=/root", "SLACK_API_URL=http://127.0.0.1:1/", "BOT_ADDR=127.0.0.1:2", "DATABASE_URL=/tmp/x/bot.db", "BOT_CACHE=/tmp/x/cache", "SLACK_BOT_TOKEN=xoxb-loadtest-r0.0"} {
		if !slices.Contains(env, kept) {
			t.Errorf("%q missing from the bot's environment", kept)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := options{events: 1, concurrency: 1, channels: 1, at: 0.5, resendEvery: time.Millisecond, replicas: 1}
	if err := ok.validate(); err != nil {
		t.Fatalf("valid options: %v", err)
	}
	for name, edit := range map[string]func(*options){
		"both stop modes":             func(o *options) { o.restart, o.kill = true, true },
		"at 1":                        func(o *options) { o.at = 1 },
		"no events":                   func(o *options) { o.events = 0 },
		"negative rate":               func(o *options) { o.rate = -1 },
		"failures > 1":                func(o *options) { o.fail5xx, o.fail429 = 0.6, 0.6 },
		"no replica":                  func(o *options) { o.replicas = 0 },
		"replicas on one SQLite file": func(o *options) { o.replicas = 2 },
	} {
		o := ok
		edit(&o)
		if o.validate() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRecoveryAfter(t *testing.T) {
	kill := time.Date(2025, 1, 1, 12, 0, 10, 0, time.UTC)
	at := func(s float64) time.Time { return kill.Add(time.Duration(s * float64(time.Second))) }
	f := fired{
		ackedAt: map[string]time.Time{"a": at(-5), "b": at(-1), "c": at(-1), "d": at(-0.5), "e": at(2)},
		ackedBy: map[string]int{"a": 0, "b": 0, "c": 1, "d": 1, "e": 1},
	}
	first := map[string]time.Time{
		"a": at(-4), // answered before the kill: not waiting
		"b": at(6),  // the killed replica's, answered 6s after
		"c": at(3),  // the other replica's, 3s after
		"e": at(3),  // acknowledged after the kill: not waiting
	} // d: never answered
	got := recoveryAfter(kill, f, first)
	want := recovery{waiting: 3, byKilled: 1, unreplied: 1, max: 6 * time.Second, maxKilled: 6 * time.Second}
	if got != want {
		t.Errorf("recoveryAfter = %+v, want %+v", got, want)
	}
}
