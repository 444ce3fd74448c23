package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/betagouv/bin-bot/internal/answers"
)

// report is what one run measured.
type report struct {
	deliveries, events     int
	bad                    int
	p50, p90, p99, max     time.Duration
	sendTook               time.Duration
	lastReply              time.Duration // from the first event to the last reply
	answered, lost, dupes  int
	injected5, injected429 int
	calls                  int
	peakRSS, endRSS        int64 // kB
}

func measure(ctx context.Context, o options, logw io.Writer) (r report, err error) {
	faq, err := answers.LoadFile(o.faq)
	if err != nil {
		return r, err
	}
	var questions []string
	for _, e := range faq.Entries {
		questions = append(questions, e.Question.Value)
	}
	dir, err := os.MkdirTemp("", "bot-loadtest-")
	if err != nil {
		return r, err
	}
	defer func() {
		if o.keep || err != nil {
			fmt.Fprintln(logw, "kept temp folder (database, bot.log):", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	bot := o.bot
	if bot == "" {
		bot = filepath.Join(dir, "bot")
		build := exec.CommandContext(ctx, "go", "build", "-o", bot, "./cmd/bot")
		build.Stdout, build.Stderr = logw, logw
		if err := build.Run(); err != nil {
			return r, fmt.Errorf("build bot: %w", err)
		}
	}
	fake, err := startFakeSlack(o.fail5xx, o.fail429, o.retryAfter)
	if err != nil {
		return r, err
	}
	defer fake.srv.Close()

	addr, err := freeLoopbackAddr()
	if err != nil {
		return r, err
	}
	secret := randomSecret()
	logFile, err := os.Create(filepath.Join(dir, "bot.log"))
	if err != nil {
		return r, err
	}
	defer logFile.Close()
	env := append(os.Environ(),
		"SLACK_BOT_TOKEN=xoxb-loadtest", "SLACK_SIGNING_SECRET="+secret, "SLACK_APP_TOKEN=",
		"SLACK_API_URL="+fake.url, "DATABASE_URL="+filepath.Join(dir, "bot.db"), "BOT_ADDR="+addr)
	base := "http://" + addr
	p, err := startBot(ctx, bot, o.faq, env, logFile, base)
	if err != nil {
		return r, err
	}
	defer func() { p.stop() }()

	ds, expected := events(o, questions)
	r.deliveries, r.events = len(ds), len(expected)
	start := time.Now()
	var lat []time.Duration
	if o.restart {
		// Half the events, then SIGTERM while replies are still queued
		// (channel pacing keeps a backlog), a new bot on the same
		// database, and the other half.
		half := len(ds) / 2
		l1, bad1, _ := fire(ctx, base, secret, ds[:half], o.rate, o.concurrency)
		stopped := time.Now()
		p.stop()
		fmt.Fprintf(logw, "restart: bot stopped by SIGTERM in %s; starting a new one\n", time.Since(stopped).Round(time.Millisecond))
		if p, err = startBot(ctx, bot, o.faq, env, logFile, base); err != nil {
			return r, err
		}
		l2, bad2, _ := fire(ctx, base, secret, ds[half:], o.rate, o.concurrency)
		lat, r.bad, r.sendTook = append(l1, l2...), bad1+bad2, time.Since(start)
	} else {
		var bad int
		lat, bad, r.sendTook = fire(ctx, base, secret, ds, o.rate, o.concurrency)
		r.bad = bad
	}
	r.p50, r.p90, r.p99, r.max = percentiles(lat)

	// Wait for every thread to be answered, then a little more to catch a
	// late duplicate.
	for {
		answered, _, _, _ := fake.tally(expected)
		if answered == len(expected) || ctx.Err() != nil {
			break
		}
		select {
		case <-fake.changed:
		case <-ctx.Done():
		case <-time.After(500 * time.Millisecond):
		}
	}
	select {
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
	}
	var last time.Time
	r.answered, r.lost, r.dupes, last = fake.tally(expected)
	if !last.IsZero() {
		r.lastReply = last.Sub(start)
	}
	fake.mu.Lock()
	r.injected5, r.injected429, r.calls = fake.injected5, fake.injected4, fake.calls
	fake.mu.Unlock()
	r.peakRSS, r.endRSS = memory(p.cmd.Process.Pid)
	return r, nil
}

// botProc is a running `bot serve`.
type botProc struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when it has exited
}

func startBot(ctx context.Context, bot, faq string, env []string, log io.Writer, base string) (*botProc, error) {
	cmd := exec.Command(bot, "serve", "--faq", faq)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start bot: %w", err)
	}
	p := &botProc{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(p.exited) }()
	if err := waitHealthy(ctx, base, p.exited); err != nil {
		p.stop()
		return nil, err
	}
	return p, nil
}

// stop sends SIGTERM and waits; a bot still running after 20s is killed.
func (p *botProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(ctx context.Context, base string, exited <-chan struct{}) error {
	deadline := time.After(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return fmt.Errorf("bot exited")
		case <-deadline:
			return fmt.Errorf("bot not healthy after 30s")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func percentiles(lat []time.Duration) (p50, p90, p99, max time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	return at(0.50), at(0.90), at(0.99), lat[len(lat)-1]
}

// memory reads the peak (VmHWM) and current (VmRSS) resident size in kB.
func memory(pid int) (peak, now int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmHWM":
			peak = n
		case "VmRSS":
			now = n
		}
	}
	return peak, now
}

func (r report) print(w io.Writer, o options) {
	fmt.Fprintf(w, "events:        %d questions in %d deliveries (retries %.0f%%, app_mention copies %.0f%%) over %d channels\n",
		r.events, r.deliveries, 100*o.retries, 100*o.mentions, o.channels)
	fmt.Fprintf(w, "sent:          %.1fs at target %.0f/s -> %.1f deliveries/s, concurrency %d, non-200 acks %d\n",
		r.sendTook.Seconds(), o.rate, float64(r.deliveries)/r.sendTook.Seconds(), o.concurrency, r.bad)
	fmt.Fprintf(w, "ack latency:   p50 %s  p90 %s  p99 %s  max %s\n", ms(r.p50), ms(r.p90), ms(r.p99), ms(r.max))
	fmt.Fprintf(w, "slack:         %d chat.postMessage calls, injected %d 5xx and %d 429 (Retry-After %ds)\n",
		r.calls, r.injected5, r.injected429, o.retryAfter)
	fmt.Fprintf(w, "replies:       %d answered, %d lost, %d duplicated; last reply %.1fs after the first event\n",
		r.answered, r.lost, r.dupes, r.lastReply.Seconds())
	fmt.Fprintf(w, "bot memory:    peak RSS (VmHWM) %.1f MB, at end %.1f MB\n", float64(r.peakRSS)/1024, float64(r.endRSS)/1024)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func (r report) failures() []string {
	var out []string
	if r.p99 >= 20*time.Millisecond {
		out = append(out, "ack p99 >= 20ms")
	}
	if r.bad > 0 {
		out = append(out, "non-200 acks")
	}
	if r.lost > 0 {
		out = append(out, "replies lost")
	}
	if r.dupes > 0 {
		out = append(out, "replies duplicated")
	}
	if r.peakRSS <= 0 || r.peakRSS >= 60*1024 {
		out = append(out, "peak RSS >= 60 MB")
	}
	return out
}
