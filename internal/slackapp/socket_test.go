package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/console"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
	"github.com/slack-go/slack/socketmode"
)

type fakeAcker struct {
	mu   sync.Mutex
	acks map[string]any
}

func (f *fakeAcker) AckCtx(_ context.Context, id string, payload any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.acks == nil {
		f.acks = map[string]any{}
	}
	f.acks[id] = payload
	return nil
}

func TestSocketEnvelopesAreAllAcknowledged(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	question := callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	badRaw := json.RawMessage(`{"envelope_id":"env-bad","type":"events_api","payload":{"type":"event_callback","event":{"type":"subteam_members_changed"}}}`)
	cases := []struct {
		name     string
		evt      socketmode.Event
		envelope string // "" when nothing is to be acknowledged
	}{
		{"question", socketmode.Event{Type: socketmode.EventTypeEventsAPI,
			Request: &socketmode.Request{Type: "events_api", EnvelopeID: "env-1", Payload: question}}, "env-1"},
		{"retry of the question", socketmode.Event{Type: socketmode.EventTypeEventsAPI,
			Request: &socketmode.Request{Type: "events_api", EnvelopeID: "env-2", Payload: question, RetryAttempt: 1, RetryReason: "timeout"}}, "env-2"},
		{"malformed payload", socketmode.Event{Type: socketmode.EventTypeEventsAPI,
			Request: &socketmode.Request{Type: "events_api", EnvelopeID: "env-3", Payload: json.RawMessage(`"nope"`)}}, "env-3"},
		{"unparseable message, no request", socketmode.Event{Type: socketmode.EventTypeErrorBadMessage,
			Data: &socketmode.ErrorBadMessage{Cause: errors.New("unsupported"), Message: badRaw}}, "env-bad"},
		{"slash command", socketmode.Event{Type: socketmode.EventTypeSlashCommand,
			Data:    slack.SlashCommand{Command: "/bin", Text: "help", UserID: "U1"},
			Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "env-4"}}, "env-4"},
		{"interaction", socketmode.Event{Type: socketmode.EventTypeInteractive,
			Data:    slack.InteractionCallback{Type: slack.InteractionTypeBlockActions},
			Request: &socketmode.Request{Type: "interactive", EnvelopeID: "env-5"}}, "env-5"},
		{"hello", socketmode.Event{Type: socketmode.EventTypeHello, Request: &socketmode.Request{Type: "hello"}}, ""},
		{"connecting", socketmode.Event{Type: socketmode.EventTypeConnecting}, ""},
	}
	ack := &fakeAcker{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ta.handleSocket(t.Context(), c.evt, ack)
			ack.mu.Lock()
			_, acked := ack.acks[c.envelope]
			ack.mu.Unlock()
			if c.envelope != "" && !acked {
				t.Errorf("envelope %s not acknowledged", c.envelope)
			}
		})
	}
	if msg, ok := ack.acks["env-4"].(commandReply); !ok || !strings.Contains(msg.Text, "réservée") {
		t.Errorf("slash command ack payload = %#v, want the ephemeral refusal", ack.acks["env-4"])
	}
	if n := total(ta.counts(t)); n != 1 {
		t.Errorf("%d questions recorded, want 1", n)
	}
	if p := ta.fake.Next(t); p.Get("thread_ts") != "1.1" {
		t.Errorf("reply thread = %q", p.Get("thread_ts"))
	}
}

