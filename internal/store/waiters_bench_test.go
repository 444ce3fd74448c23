package store

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkRecordQuestionWaiters records questions from 50 goroutines, as
// 50 acknowledgements in flight do, and reports the p50 and p99 of one
// call. The store has one connection, and database/sql hands a freed
// connection to a random waiter (connRequestSet.TakeRandom): "fifo"
// queues callers in a channel first, whose waiters are served in order,
// to show what that order is worth for the tail.
func BenchmarkRecordQuestionWaiters(b *testing.B) {
	for _, fifo := range []bool{false, true} {
		name := "random"
		if fifo {
			name = "fifo"
		}
		b.Run(name, func(b *testing.B) {
			s, err := Open(b.Context(), filepath.Join(b.TempDir(), "bot.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			gate := make(chan struct{}, 1)
			var n atomic.Int64
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism(max(1, 50/runtime.GOMAXPROCS(0))) // goroutines = parallelism × GOMAXPROCS
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var mine []time.Duration
				for pb.Next() {
					i := n.Add(1)
					q := question(fmt.Sprintf("Ev%d", i), fmt.Sprintf("D%d", i%50), fmt.Sprintf("1.%d", i))
					start := time.Now()
					if fifo {
						gate <- struct{}{}
					}
					_, _, err := s.RecordQuestion(b.Context(), q)
					if fifo {
						<-gate
					}
					mine = append(mine, time.Since(start))
					if err != nil {
						b.Error(err)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			slices.Sort(lat)
			if len(lat) > 0 {
				at := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(at(0.50), "p50-ms")
				b.ReportMetric(at(0.99), "p99-ms")
			}
		})
	}
}
