package slackapp

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/store"
)

// replyEvent is the metadata event type of the bot's replies; its payload
// names the question, so that a reply can be found again in its thread.
const replyEvent = "bin_reply"

// Replier is the outbox's Sender on Slack: it composes the Block Kit reply
// to a question and posts it with chat.postMessage.
type Replier struct {
	matcher *atomic.Pointer[answers.Matcher]
	slack   Poster
	metrics *Metrics // Slack's refusals are counted there; nil: not counted
}

// NewReplier builds the Sender that answers from the matcher in service.
func NewReplier(m *atomic.Pointer[answers.Matcher], api Poster, metrics *Metrics) *Replier {
	return &Replier{matcher: m, slack: api, metrics: metrics}
}

// Compose matches q and composes its reply.
func (r *Replier) Compose(q store.Question) outbox.Draft {
	m := r.matcher.Load()
	var res answers.Result
	var msg reply
	switch q.Kind {
	case store.KindStaffAnswer:
		return outbox.Draft{Outcome: store.Outcome{Decision: string(store.KindStaffAnswer)}, Message: staffAnswer(q)}
	case store.KindFollowUp:
		// A follow-up is answered only when the bot knows: "merci, c'est
		// bien ça" or "j'attends l'équipe" need no reply.
		if res = m.Match(q.Text); res.SmallTalk != "" || res.Decision == answers.Fallback || strings.TrimSpace(q.Text) == "" {
			return outbox.Draft{Outcome: store.Outcome{Decision: store.DecisionSilent, Score: res.Score, SmallTalk: res.SmallTalk}}
		}
		return outbox.Draft{
			Outcome: store.Outcome{Decision: string(res.Decision), EntryID: res.EntryID, Score: res.Score},
			Message: compose(q, res, m),
		}
	}
	if bare(q) {
		res = greeting(m)
		msg = composeGreeting(q, res, m)
	} else {
		res = result(m, q)
		msg = compose(q, res, m)
	}
	return outbox.Draft{
		Outcome: store.Outcome{Decision: string(res.Decision), EntryID: res.EntryID, Score: res.Score, SmallTalk: res.SmallTalk},
		Message: msg,
	}
}

// Post posts the reply in the question's thread, tagged with the question's
// id; after an attempt that may have gone through, it looks for that tag
// in the thread first.
func (r *Replier) Post(ctx context.Context, at outbox.Attempt) (string, error) {
	q, msg := at.Q, at.Draft.Message.(reply)
	if at.Recheck {
		if ts, ok := r.find(ctx, q); ok {
			return ts, nil
		}
	}
	_, ts, err := r.slack.PostMessageContext(ctx, q.Channel,
		slack.MsgOptionText(msg.text, false),
		slack.MsgOptionBlocks(msg.blocks...),
		slack.MsgOptionTS(q.ThreadTS),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: replyEvent,
			EventPayload: map[string]any{"question_id": strconv.FormatInt(q.ID, 10)}}),
	)
	if err != nil {
		f := classify(err)
		if r.metrics != nil {
			r.metrics.errors.WithLabelValues("chat.postMessage", f.Code).Inc()
		}
		return "", f
	}
	return ts, nil
}

// find looks for the reply to q already in its thread. Any doubt (the
// thread cannot be read) means not found: posting twice beats not at all.
func (r *Replier) find(ctx context.Context, q store.Question) (string, bool) {
	msgs, _, _, err := r.slack.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
		ChannelID: q.Channel, Timestamp: q.ThreadTS, IncludeAllMetadata: true, Limit: 200})
	if err != nil {
		return "", false
	}
	id := strconv.FormatInt(q.ID, 10)
	for _, m := range msgs {
		if m.Metadata.EventType == replyEvent && m.Metadata.EventPayload["question_id"] == id {
			return m.Timestamp, true
		}
	}
	return "", false
}

// Check asks auth.test whether the bot token is accepted.
func (r *Replier) Check(ctx context.Context) error {
	_, err := r.slack.AuthTestContext(ctx)
	return err
}

// result is the matcher's answer to q; a suggestion clicked is answered
// with that entry as it reads now, in the language the click's question
// was asked in.
func result(m *answers.Matcher, q store.Question) answers.Result {
	if q.Kind == store.KindPick {
		if r, ok := m.AnswerIn(q.EntryID, answers.DetectLang(q.Text)); ok {
			return r
		}
		return m.Fallback()
	}
	return m.Match(q.Text)
}

// passingErrors are ok:false codes that say "try again later".
var passingErrors = map[string]bool{
	"ratelimited": true, "rate_limited": true, "message_limit_exceeded": true,
	"internal_error": true, "fatal_error": true, "service_unavailable": true, "request_timeout": true,
}

// authErrors say the token is no longer accepted: revoked, rotated, the app
// uninstalled. No retry cures them, but a new token does.
var authErrors = map[string]bool{
	"invalid_auth": true, "token_revoked": true, "account_inactive": true, "not_authed": true, "token_expired": true,
}

// classify tells the outbox what a Slack error means: a passing error
// (retry, after Retry-After if Slack said so), a lasting one such as
// not_in_channel, or a refused token. Anything unknown (network, proxy
// page) is passing.
func classify(err error) *outbox.Failure {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	var se slack.SlackErrorResponse
	f := &outbox.Failure{Err: err}
	switch {
	case errors.As(err, &rl):
		f.Kind, f.Code, f.RetryAfter = outbox.Passing, "ratelimited", rl.RetryAfter
	case errors.As(err, &sc):
		f.Kind, f.Code, f.Uncertain = outbox.Lasting, "http_"+sc.Status, sc.Code >= 500
		if sc.Retryable() {
			f.Kind = outbox.Passing
		}
	case errors.As(err, &se) && authErrors[se.Err]:
		f.Kind, f.Code = outbox.Auth, se.Err
	case errors.As(err, &se):
		f.Kind, f.Code = outbox.Lasting, se.Err
		if passingErrors[se.Err] {
			f.Kind = outbox.Passing
		}
	default:
		return outbox.Classify(err)
	}
	return f
}
