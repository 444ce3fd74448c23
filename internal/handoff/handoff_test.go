package handoff_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/handoff"
	"github.com/betagouv/bin-bot/internal/slackapp"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
)

// Run hands a delivered fallback over on its own, counts it for the
// metrics, and stops when cancelled.
func TestRunPostsTheCardAndStops(t *testing.T) {
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m, err := answers.Load("../slackapp/testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var matcher atomic.Pointer[answers.Matcher]
	matcher.Store(m)
	now := time.Now()
	id, _, err := st.RecordQuestion(ctx, store.Question{EventID: "Ev1", Text: "xyzzy plugh", UserID: "U1", Channel: "D1",
		ChannelType: "im", TS: "1.1", ThreadTS: "1.1", AskedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Delivered(ctx, id, store.Outcome{Decision: "fallback"}, "2.2", now); err != nil {
		t.Fatal(err)
	}
	fake := slackfake.New(t)
	fake.Answer("chat.getPermalink", nil)
	reg := prometheus.NewRegistry()
	loop := handoff.New(handoff.Config{Every: 10 * time.Millisecond, CountEvery: 10 * time.Millisecond}, handoff.Deps{Store: st,
		Sender: slackapp.NewCardSender("CSTAFF", &matcher, slack.New("xoxb-test", slack.OptionAPIURL(fake.URL)), nil), Registry: reg})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- loop.Run(runCtx) }()
	if p := fake.Next(t); p.Get("channel") != "CSTAFF" || !strings.Contains(p.Get("text"), "xyzzy plugh") {
		t.Errorf("card = %v", p)
	}
	deadline := time.After(slackfake.WaitFor)
	for opened(reg) != 1 {
		select {
		case <-deadline:
			t.Fatal("bot_handoffs{figure=opened} never counted the handoff")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(slackfake.WaitFor):
		t.Fatal("Run did not stop")
	}
}

// opened reads bot_handoffs{figure="opened"} from the registry.
func opened(reg *prometheus.Registry) float64 {
	families, _ := reg.Gather()
	for _, f := range families {
		if f.GetName() != "bot_handoffs" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "figure" && l.GetValue() == "opened" {
					return m.GetGauge().GetValue()
				}
			}
		}
	}
	return -1
}
