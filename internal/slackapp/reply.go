package slackapp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// settled is what became of one attempt to answer a question.
type settled struct {
	q       store.Question
	posted  bool          // a post reached Slack or was tried: the channel's pace applies
	pauseBy time.Duration // wait at least this long before the channel's next post
	pending bool          // still to answer: put back for a retry, or released
}

// answer matches question q, posts the reply and records the outcome. ctx
// is the queue's: cancelled only when shutdown has waited long enough.
func (a *App) answer(ctx context.Context, q store.Question) settled {
	m := a.matcher.Load()
	r := a.result(m, q)
	o := store.Outcome{Decision: string(r.Decision), EntryID: r.EntryID, Score: r.Score, SmallTalk: r.SmallTalk}
	msg := compose(q, r, m)
	_, ts, err := a.slack.PostMessageContext(ctx, q.Channel,
		slack.MsgOptionText(msg.text, false),
		slack.MsgOptionBlocks(msg.blocks...),
		slack.MsgOptionTS(q.ThreadTS),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	)
	// Settle even when shutdown cancelled ctx: a posted reply marked
	// delivered is never posted twice.
	rec := context.WithoutCancel(ctx)
	log := a.log.With("question_id", q.ID, "channel", q.Channel, "decision", r.Decision, "entry_id", r.EntryID)
	if err == nil {
		a.metrics.replies.Inc()
		a.metrics.questions.WithLabelValues(string(r.Decision)).Inc()
		a.metrics.latency.Observe(a.now().Sub(q.AskedAt).Seconds())
		if err := a.store.Delivered(rec, q.ID, o, ts, a.now()); err != nil {
			log.Error("reply posted but not marked delivered", "err", err)
		}
		log.Info("reply posted", "score", r.Score, "attempts", q.Attempts+1)
		return settled{q: q, posted: true}
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Shutdown: leave it pending for the next start.
		if err := a.store.Release(rec, []int64{q.ID}); err != nil {
			log.Error("release question", "err", err)
		}
		return settled{q: q, pending: true}
	}
	passing, retryAfter, code := classify(err)
	a.metrics.errors.WithLabelValues("chat.postMessage", code).Inc()
	if !passing || q.Attempts+1 >= maxAttempts {
		log.Error("reply not posted, giving up", "err", err, "slack_error", code, "attempts", q.Attempts+1)
		a.metrics.questions.WithLabelValues(string(r.Decision)).Inc()
		if err := a.store.Fail(rec, q.ID, o, fmt.Sprintf("%s: %v", code, err)); err != nil {
			log.Error("mark question failed", "err", err)
		}
		return settled{q: q, posted: true}
	}
	wait := a.backoff(q.Attempts, retryAfter)
	log.Warn("reply not posted, will retry", "err", err, "slack_error", code, "attempts", q.Attempts+1, "retry_in", wait)
	a.metrics.retries.Inc()
	if err := a.store.Retry(rec, q.ID, o, a.now().Add(wait), fmt.Sprintf("%s: %v", code, err)); err != nil {
		log.Error("reschedule question", "err", err)
	}
	// A 429 asks the whole channel to wait; other errors only this reply.
	return settled{q: q, posted: true, pauseBy: min(retryAfter, wait), pending: true}
}

// result is the matcher's answer to q; a suggestion clicked is answered
// with that entry as it reads now.
func (a *App) result(m *answers.Matcher, q store.Question) answers.Result {
	if q.Kind == store.KindPick {
		if r, ok := m.AnswerFor(q.EntryID); ok {
			return r
		}
		return m.Fallback()
	}
	return m.Match(q.Text)
}
