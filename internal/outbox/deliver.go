package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// settled is what became of one attempt to answer a question.
type settled struct {
	q         store.Question
	posted    bool          // a post reached the platform or was tried: the channel's pace applies
	pauseBy   time.Duration // wait at least this long before the channel's next post
	pending   bool          // still to answer: put back for a retry, or released
	uncertain bool          // the post may have gone through: look before posting again
	paused    bool          // the credentials were refused: kept, posted once resumed
}

// deliver composes and posts the reply to q and records the outcome. ctx
// is Run's: cancelled only when shutdown has waited long enough.
func (o *Outbox) deliver(ctx context.Context, q store.Question, recheck bool) settled {
	d := o.sender.Compose(q)
	if d.Message == nil {
		return o.silent(ctx, q, d.Outcome)
	}
	ts, err := o.sender.Post(ctx, Attempt{Q: q, Draft: d, Recheck: recheck})
	// Settle even when shutdown cancelled ctx: a posted reply marked
	// delivered is never posted twice.
	rec := context.WithoutCancel(ctx)
	out := d.Outcome
	log := o.log.With("question_id", q.ID, "channel", q.Channel, "decision", out.Decision, "entry_id", out.EntryID)
	if err == nil {
		o.metrics.replies.Inc()
		o.metrics.questions.WithLabelValues(out.Decision).Inc()
		o.metrics.latency.Observe(o.now().Sub(q.AskedAt).Seconds())
		if err := o.store.Delivered(rec, q.ID, out, ts, o.now()); err != nil {
			log.Error("reply posted but not marked delivered", "err", err)
		}
		o.addPending(-1)
		log.Info("reply posted", "score", out.Score, "attempts", q.Attempts+1)
		return settled{q: q, posted: true}
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Shutdown: leave it pending for the next start.
		if err := o.store.Release(rec, []int64{q.ID}); err != nil {
			log.Error("release question", "err", err)
		}
		return settled{q: q, pending: true, uncertain: true}
	}
	f := Classify(err) // the Sender counts its platform's errors
	switch {
	case f.Kind == Auth:
		if o.Paused() == "" {
			log.Error("credentials refused: replies paused until they are accepted again", "err", err, "error", f.Code)
		}
		o.Pause(f.Code)
		return settled{q: q, paused: true}
	case f.Kind == Lasting || q.Attempts+1 >= maxAttempts:
		log.Error("reply not posted, giving up", "err", err, "error", f.Code, "attempts", q.Attempts+1)
		o.metrics.questions.WithLabelValues(out.Decision).Inc()
		if err := o.store.Fail(rec, q.ID, out, fmt.Sprintf("%s: %v", f.Code, err)); err != nil {
			log.Error("mark question failed", "err", err)
		}
		o.addPending(-1)
		return settled{q: q, posted: true}
	}
	wait := o.backoff(q.Attempts, f.RetryAfter)
	log.Warn("reply not posted, will retry", "err", err, "error", f.Code, "attempts", q.Attempts+1, "retry_in", wait)
	o.metrics.retries.Inc()
	if err := o.store.Retry(rec, q.ID, out, o.now().Add(wait), fmt.Sprintf("%s: %v", f.Code, err)); err != nil {
		log.Error("reschedule question", "err", err)
	}
	// A rate limit asks the whole channel to wait; other errors only this reply.
	return settled{q: q, posted: true, pauseBy: min(f.RetryAfter, wait), pending: true, uncertain: f.Uncertain}
}

// silent settles a question the Sender chose not to answer (a follow-up
// that says thanks): delivered with its outcome and no reply, so that it
// is neither lost nor left pending.
func (o *Outbox) silent(ctx context.Context, q store.Question, out store.Outcome) settled {
	if err := o.store.Delivered(context.WithoutCancel(ctx), q.ID, out, "", o.now()); err != nil {
		o.log.Error("question settled without reply but not marked delivered", "question_id", q.ID, "err", err)
	}
	o.metrics.questions.WithLabelValues(out.Decision).Inc()
	o.addPending(-1)
	o.log.Info("question settled without reply", "question_id", q.ID, "channel", q.Channel, "decision", out.Decision)
	return settled{q: q}
}
