package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/slackfake"
)

// TestServeHandsOverToStaff runs `bot serve` with a staff channel: a
// question the bot cannot answer gets the fallback, then a card in the
// staff channel within 10 s; staff take it, the card shows who; the
// figures reach bot stats --json and /metrics.
func TestServeHandsOverToStaff(t *testing.T) {
	fake := slackfake.New(t)
	fake.Answer("chat.getPermalink", func(slackfake.Call) any {
		return map[string]any{"ok": true, "permalink": "https://bin.slack.com/archives/D1/p11"}
	})
	fake.Answer("chat.update", nil)
	addr := freeAddr(t)
	dbURL := filepath.Join(t.TempDir(), "bot.db")
	env := map[string]string{
		"BOT_FAQ": "../../internal/slackapp/testdata/faq.yaml", "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": fake.URL, "DATABASE_URL": dbURL, "BOT_ADDR": addr,
		"BOT_STAFF_IDS": "USTAFF", "BOT_STAFF_CHANNEL": "CSTAFF",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, t.Output())
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	base := "http://" + addr
	waitHealthy(t, base, done)
	post := func(path, contentType, body string) {
		t.Helper()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", signFor("secret", ts, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("POST %s = %v, %v", path, resp, err)
		}
		resp.Body.Close()
	}
	post("/slack/events", "application/json",
		`{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"D1","channel_type":"im","user":"U1","ts":"1.1","text":"xyzzy plugh"}}`)
	if p := fake.Next(t); p.Get("channel") != "D1" {
		t.Fatalf("fallback posted %v", p)
	}
	asked := time.Now()
	card := fake.Next(t)
	if card.Get("channel") != "CSTAFF" || !strings.Contains(card.Get("blocks"), "xyzzy plugh") ||
		!strings.Contains(card.Get("blocks"), "https://bin.slack.com/archives/D1/p11") {
		t.Fatalf("card = %v", card)
	}
	if waited := time.Since(asked); waited > 10*time.Second {
		t.Errorf("card posted after %s, want within 10 s", waited)
	}
	payload, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": "USTAFF"},
		"trigger_id": "trig", "response_url": fake.ResponseURL,
		"actions": []map[string]any{{"action_id": "handoff_claim", "block_id": "handoff-1", "type": "button", "value": "1"}}})
	post("/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(payload)}}.Encode())
	up := fake.NextCall(t, "chat.update")
	if !strings.Contains(up.Form.Get("blocks"), `Pris en charge par \u003c@USTAFF\u003e`) {
		t.Errorf("chat.update got %v", up.Form)
	}
	out, _, err := runWith(t, map[string]string{"DATABASE_URL": dbURL, "BOT_FAQ": env["BOT_FAQ"]}, "stats", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var figures map[string]any
	if err := json.Unmarshal([]byte(out), &figures); err != nil || figures["handoffs"] != 1.0 || figures["handoffs_answered"] != 0.0 {
		t.Errorf("bot stats --json = %s (%v)", out, err)
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `bot_handoffs{figure="opened"}`) || !strings.Contains(string(body), `bot_handoff_events_total{event="claimed"} 1`) {
		t.Errorf("/metrics lacks the handoff figures:\n%s", body)
	}
}

// waitHealthy waits until serve answers /healthz.
func waitHealthy(t *testing.T, base string, done <-chan error) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-deadline:
			t.Fatal("serve not healthy within 10 s")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
