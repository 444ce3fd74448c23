package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// delivery is one HTTP request Slack would make: an event, maybe a retry
// of one or its app_mention copy.
type delivery struct {
	body  []byte
	retry string
}

// events builds the deliveries of n questions from DM channels, with
// retries and app_mention copies mixed in, and the threads that must get
// exactly one reply each.
func events(o options, questions []string) ([]delivery, map[string]bool) {
	rng := mrand.New(mrand.NewPCG(3, 4))
	expected := map[string]bool{}
	var out []delivery
	for i := range o.events {
		channel := fmt.Sprintf("D%06d", i%o.channels)
		ts := fmt.Sprintf("1700000000.%06d", i)
		text := questions[i%len(questions)]
		expected[channel+" "+ts] = true
		ev := map[string]any{"type": "message", "channel": channel, "channel_type": "im", "user": fmt.Sprintf("U%05d", i%997),
			"ts": ts, "event_ts": ts, "text": text}
		d := delivery{body: envelope(fmt.Sprintf("Ev%07d", i), ev)}
		out = append(out, d)
		if rng.Float64() < o.retries {
			out = append(out, delivery{body: d.body, retry: "1"})
		}
		if rng.Float64() < o.mentions {
			mention := map[string]any{"type": "app_mention", "channel": channel, "user": ev["user"], "ts": ts,
				"event_ts": ts, "text": "<@UBOT> " + text}
			out = append(out, delivery{body: envelope(fmt.Sprintf("Ev%07dm", i), mention)})
		}
	}
	return out, expected
}

func envelope(eventID string, ev map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
		"event_id": eventID, "event_time": 1700000000, "event": ev,
		"authorizations": []map[string]any{{"team_id": "T1", "user_id": "UBOT", "is_bot": true}}})
	return b
}

// fire sends the deliveries at the target rate with at most c in flight,
// and returns each one's ack latency and the non-200 answers.
func fire(ctx context.Context, base, secret string, ds []delivery, rate float64, c int) (lat []time.Duration, bad int, took time.Duration) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c, MaxConnsPerHost: c}}
	jobs := make(chan delivery)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				ts := strconv.FormatInt(time.Now().Unix(), 10)
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/slack/events", strings.NewReader(string(d.body)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sign(secret, ts, d.body))
				if d.retry != "" {
					req.Header.Set("X-Slack-Retry-Num", d.retry)
					req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
				}
				start := time.Now()
				resp, err := client.Do(req)
				elapsed := time.Since(start)
				ok := err == nil && resp.StatusCode == http.StatusOK
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				lat = append(lat, elapsed)
				if !ok {
					bad++
				}
				mu.Unlock()
			}
		}()
	}
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	for i, d := range ds {
		// Open loop: event i leaves at start + i*interval, late or not.
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
	return lat, bad, time.Since(start)
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
