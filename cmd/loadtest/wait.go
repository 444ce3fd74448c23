package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// settleFor is how long the bot must stay idle, every thread answered and
// its queue empty, before the run counts replies: a late duplicate would
// come in that time.
const settleFor = 2 * time.Second

// waitReplies waits until every acknowledged thread has a reply and the
// bots' queue (one figure for all replicas) has been empty for settleFor,
// or ctx ends. bases are the replicas up.
func waitReplies(ctx context.Context, fake *fakeSlack, threads map[string]bool, bases func() []string) {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	var idleSince time.Time
	for ctx.Err() == nil {
		answered, _, _, _ := fake.tally(threads, threads)
		depth, err := -1, error(nil)
		for _, base := range bases() {
			if depth, err = queueDepth(ctx, client, base); err == nil {
				break
			}
		}
		switch {
		case answered < len(threads) || err != nil || depth != 0:
			idleSince = time.Time{}
		case idleSince.IsZero():
			idleSince = time.Now()
		case time.Since(idleSince) >= settleFor:
			return
		}
		select {
		case <-ctx.Done():
		case <-fake.changed:
			idleSince = time.Time{}
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// queueDepth reads bot_queue_depth from the bot's /metrics.
func queueDepth(ctx context.Context, client *http.Client, base string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/metrics", nil)
	if err != nil {
		return 0, fmt.Errorf("metrics: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "bot_queue_depth "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return 0, fmt.Errorf("metrics: bot_queue_depth %q: %w", v, err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("metrics: no bot_queue_depth")
}