// TestSocketModeOverSlacktest runs slack-go's own Socket Mode client
// against slacktest's WebSocket: envelopes in, acknowledgements out.
func TestSocketModeOverSlacktest(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	srv := slacktest.NewTestServer()
	srv.Start()
	t.Cleanup(srv.Stop)
	api := slack.New("xoxb-test", slack.OptionAPIURL(srv.GetAPIURL()), slack.OptionAppLevelToken("xapp-test"))
	// slacktest sends no pings: without a long interval the client reconnects.
	client := socketmode.New(api, socketmode.OptionPingInterval(time.Minute))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ta.RunSocket(ctx, client) }()
	t.Cleanup(func() { cancel(); <-done })

	question := callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	envelopes := []string{
		`{"envelope_id":"env-1","type":"events_api","accepts_response_payload":false,"payload":` + string(question) + `}`,
		`{"envelope_id":"env-2","type":"events_api","payload":{"type":"event_callback","event_id":"Ev2","event":{"type":"no_such_event"}}}`,
		`{"envelope_id":"env-3","type":"slash_commands","payload":{"command":"/bin","text":"help","user_id":"USTAFF"}}`,
		`{"envelope_id":"env-4","type":"something_new","payload":{}}`,
	}
	go func() {
		for _, e := range envelopes {
			srv.SendToWebsocket(e)
		}
	}()
	want := map[string]bool{"env-1": true, "env-2": true, "env-3": true, "env-4": true}
	deadline := time.After(waitFor)
	for len(want) > 0 {
		select {
		case m := <-srv.SeenFeed:
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			json.Unmarshal([]byte(m), &ack)
			delete(want, ack.EnvelopeID)
			if ack.EnvelopeID == "env-3" && !strings.Contains(string(ack.Payload), "/bin help") {
				t.Errorf("slash command ack = %s, want the help text", m)
			}
		case <-deadline:
			t.Fatalf("envelopes never acknowledged: %v", want)
		}
	}
	if p := ta.fake.Next(t); p.Get("channel") != "D1" || p.Get("thread_ts") != "1.1" {
		t.Errorf("reply = %v", p)
	}
}

// chanAcker reports each acknowledgement on a channel.
type chanAcker chan string

func (c chanAcker) AckCtx(_ context.Context, id string, _ any) error {
	c <- id
	return nil
}

// TestSocketSlowCommandHoldsNothingElse: while a staff command takes its
// time, the envelopes behind it are handled and acknowledged at once.
func TestSocketSlowCommandHoldsNothingElse(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", false, func(s setup) { s.app.AckWithin = time.Hour })
	release := make(chan struct{})
	free := sync.OnceFunc(func() { close(release) })
	ta.console.Handle("slow", console.Command{Usage: "slow", Summary: "test", Run: func(context.Context, string, []string) console.Reply {
		<-release
		return console.Reply{Text: "done"}
	}})
	events, acks := make(chan socketmode.Event, 2), make(chanAcker, 4)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); ta.serveSocket(ctx, events, acks, make(chan error, 1)) }()
	t.Cleanup(func() { free(); cancel(); <-done })

	events <- socketmode.Event{Type: socketmode.EventTypeSlashCommand,
		Data:    slack.SlashCommand{Command: "/bin", Text: "slow", UserID: "USTAFF"},
		Request: &socketmode.Request{Type: "slash_commands", EnvelopeID: "env-slow"}}
	events <- socketmode.Event{Type: socketmode.EventTypeEventsAPI, Request: &socketmode.Request{Type: "events_api",
		EnvelopeID: "env-question", Payload: callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))}}
	select {
	case id := <-acks:
		if id != "env-question" {
			t.Fatalf("first acknowledgement %s, want env-question", id)
		}
	case <-time.After(waitFor):
		t.Fatal("the question waits behind the slow command")
	}
	free()
	select {
	case id := <-acks:
		if id != "env-slow" {
			t.Errorf("acknowledged %s, want env-slow", id)
		}
	case <-time.After(waitFor):
		t.Fatal("slow command never acknowledged")
	}
}

// TestSocketEventSlackGoRefusedIsRecorded: an events_api envelope that
// slack-go hands over as a bad message is still recorded, then acked.
func TestSocketEventSlackGoRefusedIsRecorded(t *testing.T) {
	ta := newTestApp(t, newFakeSlack(t), "", true)
	ev := message("D1", "im", "U1", "1.1", "Quel est le salaire ?")
	ev["blocks"] = []any{map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "brand_new_element"}}}}
	raw := `{"envelope_id":"env-bad","type":"events_api","payload":` + string(callback("Ev1", ev)) + `}`
	evt, _ := socketEvent([]byte(raw))
	if evt.Type != socketmode.EventTypeErrorBadMessage {
		t.Fatalf("slack-go parsed it (%s): the test needs an event it refuses", evt.Type)
	}
	ack := &fakeAcker{}
	ta.handleSocket(t.Context(), evt, ack)
	if _, ok := ack.acks["env-bad"]; !ok {
		t.Error("envelope not acknowledged")
	}
	if p := ta.fake.Next(t); !strings.Contains(p.Get("text"), "3 500 €") {
		t.Errorf("reply = %q", p.Get("text"))
	}
}
