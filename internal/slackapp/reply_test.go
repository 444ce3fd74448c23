package slackapp

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/outbox"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
	"github.com/slack-go/slack"
)

func TestPassingErrorsAreRetriedUntilDelivered(t *testing.T) {
	fake := newFakeSlack(t)
	// 500, 429 with Retry-After: 30, 503, ok:false ratelimited, then success.
	setScript(fake, func(n int64, _ url.Values) (int, string, string) {
		switch n {
		case 1:
			return 500, "", "oops"
		case 2:
			return 429, "30", `{"ok":false,"error":"ratelimited"}`
		case 3:
			return 503, "", "busy"
		case 4:
			return 200, "", `{"ok":false,"error":"ratelimited"}`
		}
		return 0, "", ""
	})
	ta := newTestApp(t, fake, "", true)
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	p := fake.Next(t)
	if p.Get("thread_ts") != "1.1" {
		t.Errorf("thread_ts = %q", p.Get("thread_ts"))
	}
	ta.waitDelivered(t, 1)
	if n := fake.Calls(); n != 5 {
		t.Errorf("%d calls to chat.postMessage, want 5", n)
	}
	var waits []time.Duration
	for len(ta.waits) > 0 {
		waits = append(waits, <-ta.waits)
	}
	if len(waits) != 4 || waits[1] != 30*time.Second {
		t.Errorf("backoff asked with Retry-After %v, want 4 waits, the second 30s", waits)
	}
	if c := ta.counts(t); c[store.Delivered] != 1 {
		t.Errorf("counts = %v", c)
	}
	if got := ta.metric(t, "bot_reply_retries_total"); got != 4 {
		t.Errorf("retries = %v, want 4", got)
	}
}

func TestLastingErrorsAreNotRetried(t *testing.T) {
	for _, code := range []string{"not_in_channel", "channel_not_found", "is_archived"} {
		t.Run(code, func(t *testing.T) {
			fake := newFakeSlack(t)
			setScript(fake, func(int64, url.Values) (int, string, string) {
				return 200, "", `{"ok":false,"error":"` + code + `"}`
			})
			ta := newTestApp(t, fake, "", true)
			ta.postEvent(t, "Ev1", message("CQUESTIONS", "channel", "U1", "1.1", "Quel est le salaire ?"))
			ta.waitDelivered(t, 1)
			if c := ta.counts(t); c[store.Failed] != 1 {
				t.Errorf("counts = %v, want 1 failed", c)
			}
			if n := fake.Calls(); n != 1 {
				t.Errorf("%d attempts, want 1", n)
			}
			if got := ta.metric(t, "bot_slack_errors_total", "method", "chat.postMessage", "error", code); got != 1 {
				t.Errorf("slack errors %s = %v", code, got)
			}
		})
	}
}

