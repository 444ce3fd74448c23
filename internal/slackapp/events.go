package slackapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

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
	Type           string          `json:"type"`
	Challenge      string          `json:"challenge"`
	EventID        string          `json:"event_id"`
	Event          json.RawMessage `json:"event"`
	Authorizations []struct {
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
}

// rawEvent is the minimal decode of a message or app_mention: what the bot
// needs, read even when slack-go refuses the event (a new block element, a
// file field of another type) so that no question is lost to a decoder.
type rawEvent struct {
	Type        string `json:"type"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	SubType     string `json:"subtype"`
	Hidden      bool   `json:"hidden"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
	Message     *struct {
		Hidden bool `json:"hidden"`
	} `json:"message"`
	Attachments []json.RawMessage `json:"attachments"`
	Tab         string            `json:"tab"` // app_home_opened: "home" or "messages"
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
		a.log.Debug("event ignored", "type", env.Type)
		return "", nil
	}
	if env.EventID == "" {
		return "", errMalformed
	}
	var raw rawEvent
	rawErr := json.Unmarshal(env.Event, &raw)
	switch raw.Type {
	case "message", "app_mention":
	case "app_home_opened":
		// Nothing to record: the Home is published again at the next open
		// if this one is lost.
		if raw.Tab == "home" && raw.User != "" && a.home != nil {
			a.metrics.events.WithLabelValues("home").Inc()
			a.home.Opened(raw.User)
			return "", nil
		}
		a.metrics.events.WithLabelValues("ignored").Inc()
		return "", nil
	case "tokens_revoked", "app_uninstalled":
		// Posting would fail from now on: hold the replies until a valid
		// token is back (a reinstall, a new token), losing none.
		a.log.Error("slack says the bot's tokens are gone: replies paused", "event", raw.Type, "event_id", env.EventID)
		a.outbox.Pause(raw.Type)
		a.metrics.events.WithLabelValues("ignored").Inc()
		return "", nil
	default:
		a.metrics.events.WithLabelValues("ignored").Inc()
		a.log.Debug("event ignored", "event_id", env.EventID, "type", raw.Type)
		return "", nil
	}
	// The signing secret has been checked: the legacy token is not.
	var in incoming
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	switch {
	case err == nil:
		in, _ = incomingFrom(ev.InnerEvent.Data)
	case rawErr == nil:
		a.log.Info("event read from a minimal decode", "event_id", env.EventID, "err", err)
		in = raw.incoming()
	default:
		a.metrics.events.WithLabelValues("unparsed").Inc()
		a.log.Warn("event not parsed", "event_id", env.EventID, "err", err)
		return "", nil
	}
	if strings.TrimSpace(in.text) == "" {
		in.text = forwardedText(raw.Attachments) // a forward without a comment
	}
	in.eventID = env.EventID
	for _, au := range env.Authorizations {
		if au.IsBot && au.UserID != "" {
			in.selves = append(in.selves, au.UserID)
		}
	}
	return "", a.takeQuestion(ctx, in, retry)
}

// incoming reads a message or mention from the minimal decode.
func (e rawEvent) incoming() incoming {
	in := incoming{mention: e.Type == "app_mention", user: e.User, botID: e.BotID, subtype: e.SubType,
		hidden: e.Hidden || (e.Message != nil && e.Message.Hidden), text: e.Text, channel: e.Channel,
		channelType: e.ChannelType, ts: e.TS, threadTS: e.ThreadTS}
	if in.mention {
		in.channelType = channelTypeOf(e.Channel)
	}
	return in
}

// forwardedText is the text of a forwarded message: Slack sends it as an
// attachment (text, else fallback, else the forwarded message's blocks).
func forwardedText(attachments []json.RawMessage) string {
	for _, raw := range attachments {
		var att struct {
			Text          string `json:"text"`
			Fallback      string `json:"fallback"`
			MessageBlocks []struct {
				Message struct {
					Text   string          `json:"text"`
					Blocks json.RawMessage `json:"blocks"`
				} `json:"message"`
			} `json:"message_blocks"`
		}
		if json.Unmarshal(raw, &att) != nil {
			continue
		}
		if t := firstOf(strings.TrimSpace(att.Text), strings.TrimSpace(att.Fallback)); t != "" {
			return t
		}
		for _, mb := range att.MessageBlocks {
			if t := firstOf(strings.TrimSpace(mb.Message.Text), strings.TrimSpace(richText(mb.Message.Blocks))); t != "" {
				return t
			}
		}
	}
	return ""
}

// richText flattens rich_text blocks into their words.
func richText(blocks json.RawMessage) string {
	var tree any
	if json.Unmarshal(blocks, &tree) != nil {
		return ""
	}
	var b strings.Builder
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			if t, _ := v["type"].(string); t == "text" || t == "link" {
				s, _ := v["text"].(string)
				b.WriteString(s)
			}
			if els, ok := v["elements"]; ok {
				walk(els)
				if t, _ := v["type"].(string); t == "rich_text_section" || t == "rich_text_preformatted" || t == "rich_text_quote" {
					b.WriteString("\n")
				}
			}
		}
	}
	walk(tree)
	return b.String()
}
