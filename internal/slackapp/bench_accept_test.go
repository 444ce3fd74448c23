package slackapp

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
)

// discardLog keeps the bot's log formatting (it is part of the cost) but
// not its output.
func discardLog(s setup) {
	s.deps.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
}

// BenchmarkAcceptEvent times what acknowledging one question costs the
// bot: signature, parsing, recording in SQLite, the hand-off to the queue.
// Run it with -cpuprofile to see where an ack's time goes.
func BenchmarkAcceptEvent(b *testing.B) {
	ta := newTestApp(b, newFakeSlack(b), "", false, discardLog)
	i := 0
	for b.Loop() {
		i++
		ts := fmt.Sprintf("1700000000.%06d", i)
		body := callback(fmt.Sprintf("Ev%d", i), message(fmt.Sprintf("D%d", i%50), "im", "U1", ts, "Quel est le salaire ?"))
		if w := ta.serve(signed("POST", "/slack/events", "application/json", body)); w.Code != http.StatusOK {
			b.Fatalf("POST /slack/events = %d", w.Code)
		}
	}
}

// BenchmarkAcceptEventParallel does the same from 50 goroutines, as the
// load test's closed loop at concurrency 50 does over HTTP.
func BenchmarkAcceptEventParallel(b *testing.B) {
	ta := newTestApp(b, newFakeSlack(b), "", false, discardLog)
	var n atomic.Int64
	b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0))) // goroutines = parallelism × GOMAXPROCS
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			ts := fmt.Sprintf("1700000000.%06d", i)
			body := callback(fmt.Sprintf("Ev%d", i), message(fmt.Sprintf("D%d", i%50), "im", "U1", ts, "Quel est le salaire ?"))
			if w := ta.serve(signed("POST", "/slack/events", "application/json", body)); w.Code != http.StatusOK {
				b.Errorf("POST /slack/events = %d", w.Code)
				return
			}
		}
	})
}
