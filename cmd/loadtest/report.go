package main

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"time"
)

// report is what one run measured.
type report struct {
	deliveries, events    int
	fired                 fired
	p50, p90, p99, max    time.Duration
	lastReply             time.Duration // from the first event to the last reply
	answered, lost, dupes int
	why                   dupeReport
	slack                 counters
	pacePosts, paceTries  paceReport
	peakRSS, endRSS       int64         // kB
	learned               time.Duration // the model, learned before the run
	it                    *interruption
	recovery              recovery // with an interruption
	cpu                   cpuShare // while sending
	loadBefore, loadAfter string   // the machine's 1-minute load average
	timedOut              bool
}

func percentiles(lat []time.Duration) (p50, p90, p99, max time.Duration) {
	if len(lat) == 0 {
		return
	}
	lat = append([]time.Duration(nil), lat...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	return at(0.50), at(0.90), at(0.99), lat[len(lat)-1]
}

// eventsPerSecond is the questions acknowledged per second of sending.
func (r report) eventsPerSecond() float64 {
	if r.fired.took <= 0 {
		return 0
	}
	return float64(len(r.fired.threads)) / r.fired.took.Seconds()
}

func (r report) print(w io.Writer, o options) {
	mode := "closed loop"
	if o.rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f/s", o.rate)
	}
	fmt.Fprintf(w, "events:        %d questions in %d deliveries (retries %.0f%%, app_mention copies %.0f%%) over %d channels\n",
		r.events, r.deliveries, 100*o.retries, 100*o.mentions, o.channels)
	if o.replicas > 1 {
		by := make([]int, o.replicas)
		for _, i := range r.fired.ackedBy {
			by[i]++
		}
		fmt.Fprintf(w, "replicas:      %d bot serve on one database; each delivery to one at random, %.0f%% also to a second; first acks by replica %v\n",
			o.replicas, 100*o.doubled, by)
	}
	fmt.Fprintf(w, "sent:          %.2fs, %s, concurrency %d -> %.0f events/s (%.0f deliveries/s)\n",
		r.fired.took.Seconds(), mode, o.concurrency, r.eventsPerSecond(), float64(r.deliveries)/r.fired.took.Seconds())
	fmt.Fprintf(w, "acks:          %d questions acknowledged, %d never (resends exhausted); %d attempts refused or unanswered, %d resends\n",
		len(r.fired.threads), r.events-len(r.fired.threads), r.fired.refused, r.fired.resent)
	fmt.Fprintf(w, "ack latency:   p50 %s  p90 %s  p99 %s  max %s (%d acks)\n", ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max), len(r.fired.lat))
	if r.cpu.wall > 0 {
		fmt.Fprintf(w, "cpu (sending): bot %.2fs, load test %.2fs, of %.2fs on %d cores\n",
			r.cpu.bot.Seconds(), r.cpu.tool.Seconds(), r.cpu.wall.Seconds()*float64(runtime.NumCPU()), runtime.NumCPU())
	}
	if it := r.it; it != nil {
		fmt.Fprintf(w, "interrupted:   %s after %d acks; old bot gone in %s, down %s, new bot healthy %s after its start\n",
			it.signal, it.acked, ms(it.exited.Sub(it.signalled)), it.restarted.Sub(it.exited).Round(time.Millisecond),
			ms(it.healthy.Sub(it.restarted)))
		rc := r.recovery
		fmt.Fprintf(w, "recovery:      at the %s %d questions were acknowledged and not yet answered (%d acknowledged by the killed replica); latest answer %.2fs after it (of the killed replica's: %.2fs); %d never answered\n",
			it.signal, rc.waiting, rc.byKilled, rc.max.Seconds(), rc.maxKilled.Seconds(), rc.unreplied)
	}
	fmt.Fprintf(w, "slack:         %d chat.postMessage calls; injected %d 5xx, %d 429 (Retry-After %ds), %d slow by %s (%d callers gone before the answer)\n",
		r.slack.calls, r.slack.injected5, r.slack.injected429, o.retryAfter, r.slack.slowed, o.slowDelay, r.slack.abandoned)
	fmt.Fprintf(w, "replies:       %d answered, %d lost, %d duplicated; last reply %.1fs after the first event\n",
		r.answered, r.lost, r.dupes, r.lastReply.Seconds())
	if r.dupes > 0 {
		fmt.Fprintf(w, "duplicates:    %d threads; %d extra replies posted before the kill, not marked delivered, posted again after the restart; %d unexplained %v\n",
			r.why.threads, r.why.explained, len(r.why.unexplained), firstN(r.why.unexplained, 5))
	}
	for _, p := range []struct {
		name string
		r    paceReport
	}{{"replies", r.pacePosts}, {"all calls", r.paceTries}} {
		fmt.Fprintf(w, "pacing:        %-9s bound %s: %d channels, %d gaps, min gap %s (%s), %d under the bound",
			p.name, o.paceBound, p.r.channels, p.r.gaps, ms(p.r.minGap), p.r.minChannel, p.r.violations)
		if r.it != nil || o.replicas > 1 {
			fmt.Fprintf(w, "; %d under it between two processes", p.r.acrossProcesses)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "bot model:     learned in %.1fs before the run; every bot process reads it from the run's cache\n", r.learned.Seconds())
	fmt.Fprintf(w, "bot memory:    peak RSS (VmHWM, highest of every bot) %.1f MB, at end %.1f MB\n",
		float64(r.peakRSS)/1024, float64(r.endRSS)/1024)
	fmt.Fprintf(w, "machine:       %d cores, load average %s at the start, %s at the end\n", runtime.NumCPU(), r.loadBefore, r.loadAfter)
	if r.timedOut {
		fmt.Fprintf(w, "TIMED OUT after %s: the figures above are partial\n", o.timeout)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func firstN(s []string, n int) []string { return s[:min(n, len(s))] }

// failures lists the targets missed. Refused acks and duplicates are only
// excused by what an interruption explains: connections refused while
// the bot was down, and posts a kill left unrecorded.
func (r report) failures(o options) []string {
	var out []string
	if r.timedOut {
		out = append(out, "run timed out")
	}
	if r.p99 >= o.maxP99 {
		out = append(out, fmt.Sprintf("ack p99 >= %s", o.maxP99))
	}
	if r.fired.refused > 0 && r.it == nil {
		out = append(out, "non-200 acks")
	}
	if len(r.fired.threads) < r.events {
		out = append(out, "questions never acknowledged")
	}
	if r.lost > 0 {
		out = append(out, "replies lost")
	}
	if r.dupes > r.why.explained {
		out = append(out, "replies duplicated")
	}
	if r.it != nil && o.maxRecovery > 0 && (r.recovery.max >= o.maxRecovery || r.recovery.unreplied > 0) {
		out = append(out, fmt.Sprintf("questions waiting at the %s not all answered within %s", r.it.signal, o.maxRecovery))
	}
	if r.pacePosts.violations > 0 || r.paceTries.violations > 0 {
		out = append(out, "per-channel pacing bound broken")
	}
	if r.peakRSS <= 0 || r.peakRSS >= int64(o.maxRSS)*1024 {
		out = append(out, fmt.Sprintf("peak RSS >= %d MB", o.maxRSS))
	}
	return out
}
