package answers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach runs job(0..n-1) on every core.
func forEach(n int, job func(i int)) {
	forEachWorker(n, func() func(i int) { return job })
}

// forEachWorker runs jobs 0..n-1 on every core, each worker with the job
// newJob makes for it (and the state it holds, a scratch space). The
// workers take the next job from a shared count: jobs are often a few
// microseconds, too short for a channel's handoff.
func forEachWorker(n int, newJob func() func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			job := newJob()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				job(i)
			}
		})
	}
	wg.Wait()
}

// evalChunks is how many slices an evaluation over the examples is cut
// into: a constant, so that the sums, added slice by slice in order, are the
// same on any number of cores (a laptop and the server learn one model).
const evalChunks = 4

// inChunks runs job on evalChunks contiguous slices of 0..n-1, the k-th
// given lo..hi, on as many goroutines as there are cores (up to evalChunks).
func inChunks(n int, job func(k, lo, hi int)) {
	next := make(chan int, evalChunks)
	for k := range evalChunks {
		next <- k
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), evalChunks) {
		wg.Go(func() {
			for k := range next {
				job(k, k*n/evalChunks, (k+1)*n/evalChunks)
			}
		})
	}
	wg.Wait()
}
