// Command loadtest measures `bot serve` on loopback: it starts a fake Slack
// Web API and the bot as a subprocess pointed at it, fires signed events,
// optionally makes Slack fail (5xx, 429 with Retry-After) or answer slowly,
// stops (SIGTERM) or kills (SIGKILL) the bot mid-run and restarts it on the
// same database, and reports ack latency, throughput, replies lost or
// duplicated, per-channel pacing and the bot's peak memory.
//
//	go run ./cmd/loadtest --events 2000 --concurrency 50 --channels 50 --check
//	go run ./cmd/loadtest --events 2000 --concurrency 50 --channels 50 --fail5xx 0.05 --fail429 0.05 --check
//	go run ./cmd/loadtest --events 2000 --concurrency 50 --channels 50 --slow 0.2 --slow-delay 2s --check
//	go run ./cmd/loadtest --events 2000 --rate 100 --channels 50 --kill --check
//	go run ./cmd/loadtest --events 2000 --database postgres://postgres@127.0.0.1:5432/test --check
//	go run ./cmd/loadtest --events 2000 --rate 100 --channels 200 --database postgres://postgres@127.0.0.1:5432/test \
//	    --replicas 2 --kill --max-recovery 15s --check
//
// Every socket it opens or points the bot at is on 127.0.0.1, and --timeout
// bounds the whole run.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// options are the knobs of one run.
type options struct {
	bot         string // bot binary; built from ./cmd/bot when empty
	faq         string
	database    string // postgres:// URL on loopback; "" for a SQLite file
	events      int
	rate        float64 // events per second; 0: closed loop
	concurrency int
	channels    int
	retries     float64 // share of events Slack sends twice (X-Slack-Retry-Num)
	mentions    float64 // share of events also sent as app_mention (same channel and ts)

	fail5xx    float64       // share of chat.postMessage calls answered 500/503
	fail429    float64       // share answered 429 with Retry-After
	retryAfter int           // seconds
	slow       float64       // share of chat.postMessage calls answered late
	slowDelay  time.Duration // how late

	replicas int     // bot serve processes on one database
	doubled  float64 // with replicas: share of deliveries also sent to a second replica

	restart bool          // SIGTERM mid-run, then a new bot on the same database
	kill    bool          // SIGKILL mid-run, then a new bot on the same database
	at      float64       // share of deliveries acknowledged before the stop or kill
	down    time.Duration // how long the bot stays down

	resendEvery time.Duration // wait before Slack sends an unacknowledged delivery again
	resends     int           // and how many times it does

	paceBound   time.Duration // least gap between two posts in one channel
	timeout     time.Duration
	check       bool
	maxP99      time.Duration
	maxRSS      int // MB
	maxRecovery time.Duration
	keep        bool
}

