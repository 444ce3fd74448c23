package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// maxBatch bounds how many questions one transaction records.
const maxBatch = 128

// errClosed is returned to a question recorded after Close.
var errClosed = errors.New("record question: store closed")

// batcher groups the questions that arrive together into one transaction
// (group commit): a commit costs far more than an insert (on PostgreSQL, a
// WAL flush of 1 to 15 ms on the test machine, for one question or 50), so
// under load one commit for many acknowledgements raises the ceiling
// several times. One goroutine records, so each batch takes everything that
// queued while the last one committed; on PostgreSQL a batch is one
// statement (one round trip). Writers committing side by side were no
// faster, and slower with two replicas on one machine. Callers queue on an
// unbuffered channel, so they are served in arrival order, not in
// database/sql's random order.
type batcher struct {
	reqs chan recordReq
	stop chan struct{}
	done chan struct{}
	// record records a batch in one transaction, results in batch order.
	record func(ctx context.Context, batch []recordReq) ([]recordRes, error)
	// SQLite: the two inserts, compiled once: parsing them was a good part
	// of an acknowledgement's cost.
	insertEvent, insertQuestion *sql.Stmt
}

type recordReq struct {
	q   Question
	res chan recordRes
}

type recordRes struct {
	id    int64
	fresh bool
	err   error
}

// startBatcher starts the goroutine that records questions.
func (s *Store) startBatcher(ctx context.Context) error {
	b := &batcher{reqs: make(chan recordReq), stop: make(chan struct{}), done: make(chan struct{})}
	if s.d.name == "postgres" {
		b.record = s.recordPostgres
	} else {
		var err error
		if b.insertEvent, err = s.db.PrepareContext(ctx, `INSERT INTO events (event_id, channel, ts, seen_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`); err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		if b.insertQuestion, err = s.db.PrepareContext(ctx, `INSERT INTO questions
			(event_id, kind, parent_id, text, user_id, channel, channel_type, thread_ts, entry_id, asked_at, next_attempt_at, locked_until, locked_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
			b.insertEvent.Close()
			return fmt.Errorf("prepare: %w", err)
		}
		b.record = s.recordTx
	}
	s.batch = b
	go s.batchLoop(b)
	return nil
}

func (s *Store) stopBatcher() {
	if b := s.batch; b != nil {
		close(b.stop)
		<-b.done
		if b.insertEvent != nil {
			b.insertEvent.Close()
			b.insertQuestion.Close()
		}
		s.batch = nil
	}
}

// recordBatched hands a question to the batcher and waits for its commit:
// the caller acknowledges Slack only once the question is on disk.
func (s *Store) recordBatched(ctx context.Context, q Question) (int64, bool, error) {
	b := s.batch
	req := recordReq{q: q, res: make(chan recordRes, 1)}
	select {
	case b.reqs <- req:
	case <-b.done:
		return 0, false, errClosed
	case <-ctx.Done():
		return 0, false, fmt.Errorf("record question: %w", ctx.Err())
	}
	select {
	case r := <-req.res:
		return r.id, r.fresh, r.err
	case <-ctx.Done():
		// It may still be committed; Slack's retry of the event then finds
		// it recorded, and the queue answers it.
		return 0, false, fmt.Errorf("record question: %w", ctx.Err())
	}
}

func (s *Store) batchLoop(b *batcher) {
	defer close(b.done)
	for {
		var batch []recordReq
		select {
		case <-b.stop:
			return
		case r := <-b.reqs:
			batch = append(batch, r)
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.recordAll(b, batch)
	}
}

// recordAll records a batch in one transaction; if that fails, each
// question alone, so that one bad question never fails the others.
func (s *Store) recordAll(b *batcher, batch []recordReq) {
	// Not a caller's context: the batch serves them all.
	ctx := context.Background()
	if len(batch) > 1 {
		if res, err := b.record(ctx, batch); err == nil {
			for i, r := range batch {
				r.res <- res[i]
			}
			return
		}
	}
	for _, r := range batch {
		res, err := b.record(ctx, []recordReq{r})
		if err != nil {
			r.res <- recordRes{err: err}
			continue
		}
		r.res <- res[0]
	}
}

// recordTx records questions in one SQLite transaction, in order: a retry
// or an app_mention copy later in the batch finds the first one recorded.
func (s *Store) recordTx(ctx context.Context, batch []recordReq) ([]recordRes, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record question: %w", err)
	}
	defer tx.Rollback()
	out := make([]recordRes, len(batch))
	for i, r := range batch {
		id, fresh, err := s.insertQuestion(ctx, tx, r.q)
		if err != nil {
			return nil, err
		}
		out[i] = recordRes{id: id, fresh: fresh}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record question: %w", err)
	}
	return out, nil
}
