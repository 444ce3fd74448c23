package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/betagouv/bin-bot/internal/answers"
)

// measure runs one load test: fake Slack up, bot up, deliveries fired
// (with the bot stopped or killed midway if asked), every reply waited
// for, then the figures gathered.
func measure(ctx context.Context, o options, logw io.Writer) (r report, err error) {
	faq, err := answers.LoadFile(o.faq)
	if err != nil {
		return r, err
	}
	var questions []string
	for _, e := range faq.Entries {
		questions = append(questions, e.Question.Value)
	}
	if len(questions) == 0 {
		return r, fmt.Errorf("no questions in %s", o.faq)
	}
	dir, err := os.MkdirTemp("", "bot-loadtest-")
	if err != nil {
		return r, fmt.Errorf("temp folder: %w", err)
	}
	defer func() {
		if o.keep || err != nil {
			fmt.Fprintln(logw, "kept temp folder (database, bot.log):", dir)
			return
		}
		os.RemoveAll(dir)
	}()
	bin := o.bot
	if bin == "" {
		if bin, err = buildBot(ctx, dir, logw); err != nil {
			return r, err
		}
	}
	fake, err := startFakeSlack(faults{fail5xx: o.fail5xx, fail429: o.fail429, retryAfter: o.retryAfter,
		slow: o.slow, slowDelay: o.slowDelay})
	if err != nil {
		return r, err
	}
	defer fake.srv.Close()

	addrs := make([]string, o.replicas)
	for i := range addrs {
		if addrs[i], err = freeLoopbackAddr(); err != nil {
			return r, err
		}
	}
	secret := randomSecret()
	logFile, err := os.Create(filepath.Join(dir, "bot.log"))
	if err != nil {
		return r, fmt.Errorf("bot log: %w", err)
	}
	defer logFile.Close()
	db, err := openRunDatabase(ctx, o.database, dir)
	if err != nil {
		return r, err
	}
	defer func() {
		if o.keep || err != nil {
			fmt.Fprintln(logw, "kept the database:", db.url)
			return
		}
		if err := db.drop(context.WithoutCancel(ctx)); err != nil {
			fmt.Fprintln(logw, "drop the run's schema:", err)
		}
	}()
	// The model is learned once, before the run, into the run's cache, as a
	// deployment's first start would: every bot process of the run (a
	// restarted one too) reads it, so what is measured is serving.
	cache := filepath.Join(dir, "cache")
	env := func(addr, proc string) []string {
		return botEnv(os.Environ(), secret, fake.url, db.url, cache, addr, proc)
	}
	learnStart := time.Now()
	if err := learnModel(ctx, bin, o.faq, env("127.0.0.1:0", "learn"), logFile); err != nil {
		return r, err
	}
	r.learned = time.Since(learnStart)
	sup := newSupervisor(botSetup{bin: bin, faq: o.faq, log: logFile, addrs: addrs, env: env})
	if err := sup.startAll(ctx); err != nil {
		return r, err
	}
	stopped := false
	defer func() {
		if !stopped {
			sup.stop()
		}
	}()

	r.loadBefore = loadAverage()
	ds, threads := events(o, questions)
	r.deliveries, r.events = len(ds), len(threads)
	fr := newFirer(sup.bases(), secret, o)
	sent := make(chan struct{})
	itc := make(chan *interruption, 1)
	if o.interrupted() {
		threshold := int64(o.at * float64(len(ds)))
		go func() { itc <- sup.interruptWhen(ctx, &fr.acked, threshold, o.kill, o.down, sent) }()
	} else {
		itc <- nil
	}
	var pids []int
	for _, p := range sup.current() {
		pids = append(pids, p.cmd.Process.Pid)
	}
	meter := startCPU(pids)
	start := time.Now()
	r.fired = fr.fire(ctx, ds, o.rate, o.concurrency)
	close(sent)
	r.it = <-itc
	if r.it == nil { // else the bot measured at the start is gone
		r.cpu, _ = meter.stop()
	}
	if r.it != nil && r.it.err != nil {
		return r, r.it.err
	}
	if o.interrupted() && r.it == nil {
		fmt.Fprintln(logw, "the bot was not interrupted: sending ended before --at was reached")
	}
	r.p50, r.p90, r.p99, r.max = percentiles(r.fired.lat)

	waitReplies(ctx, fake, r.fired.threads, sup.bases)
	r.timedOut = ctx.Err() != nil
	var last time.Time
	r.answered, r.lost, r.dupes, last = fake.tally(r.fired.threads, threads)
	if !last.IsZero() {
		r.lastReply = last.Sub(start)
	}
	r.slack = fake.counters()

	// The database is read once the bot has stopped and let go of it.
	sup.stop()
	stopped = true
	r.peakRSS, r.endRSS = sup.rss.figures()
	r.loadAfter = loadAverage()
	var interrupted string // the process stopped or killed, if any
	if r.it != nil {
		interrupted = r.it.proc
		r.recovery = recoveryAfter(r.it.signalled, r.fired, fake.firstReplies())
	}
	recorded, err := db.recordedReplies(context.WithoutCancel(ctx))
	if err != nil {
		return r, err
	}
	r.why = explainDuplicates(fake.duplicates(), interrupted, recorded)
	posts, tries := fake.times()
	r.pacePosts = pacing(posts, o.paceBound)
	r.paceTries = pacing(tries, o.paceBound)
	return r, nil
}

// botEnv is the bot's environment: the tool's own, without proxies (every
// call stays on loopback) or settings of a real bot, then the run's; proc
// names the process in its token.
func botEnv(base []string, secret, slackURL, dbURL, cache, addr, proc string) []string {
	var env []string
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		switch u := strings.ToUpper(k); {
		case strings.HasSuffix(u, "_PROXY"), strings.HasPrefix(u, "SLACK_"), strings.HasPrefix(u, "BOT_"), u == "DATABASE_URL":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "SLACK_BOT_TOKEN="+tokenPrefix+proc, "SLACK_SIGNING_SECRET="+secret,
		"SLACK_API_URL="+slackURL, "DATABASE_URL="+dbURL, "BOT_CACHE="+cache, "BOT_ADDR="+addr)
}

// learnModel has the bot learn its model into the cache its environment
// names (bot ask learns it, keeps it, and answers one question).
func learnModel(ctx context.Context, bin, faq string, env []string, log io.Writer) error {
	cmd := exec.CommandContext(ctx, bin, "ask", "--faq", faq, "bonjour")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("learn the model before the run: %w", err)
	}
	return nil
}
