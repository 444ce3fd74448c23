package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// Acker acknowledges Socket Mode envelopes; *socketmode.Client is one.
type Acker interface {
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// RunSocket receives events over Socket Mode until ctx is cancelled and
// feeds them to the same handlers as HTTP mode. The Web API client for
// replies is Deps.Slack, as in HTTP mode.
func (a *App) RunSocket(ctx context.Context, client *socketmode.Client) error {
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errc:
			if ctx.Err() != nil {
				return nil
			}
			return err
		case evt := <-client.Events:
			a.handleSocket(ctx, evt, client)
		}
	}
}

// handleSocket handles one Socket Mode event. Every envelope is
// acknowledged, even one slack-go could not parse (else Slack sends it again
// and again), except when the question could not be recorded: then Slack's
// retry is wanted.
func (a *App) handleSocket(ctx context.Context, evt socketmode.Event, ack Acker) {
	var envelopeID string
	if evt.Request != nil {
		envelopeID = evt.Request.EnvelopeID
	}
	var payload any
	var err error
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		retry := ""
		if evt.Request != nil && evt.Request.RetryAttempt > 0 {
			retry = strconv.Itoa(evt.Request.RetryAttempt)
		}
		if evt.Request != nil {
			_, err = a.acceptEvent(ctx, evt.Request.Payload, retry)
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			msg := a.runCommand(ctx, cmd)
			payload = msg
		}
	case socketmode.EventTypeInteractive:
		if ic, ok := evt.Data.(slack.InteractionCallback); ok {
			err = a.interact(ctx, ic)
		}
	case socketmode.EventTypeErrorBadMessage:
		bad, _ := evt.Data.(*socketmode.ErrorBadMessage)
		if bad != nil {
			envelopeID = rawEnvelopeID(bad.Message)
			a.log.Warn("socket mode message not parsed", "envelope_id", envelopeID, "err", bad.Cause)
		}
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.log.Info("socket mode", "state", string(evt.Type))
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth, socketmode.EventTypeIncomingError:
		a.log.Error("socket mode", "state", string(evt.Type), "err", evt.Data)
	}
	if errors.Is(err, errMalformed) {
		a.log.Warn("socket mode event malformed", "envelope_id", envelopeID)
		err = nil
	}
	if err != nil {
		a.log.Error("record socket mode event, not acknowledged", "envelope_id", envelopeID, "err", err)
		return
	}
	if envelopeID == "" {
		return
	}
	if err := ack.AckCtx(ctx, envelopeID, payload); err != nil {
		a.log.Error("acknowledge envelope", "envelope_id", envelopeID, "err", err)
	}
}

// rawEnvelopeID digs the envelope id out of a message slack-go could not
// parse.
func rawEnvelopeID(raw json.RawMessage) string {
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	json.Unmarshal(raw, &env)
	return env.EnvelopeID
}