func TestRestartResumesUndelivered(t *testing.T) {
	fake := newFakeSlack(t)
	path := t.TempDir() + "/bot.db"

	// First life: questions acknowledged, then the process stops before any
	// reply is posted (queue never ran).
	first := newTestApp(t, fake, path, false)
	first.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	first.postEvent(t, "Ev2", message("D2", "im", "U2", "2.1", "Quel est le type de contrat ?"))
	first.store.Close()

	// Second life: Slack fails every post, then a shutdown.
	setScript(fake, func(int64, url.Values) (int, string, string) { return 500, "", "down" })
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	second := outbox.New(outbox.Config{Pace: time.Millisecond, PollEvery: 5 * time.Millisecond},
		outbox.Deps{Store: st, Sender: NewReplier(first.matcher, first.slack, nil), Log: first.log,
			Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	done := make(chan struct{})
	go func() { second.Run(ctx); close(done) }()
	deadline := time.After(waitFor)
	for fake.Calls() < 4 {
		select {
		case <-deadline:
			t.Fatal("no retries")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	<-done
	st.Close()

	// Third life: Slack is back; both questions are answered, once.
	setScript(fake, nil)
	third := newTestApp(t, fake, path, true)
	got := map[string]string{}
	for range 2 {
		p := fake.Next(t)
		got[p.Get("channel")] = p.Get("text")
	}
	if !strings.Contains(got["D1"], "salaire") && !strings.Contains(got["D1"], "3 500") || !strings.Contains(got["D2"], "CDD") {
		t.Errorf("replies after restart = %v", got)
	}
	third.waitDelivered(t, 2)
	select {
	case p := <-fake.Posts:
		t.Errorf("extra post %v", p)
	default:
	}
}

func TestShutdownLeavesInFlightWorkPending(t *testing.T) {
	fake := newFakeSlack(t)
	block := make(chan struct{})
	setScript(fake, func(int64, url.Values) (int, string, string) {
		<-block // Slack hangs
		return 500, "", ""
	})
	t.Cleanup(func() { close(block) })
	path := t.TempDir() + "/bot.db"
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	m := mustLoad(t)
	ta := newTestApp(t, fake, "", false)
	ta.matcher.Store(m)
	a := outbox.New(outbox.Config{Drain: 50 * time.Millisecond}, outbox.Deps{Store: st, Sender: NewReplier(ta.matcher, ta.slack, nil), Log: ta.log})
	id, _, err := st.RecordQuestion(t.Context(), store.Question{EventID: "Ev1", Text: "Quel est le salaire ?", UserID: "U1",
		Channel: "D1", ChannelType: "im", TS: "1.1", ThreadTS: "1.1", AskedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Run(ctx); close(done) }()
	for fake.Calls() == 0 {
		select {
		case <-done:
			t.Fatal("queue stopped")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("Run did not return after the drain time")
	}
	qs, err := st.Claim(t.Context(), time.Now(), time.Minute, 10)
	if err != nil || len(qs) != 1 || qs[0].ID != id {
		t.Errorf("after shutdown, claimable = %+v, %v; want the question, pending", qs, err)
	}
	st.Close()
}

func TestPerChannelPacing(t *testing.T) {
	const pace = 100 * time.Millisecond
	fake := newFakeSlack(t)
	ta := newTestApp(t, fake, "", true, func(s setup) { s.box.Pace = pace })
	questions := []string{"Quel est le salaire ?", "Quel est le type de contrat ?", "Le télétravail est-il possible ?"}
	for i, q := range questions {
		ta.postEvent(t, fmt.Sprintf("Ev%d", i), message("D1", "im", "U1", fmt.Sprintf("1.%d", i), q))
	}
	ta.postEvent(t, "EvOther", message("D2", "im", "U2", "2.1", questions[0]))
	var at []time.Time
	for range 4 {
		p := fake.Next(t)
		if p.Get("channel") == "D1" {
			at = append(at, time.Now())
		}
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < pace*8/10 {
			t.Errorf("posts %d and %d in one channel %v apart, want at least %v", i-1, i, gap, pace)
		}
	}
}

// TestTimedOutPostIsNotPostedAgain: Slack took the post but its answer
// never came; the retry finds the reply in the thread by its metadata and
// does not post it a second time.
func TestTimedOutPostIsNotPostedAgain(t *testing.T) {
	fake := newFakeSlack(t)
	fake.Script(func(n int64, _ url.Values) slackfake.Reply {
		return slackfake.Reply{AcceptThenHang: n == 1}
	})
	ta := newTestApp(t, fake, "", true, func(s setup) {
		*s.slack = slack.New("xoxb-test", slack.OptionAPIURL(fake.URL),
			slack.OptionHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))
	})
	ta.postEvent(t, "Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	p := fake.Next(t)
	if md := p.Get("metadata"); !strings.Contains(md, `"event_type":"bin_reply"`) || !strings.Contains(md, `"question_id":"1"`) {
		t.Errorf("post metadata = %q, want the question id", md)
	}
	ta.waitDelivered(t, 1)
	if n := fake.Replies("D1/1.1"); n != 1 {
		t.Errorf("%d replies in the thread, want 1", n)
	}
	if fake.Lookups() == 0 {
		t.Error("the retry did not look in the thread")
	}
	if c := ta.counts(t); c[store.Delivered] != 1 {
		t.Errorf("counts = %v", c)
	}
}
