package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// TestServe runs the real command against a fake Slack, on each backend: a
// signed question in, a threaded reply out, then a clean stop on
// cancellation.
func TestServe(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { testServe(t, b.URL(t)) })
	}
}

func testServe(t *testing.T, dbURL string) {
	fake := slackfake.New(t)
	fake.Answer("views.publish", nil)
	fake.ServeUploads()
	addr := freeAddr(t)
	env := map[string]string{
		"BOT_STAFF_IDS":        "USTAFF",
		"BOT_FAQ":              "../../internal/slackapp/testdata/faq.yaml",
		"SLACK_BOT_TOKEN":      "xoxb-test",
		"SLACK_SIGNING_SECRET": "secret",
		"SLACK_API_URL":        strings.TrimSuffix(fake.URL, "/"), // serve adds it
		"DATABASE_URL":         dbURL,
		"BOT_ADDR":             addr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, &stderr)
	}()

	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve not healthy: %v\n%s", err, <-done)
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}

	postEvent := func(body string) {
		t.Helper()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest("POST", base+"/slack/events", strings.NewReader(body))
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", signFor("secret", ts, body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("POST /slack/events = %v, %v", resp, err)
		}
		resp.Body.Close()
	}
	postEvent(`{"type":"event_callback","event_id":"Ev1","event":{"type":"message","channel":"D1","channel_type":"im","user":"U1","ts":"1.1","text":"Quel est le salaire ?"}}`)
	if p := fake.Next(t); p.Get("channel") != "D1" || p.Get("thread_ts") != "1.1" || !strings.Contains(p.Get("text"), "https://example.gouv.fr/candidater") {
		t.Errorf("posted %v", p)
	}
	// The staff's Home: published with the chart uploaded for it.
	postEvent(`{"type":"event_callback","event_id":"Ev2","event":{"type":"app_home_opened","user":"USTAFF","channel":"D2","tab":"home","event_ts":"2.1"}}`)
	up := fake.NextUpload(t)
	if c := fake.NextCall(t, "views.publish"); !strings.Contains(string(c.JSON), `"user_id":"USTAFF"`) ||
		!strings.Contains(string(c.JSON), `"slack_file":{"id":"`+up.FileID+`"}`) {
		t.Errorf("views.publish %s", c.JSON)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	if strings.Contains(stderr.String(), "xoxb-test") || strings.Contains(stderr.String(), "secret") {
		t.Errorf("a secret was logged:\n%s", stderr.String())
	}
}

func TestServeNeedsItsSecrets(t *testing.T) {
	cases := []map[string]string{
		{},
		{"SLACK_BOT_TOKEN": "xoxb-test"},
	}
	for _, env := range cases {
		err := run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
		if err == nil {
			t.Errorf("serve with %v started", env)
		}
	}
}

func signFor(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// freeAddr is a local address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeOpsAddr: with BOT_OPS_ADDR, /healthz and /metrics move there
// and leave the address Slack calls.
func TestServeOpsAddr(t *testing.T) {
	fake := slackfake.New(t)
	addr, ops := freeAddr(t), freeAddr(t)
	env := map[string]string{
		"BOT_FAQ": "../../internal/slackapp/testdata/faq.yaml", "SLACK_BOT_TOKEN": "xoxb-test",
		"SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": fake.URL,
		"DATABASE_URL": filepath.Join(t.TempDir(), "bot.db"), "BOT_ADDR": addr, "BOT_OPS_ADDR": ops,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()
	get := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	deadline := time.After(10 * time.Second)
	for get("http://"+ops+"/healthz") != 200 {
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v", err)
		case <-deadline:
			t.Fatal("ops address not healthy")
		case <-time.After(10 * time.Millisecond):
		}
	}
	if code := get("http://" + ops + "/metrics"); code != 200 {
		t.Errorf("ops /metrics = %d", code)
	}
	for _, path := range []string{"/healthz", "/metrics"} {
		if code := get("http://" + addr + path); code != 404 {
			t.Errorf("%s on BOT_ADDR = %d, want 404 once moved", path, code)
		}
	}
	resp, err := http.Post("http://"+addr+"/slack/events", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != 401 {
		t.Errorf("unsigned /slack/events on BOT_ADDR = %v, %v; want 401", resp, err)
	} else {
		resp.Body.Close()
	}
}
