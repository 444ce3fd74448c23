// Command loadtest measures `bot serve` on loopback: it starts a fake Slack
// Web API and the bot as a subprocess pointed at it, fires signed events,
// optionally makes Slack fail with 5xx and 429, and reports ack latency,
// throughput, replies lost or duplicated and the bot's peak memory.
//
//	go run ./cmd/loadtest --events 2000 --rate 200 --channels 200
//	go run ./cmd/loadtest --events 1000 --rate 200 --fail5xx 0.2 --fail429 0.1
package main

import (
	"context"
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
	events      int
	rate        float64 // events per second
	concurrency int
	channels    int
	retries     float64 // share of events Slack sends twice (X-Slack-Retry-Num)
	mentions    float64 // share of events also sent as app_mention (same channel and ts)
	fail5xx     float64 // share of chat.postMessage calls answered 500/503
	fail429     float64 // share answered 429 with Retry-After
	retryAfter  int     // seconds
	timeout     time.Duration
	restart     bool
	check       bool
	keep        bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.bot, "bot", "", "bot binary (default: go build ./cmd/bot into a temp folder)")
	fs.StringVar(&o.faq, "faq", "data/faq.yaml", "faq.yaml for the bot and the questions sent")
	fs.IntVar(&o.events, "events", 1000, "events to send")
	fs.Float64Var(&o.rate, "rate", 200, "events per second")
	fs.IntVar(&o.concurrency, "concurrency", 32, "requests in flight at most")
	fs.IntVar(&o.channels, "channels", 100, "direct-message channels the events come from")
	fs.Float64Var(&o.retries, "retries", 0.1, "share of events Slack delivers twice, as a retry")
	fs.Float64Var(&o.mentions, "mentions", 0.1, "share of events also delivered as app_mention")
	fs.Float64Var(&o.fail5xx, "fail5xx", 0, "share of chat.postMessage calls answered 500 or 503")
	fs.Float64Var(&o.fail429, "fail429", 0, "share of chat.postMessage calls answered 429 with Retry-After")
	fs.IntVar(&o.retryAfter, "retry-after", 1, "Retry-After seconds of the 429s")
	fs.DurationVar(&o.timeout, "timeout", 3*time.Minute, "bound on the whole run")
	fs.BoolVar(&o.restart, "restart", false, "stop the bot with SIGTERM halfway and start a new one on the same database")
	fs.BoolVar(&o.check, "check", false, "exit 1 unless ack p99 < 20ms, 0 lost, 0 duplicated, RSS < 60 MB")
	fs.BoolVar(&o.keep, "keep", false, "keep the temp folder (database, bot log)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.events <= 0 || o.rate <= 0 || o.concurrency <= 0 || o.channels <= 0 {
		return fmt.Errorf("events, rate, concurrency and channels must be positive")
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	r, err := measure(ctx, o, stderr)
	if err != nil {
		return err
	}
	r.print(stdout, o)
	if o.check {
		if problems := r.failures(); len(problems) > 0 {
			return fmt.Errorf("targets missed: %v", problems)
		}
	}
	return nil
}