// interrupted says whether the run stops or kills the bot midway.
func (o options) interrupted() bool { return o.restart || o.kill }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bot, "bot", "", "bot binary (default: go build ./cmd/bot into a temp folder)")
	fs.StringVar(&o.faq, "faq", "data/faq.yaml", "faq.yaml for the bot and the questions sent")
	fs.StringVar(&o.database, "database", "", "a postgres:// URL on 127.0.0.1: the bot runs on a fresh schema there, dropped after the run (default: a SQLite file)")
	fs.IntVar(&o.events, "events", 1000, "questions to send")
	fs.Float64Var(&o.rate, "rate", 0, "deliveries per second (open loop); 0: closed loop, each sender sends its next one when the last is acknowledged")
	fs.IntVar(&o.concurrency, "concurrency", 50, "requests in flight at most")
	fs.IntVar(&o.channels, "channels", 100, "direct-message channels the questions come from")
	fs.Float64Var(&o.retries, "retries", 0.1, "share of events Slack delivers twice, as a retry")
	fs.Float64Var(&o.mentions, "mentions", 0.1, "share of events also delivered as app_mention")
	fs.Float64Var(&o.fail5xx, "fail5xx", 0, "share of chat.postMessage calls answered 500 or 503")
	fs.Float64Var(&o.fail429, "fail429", 0, "share of chat.postMessage calls answered 429 with Retry-After")
	fs.IntVar(&o.retryAfter, "retry-after", 1, "Retry-After seconds of the 429s")
	fs.Float64Var(&o.slow, "slow", 0, "share of chat.postMessage calls answered after --slow-delay")
	fs.DurationVar(&o.slowDelay, "slow-delay", 2*time.Second, "delay of the slow answers")
	fs.IntVar(&o.replicas, "replicas", 1, "bot serve processes on one database (PostgreSQL, --database, for more than one)")
	fs.Float64Var(&o.doubled, "doubled", 0.1, "with --replicas: share of deliveries the load balancer also sends to a second replica")
	fs.BoolVar(&o.restart, "restart", false, "stop the bot (replica 0) with SIGTERM mid-run and start a new one on the same database")
	fs.BoolVar(&o.kill, "kill", false, "kill the bot (replica 0) with SIGKILL (kill -9) mid-run and start a new one on the same database")
	fs.Float64Var(&o.at, "at", 0.5, "with --restart or --kill: share of deliveries acknowledged before the bot is stopped")
	fs.DurationVar(&o.down, "down", time.Second, "with --restart or --kill: how long the bot stays down")
	fs.DurationVar(&o.resendEvery, "resend-every", 200*time.Millisecond, "wait before an unacknowledged delivery is sent again, as Slack does")
	fs.IntVar(&o.resends, "resends", 50, "times an unacknowledged delivery is sent again")
	fs.DurationVar(&o.paceBound, "pace-bound", time.Second, "least gap between two posts in one channel")
	fs.DurationVar(&o.timeout, "timeout", 4*time.Minute, "bound on the whole run")
	fs.BoolVar(&o.check, "check", false, "exit 1 when a target is missed (see --max-p99, --max-rss)")
	fs.DurationVar(&o.maxP99, "max-p99", 50*time.Millisecond, "--check: ack p99 must be under this")
	fs.IntVar(&o.maxRSS, "max-rss", 80, "--check: the bot's peak RSS must be under this many MB (bot serve's target, model read from the cache)")
	fs.DurationVar(&o.maxRecovery, "max-recovery", 0, "--check with --kill or --restart: questions waiting at the interruption must all be answered within this (0: not checked)")
	fs.BoolVar(&o.keep, "keep", false, "keep the temp folder (database, bot log)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	r, err := measure(ctx, o, stderr)
	if err != nil {
		return err
	}
	r.print(stdout, o)
	if o.check {
		if problems := r.failures(o); len(problems) > 0 {
			return fmt.Errorf("targets missed: %v", problems)
		}
	}
	return nil
}

func (o options) validate() error {
	switch {
	case o.events <= 0 || o.concurrency <= 0 || o.channels <= 0:
		return errors.New("events, concurrency and channels must be positive")
	case o.replicas < 1 || o.replicas > 1 && o.database == "":
		return errors.New("--replicas must be at least 1, and more than 1 needs a PostgreSQL --database")
	case o.doubled < 0 || o.doubled > 1:
		return errors.New("--doubled must be in [0,1]")
	case o.rate < 0:
		return errors.New("rate must not be negative")
	case o.restart && o.kill:
		return errors.New("--restart and --kill are exclusive")
	case o.at <= 0 || o.at >= 1:
		return errors.New("--at must be between 0 and 1")
	case o.fail5xx < 0 || o.fail429 < 0 || o.fail5xx+o.fail429 > 1 || o.slow < 0 || o.slow > 1:
		return errors.New("failure and slow shares must be in [0,1]")
	case o.resends < 0 || o.resendEvery <= 0:
		return errors.New("--resends must not be negative and --resend-every must be positive")
	}
	return nil
}
