package slackapp

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// socketEvent turns one WebSocket message into the event slack-go's Socket
// Mode client would hand the app. It mirrors the client's unexported
// parseEvent (slack-go v0.35.0), so that envelopes can be fuzzed without a
// connection. ok is false for what the client keeps to itself (disconnect).
func socketEvent(raw []byte) (evt socketmode.Event, ok bool) {
	bad := func(err error) (socketmode.Event, bool) {
		return socketmode.Event{Type: socketmode.EventTypeErrorBadMessage,
			Data: &socketmode.ErrorBadMessage{Cause: err, Message: json.RawMessage(raw)}}, true
	}
	req := &socketmode.Request{}
	if err := json.Unmarshal(raw, req); err != nil {
		return bad(err)
	}
	switch req.Type {
	case socketmode.RequestTypeHello:
		return socketmode.Event{Type: socketmode.EventTypeHello, Request: req}, true
	case socketmode.RequestTypeEventsAPI:
		ev, err := slackevents.ParseEvent(req.Payload, slackevents.OptionNoVerifyToken())
		if err != nil {
			return bad(err)
		}
		return socketmode.Event{Type: socketmode.EventTypeEventsAPI, Data: ev, Request: req}, true
	case socketmode.RequestTypeDisconnect:
		return socketmode.Event{}, false
	case socketmode.RequestTypeSlashCommands:
		var cmd slack.SlashCommand
		if err := json.Unmarshal(req.Payload, &cmd); err != nil {
			return bad(err)
		}
		return socketmode.Event{Type: socketmode.EventTypeSlashCommand, Data: cmd, Request: req}, true
	case socketmode.RequestTypeInteractive:
		var ic slack.InteractionCallback
		if err := json.Unmarshal(req.Payload, &ic); err != nil {
			return bad(err)
		}
		return socketmode.Event{Type: socketmode.EventTypeInteractive, Data: ic, Request: req}, true
	}
	return bad(fmt.Errorf("unsupported type %q", req.Type))
}

// countingAcker counts acknowledgements by envelope id.
type countingAcker struct {
	acks     map[string]int
	payloads map[string]any
}

func (c *countingAcker) AckCtx(_ context.Context, id string, payload any) error {
	c.acks[id]++
	c.payloads[id] = payload
	return nil
}

// FuzzSocketEnvelope hands any WebSocket message to the Socket Mode
// handler, as the client would parse it. Every envelope that names itself
// is acknowledged exactly once (else Slack sends it again and again), one
// envelope records at most one question, and a slash command is answered
// in its acknowledgement: the refusal for a stranger.
func FuzzSocketEnvelope(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	question := string(callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?")))
	for _, s := range []string{
		`{"envelope_id":"e1","type":"events_api","payload":` + question + `}`,
		`{"envelope_id":"e2","type":"events_api","retry_attempt":1,"retry_reason":"timeout","payload":` + question + `}`,
		`{"envelope_id":"e3","type":"events_api","payload":{"type":"url_verification","challenge":"x"}}`,
		`{"envelope_id":"e4","type":"events_api","payload":"nope"}`,
		`{"envelope_id":"e5","type":"slash_commands","payload":{"command":"/bin","text":"stats","user_id":"U1"}}`,
		`{"envelope_id":"e6","type":"slash_commands","payload":{"command":"/bin","text":"help","user_id":"USTAFF"}}`,
		`{"envelope_id":"e7","type":"interactive","payload":{"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"pick_0","value":"1:salaire"}],"container":{"channel_id":"D1","message_ts":"1.2","thread_ts":"1.1"},"trigger_id":"t"}}`,
		`{"envelope_id":"e8","type":"interactive","payload":{"type":"block_actions","actions":[{"action_id":"feedback_up","value":"1"}]}}`,
		`{"type":"hello","num_connections":1}`,
		`{"type":"disconnect","reason":"refresh_requested"}`,
		`{"envelope_id":"e9","type":"something_new","payload":{}}`,
		`{"envelope_id":"e10","type":"slash_commands","payload":[]}`,
		`{"envelope_id":7}`,
		`{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		evt, ok := socketEvent(raw)
		if !ok {
			return
		}
		var named struct {
			EnvelopeID string `json:"envelope_id"`
		}
		json.Unmarshal(raw, &named)
		before := ta.fuzzState(t)
		ack := &countingAcker{acks: map[string]int{}, payloads: map[string]any{}}
		ta.handleSocket(t.Context(), evt, ack)
		after := ta.fuzzState(t)
		if n := after.questions - before.questions; n < 0 || n > 1 {
			t.Fatalf("one envelope recorded %d questions", n)
		}
		if after.slackCalls != before.slackCalls {
			t.Fatalf("an envelope called Slack on the acknowledgement's path")
		}
		want := map[string]int{}
		if named.EnvelopeID != "" {
			want[named.EnvelopeID] = 1
		}
		if fmt.Sprint(ack.acks) != fmt.Sprint(want) {
			t.Fatalf("acknowledgements %v, want %v for %q", ack.acks, want, raw)
		}
		if evt.Type != socketmode.EventTypeSlashCommand || named.EnvelopeID == "" {
			return
		}
		reply, isReply := ack.payloads[named.EnvelopeID].(commandReply)
		cmd := evt.Data.(slack.SlashCommand)
		switch {
		case !isReply || reply.Text == "":
			t.Fatalf("slash command acknowledged with %#v", ack.payloads[named.EnvelopeID])
		case cmd.UserID != "USTAFF" && reply.Text != refusal:
			t.Fatalf("stranger %q ran %q: %q", cmd.UserID, cmd.Text, reply.Text)
		case after.questions != before.questions:
			t.Fatalf("slash command %q recorded a question", cmd.Text)
		}
	})
}
