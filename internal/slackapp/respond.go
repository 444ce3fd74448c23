package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// followUp posts a reply to a response_url in the background of the
// request: the caller has acknowledged already.
func (a *App) followUp(ctx context.Context, responseURL string, r commandReply) {
	ok := a.jobs.do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := a.respond(ctx, responseURL, r); err != nil {
			a.log.Error("post to response_url", "err", err)
		}
	})
	if !ok {
		a.log.Warn("shutting down: reply to a staff command dropped")
	}
}

// jobs are background tasks that Run waits for when it stops; none start
// once it has.
type jobs struct {
	mu     sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

// do runs f in the background, unless the jobs are closed.
func (j *jobs) do(f func()) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.closed {
		return false
	}
	j.wg.Go(f)
	return true
}

// close refuses new jobs and waits for the running ones.
func (j *jobs) close() {
	j.mu.Lock()
	j.closed = true
	j.mu.Unlock()
	j.wg.Wait()
}

// respond posts a reply to a slash command's or an interaction's
// response_url (Slack allows 5 posts in 30 minutes). Its URL is never
// logged: it grants posting.
func (a *App) respond(ctx context.Context, responseURL string, r commandReply) error {
	if responseURL == "" {
		a.metrics.errors.WithLabelValues("response_url", "no_url").Inc()
		return fmt.Errorf("respond: no response_url")
	}
	body, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("respond: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		a.metrics.errors.WithLabelValues("response_url", "bad_url").Inc()
		return fmt.Errorf("respond: bad response_url")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		a.metrics.errors.WithLabelValues("response_url", "network").Inc()
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return fmt.Errorf("respond: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		a.metrics.errors.WithLabelValues("response_url", fmt.Sprintf("http_%d", resp.StatusCode)).Inc()
		return fmt.Errorf("respond: status %s", resp.Status)
	}
	return nil
}
