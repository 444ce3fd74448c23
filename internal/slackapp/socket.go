package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// Acker acknowledges Socket Mode envelopes; *socketmode.Client is one.
type Acker interface {
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// maxSocketHandlers bounds the envelopes handled at once; past it the read
// loop waits, as slack-go's own would past its 50-event buffer.
const maxSocketHandlers = 64

// RunSocket receives events over Socket Mode until ctx is cancelled and
// feeds them to the same handlers as HTTP mode. The Web API client for
// replies is Deps.Slack, as in HTTP mode.
func (a *App) RunSocket(ctx context.Context, client *socketmode.Client) error {
	errc := make(chan error, 1)
	go func() { errc <- client.RunContext(ctx) }()
	a.serveSocket(ctx, client.Events, client, errc)
	select {
	case err := <-errc:
		if ctx.Err() == nil {
			return err
		}
	default:
	}
	return nil
}

// serveSocket reads envelopes until ctx is cancelled or the connection
// gives up (errc), handling each in a goroutine of its own: a slow staff
// command never holds the envelopes behind it past Slack's 3 seconds, and
// slack-go's buffer keeps draining so that its pings are answered.
func (a *App) serveSocket(ctx context.Context, events <-chan socketmode.Event, ack Acker, errc chan error) {
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, maxSocketHandlers)
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-errc:
			errc <- err // for RunSocket
			return
		case evt := <-events:
			slots <- struct{}{}
			wg.Go(func() {
				defer func() { <-slots }()
				a.handleSocket(ctx, evt, ack)
			})
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
		if evt.Request != nil {
			_, err = a.acceptEvent(ctx, evt.Request.Payload, retryNum(evt.Request.RetryAttempt))
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			payload = a.runCommand(ctx, cmd)
		}
	case socketmode.EventTypeInteractive:
		if ic, ok := evt.Data.(slack.InteractionCallback); ok {
			var resp *slack.ViewSubmissionResponse
			if resp, err = a.interact(ctx, ic); resp != nil {
				payload = resp
			}
		}
	case socketmode.EventTypeErrorBadMessage:
		bad, _ := evt.Data.(*socketmode.ErrorBadMessage)
		if bad == nil {
			break
		}
		var raw rawEnvelope
		json.Unmarshal(bad.Message, &raw)
		envelopeID = raw.EnvelopeID
		if raw.Type == "events_api" && len(raw.Payload) > 0 {
			// slack-go refused the event: read it as HTTP mode does.
			a.log.Info("socket mode event read from a minimal decode", "envelope_id", envelopeID, "err", bad.Cause)
			_, err = a.acceptEvent(ctx, raw.Payload, retryNum(raw.RetryAttempt))
			break
		}
		a.log.Warn("socket mode message not parsed", "envelope_id", envelopeID, "err", bad.Cause)
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

// rawEnvelope is what is read of a message slack-go could not parse.
type rawEnvelope struct {
	EnvelopeID   string          `json:"envelope_id"`
	Type         string          `json:"type"`
	Payload      json.RawMessage `json:"payload"`
	RetryAttempt int             `json:"retry_attempt"`
}

func retryNum(attempt int) string {
	if attempt <= 0 {
		return ""
	}
	return strconv.Itoa(attempt)
}
