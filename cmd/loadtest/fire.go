package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// firer sends deliveries to the bot as Slack does: signed, and sent again
// (X-Slack-Retry-Num one higher) while they are not acknowledged with 200.
type firer struct {
	urls        []string // each replica's /slack/events
	secret      string
	client      *http.Client
	resendEvery time.Duration
	resends     int
	acked       atomic.Int64 // deliveries acknowledged so far; the interrupter watches it
}

// fired is what sending the deliveries measured.
type fired struct {
	lat     []time.Duration      // ack latency of every 200
	refused int                  // attempts answered other than 200, or not at all
	resent  int                  // attempts that were a delivery sent again
	unacked int                  // deliveries never acknowledged, resends exhausted
	threads map[string]bool      // threads with a delivery acknowledged
	ackedAt map[string]time.Time // each such thread's first acknowledgement
	ackedBy map[string]int       // and the replica that gave it
	took    time.Duration        // from the first send to the last answer
}

// newFirer sends to the replicas at bases.
func newFirer(bases []string, secret string, o options) *firer {
	// No Proxy: the bot is on loopback and nothing may leave the machine.
	tr := &http.Transport{MaxIdleConnsPerHost: o.concurrency, MaxConnsPerHost: o.concurrency}
	var urls []string
	for _, b := range bases {
		urls = append(urls, b+"/slack/events")
	}
	return &firer{urls: urls, secret: secret, client: &http.Client{Timeout: 10 * time.Second, Transport: tr},
		resendEvery: o.resendEvery, resends: o.resends}
}

// fire sends ds with at most c in flight. With rate > 0 delivery i leaves
// at start + i/rate, late or not (open loop); with rate 0 each of the c
// senders sends its next delivery when the last one is acknowledged
// (closed loop).
func (f *firer) fire(ctx context.Context, ds []delivery, rate float64, c int) fired {
	out := fired{threads: map[string]bool{}, ackedAt: map[string]time.Time{}, ackedBy: map[string]int{}}
	jobs := make(chan delivery)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				r := f.deliver(ctx, d)
				mu.Lock()
				out.lat = append(out.lat, r.lat...)
				out.refused += r.refused
				out.resent += r.resent
				if r.ok {
					out.threads[d.thread] = true
					if at, ok := out.ackedAt[d.thread]; !ok || r.at.Before(at) {
						out.ackedAt[d.thread], out.ackedBy[d.thread] = r.at, r.by
					}
				} else {
					out.unacked++
				}
				mu.Unlock()
			}
		}()
	}
	var interval time.Duration
	if rate > 0 {
		interval = time.Duration(float64(time.Second) / rate)
	}
	for i, d := range ds {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil {
			break
		}
		jobs <- d
	}
	close(jobs)
	wg.Wait()
	out.took = time.Since(start)
	return out
}

// attempts is what delivering one event took.
type attempts struct {
	lat     []time.Duration
	refused int
	resent  int
	ok      bool
	at      time.Time // when the acknowledgement came
	by      int       // from which replica
}

// deliver sends d until it is acknowledged, the resends run out or ctx
// ends. Each resend goes to the next replica, as a load balancer steers
// away from one that failed. Only 200 answers count as latencies: a
// refused connection while the bot is down measures nothing about the bot.
func (f *firer) deliver(ctx context.Context, d delivery) (a attempts) {
	for n := 0; ; n++ {
		retry := d.retry
		if n > 0 {
			retry += n
			a.resent++
		}
		to := (d.replica + n) % len(f.urls)
		lat, err := f.send(ctx, f.urls[to], d.body, retry)
		if err == nil {
			f.acked.Add(1)
			a.lat = append(a.lat, lat)
			a.ok, a.at, a.by = true, time.Now(), to
			return a
		}
		a.refused++
		if n >= f.resends || ctx.Err() != nil {
			return a
		}
		select {
		case <-ctx.Done():
			return a
		case <-time.After(f.resendEvery):
		}
	}
}

// send makes one signed request and returns how long the bot took to
// answer 200.
func (f *firer) send(ctx context.Context, url string, body []byte, retry int) (time.Duration, error) {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("event request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(f.secret, ts, body))
	if retry > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
		req.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
	start := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("send event: %w", err)
	}
	// Read to the end so the connection is reused, and time that too: the
	// ack is the whole answer.
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	elapsed := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("send event: status %d", resp.StatusCode)
	}
	return elapsed, nil
}

func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

func randomSecret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
