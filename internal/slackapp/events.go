package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/slack-go/slack/slackevents"
)

// errMalformed marks a body that is not a Slack event envelope.
var errMalformed = errors.New("malformed event body")

func (a *App) handleEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.signedBody(w, r)
	if !ok {
		return
	}
	challenge, err := a.acceptEvent(r.Context(), body, r.Header.Get("X-Slack-Retry-Num"))
	switch {
	case errors.Is(err, errMalformed):
		a.metrics.refused.WithLabelValues("malformed").Inc()
		http.Error(w, "malformed event", http.StatusBadRequest)
	case err != nil:
		// Not recorded: a 500 makes Slack send the event again.
		a.log.Error("record event", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
	case challenge != "":
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(challenge))
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// envelope is the little of the outer event read before slackevents.
type envelope struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	EventID   string          `json:"event_id"`
	Event     json.RawMessage `json:"event"`
}

// acceptEvent takes one Events API body (HTTP, or a Socket Mode payload)
// and records the question it asks, if any, before returning. It returns
// the challenge of a url_verification. Events it does not handle are
// accepted and dropped: answering them with an error only makes Slack retry.
func (a *App) acceptEvent(ctx context.Context, body []byte, retry string) (challenge string, err error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil || env.Type == "" {
		return "", errMalformed
	}
	switch env.Type {
	case slackevents.URLVerification:
		if env.Challenge == "" {
			return "", errMalformed
		}
		return env.Challenge, nil
	case slackevents.CallbackEvent:
	default:
		a.log.Info("event ignored", "type", env.Type)
		return "", nil
	}
	// The signing secret has been checked: the legacy token is not.
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		a.metrics.events.WithLabelValues("unparsed").Inc()
		a.log.Info("event not parsed", "event_id", env.EventID, "err", err)
		return "", nil
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || cb.EventID == "" {
		return "", errMalformed
	}
	in, ok := incomingFrom(ev.InnerEvent.Data)
	if !ok {
		a.metrics.events.WithLabelValues("ignored").Inc()
		return "", nil
	}
	in.eventID = cb.EventID
	for _, au := range cb.Authorizations {
		if au.IsBot && au.UserID != "" {
			in.selves = append(in.selves, au.UserID)
		}
	}
	return "", a.takeQuestion(ctx, in, retry)
}
