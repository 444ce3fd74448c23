package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/chart"
	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
)

// quiet is how long a test waits to see that nothing is published.
const quiet = 300 * time.Millisecond

// advance moves a test clock on.
func (c *clock) advance(d time.Duration) { c.set(c.now().Add(d)) }

// homeTest is an app with its Home running, on the Home's test FAQ, a fake
// Slack that publishes views, opens modals and takes uploads, and waiting
// questions the test sets.
type homeTest struct {
	*testApp
	home    *Home
	charts  *Charts
	clock   *clock
	mu      sync.Mutex
	waiting []store.Handoff
	handed  map[string]int
}

func (h *homeTest) setWaiting(w ...store.Handoff) {
	h.mu.Lock()
	h.waiting = w
	h.mu.Unlock()
}

func newHomeTest(t *testing.T, at time.Time) *homeTest {
	t.Helper()
	fake := newFakeSlack(t)
	fake.Answer("views.publish", nil)
	fake.Answer("views.open", nil)
	fake.ServeUploads()
	m, err := answers.Load("testdata/home-faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var mp atomic.Pointer[answers.Matcher]
	mp.Store(m)
	h := &homeTest{clock: &clock{}, handed: map[string]int{}}
	h.clock.set(at)
	api := slack.New("xoxb-test", slack.OptionAPIURL(fake.URL))
	h.testApp = newTestApp(t, fake, "", false, func(s setup) {
		// The app's own clock stays the real one: it checks the requests' signatures.
		h.charts = NewCharts(ChartDeps{Store: s.deps.Store, Slack: api, Now: h.clock.now, Log: s.deps.Log,
			HandedPerDay: func(ctx context.Context, from, to time.Time) (map[string]int, error) {
				h.mu.Lock()
				defer h.mu.Unlock()
				return h.handed, nil
			}})
		h.home = NewHome(HomeDeps{Matcher: &mp, Store: s.deps.Store, Slack: api, StaffIDs: s.app.StaffIDs,
			Waiting: func(ctx context.Context, limit int) ([]store.Handoff, error) {
				h.mu.Lock()
				defer h.mu.Unlock()
				return append([]store.Handoff(nil), h.waiting[:min(limit, len(h.waiting))]...), nil
			},
			Charts: h.charts, Now: h.clock.now, Log: s.deps.Log})
		s.deps.Home, s.deps.Charts = h.home, h.charts
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.home.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// open sends a signed app_home_opened of the Home tab for user.
func (h *homeTest) open(t *testing.T, eventID, user string) {
	t.Helper()
	h.postEvent(t, eventID, event{"type": "app_home_opened", "user": user, "channel": "D" + user,
		"tab": "home", "event_ts": "1.1"})
}

// published is one views.publish call as Slack reads it.
type published struct {
	UserID string `json:"user_id"`
	View   struct {
		Type   string           `json:"type"`
		Blocks []map[string]any `json:"blocks"`
	} `json:"view"`
	raw string
}

func (h *homeTest) nextPublish(t *testing.T) published {
	t.Helper()
	c := h.fake.NextCall(t, "views.publish")
	var p published
	if err := json.Unmarshal(c.JSON, &p); err != nil {
		t.Fatalf("views.publish body %s: %v", c.JSON, err)
	}
	p.raw = unescapedJSON(t, c.JSON)
	if p.View.Type != "home" {
		t.Errorf("view type %q, want home", p.View.Type)
	}
	if n := len(p.View.Blocks); n == 0 || n > maxHomeBlocks {
		t.Errorf("%d blocks, want 1 to %d", n, maxHomeBlocks)
	}
	return p
}

// unescapedJSON re-encodes a body without Go's HTML escapes (\u003c for
// <), so that tests read the text as Slack does.
func unescapedJSON(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	return b.String()
}

// block returns the first block of a type (and id, when given).
func (p published) block(kind, id string) map[string]any {
	for _, b := range p.View.Blocks {
		if b["type"] == kind && (id == "" || b["block_id"] == id) {
			return b
		}
	}
	return nil
}

// buttons lists the buttons of the view: action id, value, url, text.
func (p published) buttons() [][4]string {
	var out [][4]string
	for _, b := range p.View.Blocks {
		els, _ := b["elements"].([]any)
		for _, e := range els {
			el, _ := e.(map[string]any)
			if el["type"] != "button" {
				continue
			}
			text, _ := el["text"].(map[string]any)
			out = append(out, [4]string{fmt.Sprint(el["action_id"]), fmt.Sprint(el["value"]), fmt.Sprint(el["url"]), fmt.Sprint(text["text"])})
		}
	}
	return out
}

var (
	// december1 is a Wednesday morning, 8 days before the deadline.
	december1 = time.Date(2021, 12, 1, 10, 0, 0, 0, answers.Paris)
	// december20 is after the deadline: the call is closed.
	december20 = time.Date(2021, 12, 20, 10, 0, 0, 0, answers.Paris)
)

func TestHomeForACandidate(t *testing.T) {
	h := newHomeTest(t, december1)
	h.open(t, "EvH1", "UCAND")
	p := h.nextPublish(t)
	if p.UserID != "UCAND" {
		t.Errorf("published for %q", p.UserID)
	}
	for _, want := range []string{"Bienvenue sur l'assistant de la BIN", "La BIN recrute, avec un salaire de 3 500 € à 4 800 €.",
		"*L'appel est ouvert* jusqu'au 9 décembre 2021. Il reste 8 jours pour candidater.",
		"Questions fréquentes", "*Les conditions*", "*postes*", "Écrivez-moi en message privé"} {
		if !strings.Contains(p.raw, want) {
			t.Errorf("home lacks %q:\n%s", want, p.raw)
		}
	}
	buttons := p.buttons()
	wantButtons := [][4]string{
		{actionApply, "<nil>", formURL, "Postuler"},
		{actionHomeAnswer + "0", "salaire", "<nil>", "Quel est le salaire ?"},
		{actionHomeAnswer + "1", "teletravail", "<nil>", "Le télétravail est-il possible ?"},
		{actionHomeAnswer + "2", "contrat", "<nil>", "Quel est le type de contrat ?"},
	}
	if fmt.Sprint(buttons) != fmt.Sprint(wantButtons) {
		t.Errorf("buttons\n%v\nwant\n%v", buttons, wantButtons)
	}
	// Topics in faq.yaml's order: conditions (salaire, teletravail), then postes.
	if i, j := strings.Index(p.raw, "Les conditions"), strings.Index(p.raw, "*postes*"); i > j {
		t.Error("topics out of faq.yaml's order")
	}
	for _, staffOnly := range []string{"Équipe", "figures", "slack_file", "Annonces", "en attente"} {
		if strings.Contains(p.raw, staffOnly) {
			t.Errorf("a candidate's home shows %q", staffOnly)
		}
	}
	h.fake.NoCall(t, "files.getUploadURLExternal", quiet)
}

func TestHomeOnceTheCallIsClosed(t *testing.T) {
	h := newHomeTest(t, december20)
	h.open(t, "EvH1", "UCAND")
	p := h.nextPublish(t)
	if want := "*L'appel est clos* depuis le 9 décembre 2021. Un nouvel appel est prévu au printemps."; !strings.Contains(p.raw, want) {
		t.Errorf("home lacks %q:\n%s", want, p.raw)
	}
	if b := p.buttons()[0]; b[2] != "https://example.gouv.fr/annonce" || b[3] != "Voir l'annonce" {
		t.Errorf("call button %v, want the announcement", b)
	}
}

// seedWeeks records questions this week and the week before, settled.
func seedWeeks(t *testing.T, st *store.Store, now time.Time) {
	t.Helper()
	rows := []struct {
		daysAgo  int
		decision string
		vote     string
	}{
		{0, "answer", "up"}, {1, "answer", "down"}, {2, "fallback", ""}, {3, "suggest", ""},
		{8, "answer", ""}, {9, "fallback", ""},
	}
	for i, r := range rows {
		at := now.AddDate(0, 0, -r.daysAgo).Add(-time.Hour)
		ts := fmt.Sprintf("%d.%d", at.Unix(), i)
		id, _, err := st.RecordQuestion(t.Context(), store.Question{EventID: "Ev" + ts, Text: "q", UserID: "U1",
			Channel: "D1", ChannelType: "im", TS: ts, ThreadTS: ts, AskedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Delivered(t.Context(), id, store.Outcome{Decision: r.decision, EntryID: "salaire"}, "9.9", at); err != nil {
			t.Fatal(err)
		}
		if r.vote != "" {
			if err := st.RecordFeedback(t.Context(), id, "U2", r.vote == "up", at); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestHomeForStaff(t *testing.T) {
	h := newHomeTest(t, december1)
	seedWeeks(t, h.store, december1)
	h.setWaiting(
		store.Handoff{QuestionID: 41, Text: "Puis-je candidater &lt;b&gt;deux fois&lt;/b&gt; ?", UserID: "U7",
			Permalink: "https://bin.slack.com/archives/D7/p1", Reason: "fallback", CreatedAt: december1.Add(-2 * time.Hour)},
		store.Handoff{QuestionID: 42, Text: "Et le logement ?", UserID: "U8", ClaimedBy: "USTAFF",
			Permalink: "https://bin.slack.com/archives/C1/p2", CreatedAt: december1.Add(-time.Hour)},
	)
	h.open(t, "EvH1", "USTAFF")
	up := h.fake.NextUpload(t)
	img, err := png.Decode(bytes.NewReader(up.Data))
	if err != nil {
		t.Fatalf("the upload is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != chart.Width || b.Dy() != chart.Height {
		t.Errorf("chart %dx%d", b.Dx(), b.Dy())
	}
	if c := h.fake.NextCall(t, "files.getUploadURLExternal"); c.Form.Get("filename") != "questions-2021-12-01.png" {
		t.Errorf("upload named %q", c.Form.Get("filename"))
	}
	if c := h.fake.NextCall(t, "files.completeUploadExternal"); c.Form.Get("channel_id") != "" || c.Form.Get("channels") != "" {
		t.Errorf("chart shared in a channel: %v", c.Form)
	}
	p := h.nextPublish(t)
	img0 := p.block("image", "chart")
	if file, _ := img0["slack_file"].(map[string]any); file == nil || file["id"] != up.FileID {
		t.Errorf("image block %v, want slack_file %s", img0, up.FileID)
	}
	for _, want := range []string{
		`*Questions*\n4   _(avant : 2)_`, `*Répondues*\n2   _(avant : 1)_`, `*Sans réponse*\n1   _(avant : 1)_`,
		`*👍 / 👎*\n1 / 1   _(avant : 0 / 0)_`,
		"Questions en attente de l'équipe (2)",
		"> Puis-je candidater &lt;b&gt;deux fois&lt;/b&gt; ?", // escaped once
		"<@U7>", "<https://bin.slack.com/archives/D7/p1|voir le fil>", "sans réponse du bot",
		"pris par <@USTAFF>", "Aucune annonce programmée ni postée.",
		// and everyone's part above it
		"Questions fréquentes",
	} {
		if !strings.Contains(p.raw, want) {
			t.Errorf("staff home lacks %q:\n%s", want, p.raw)
		}
	}
	var waitingButtons []string
	for _, b := range p.buttons() {
		if isHandoffAction(b[0]) {
			waitingButtons = append(waitingButtons, b[0]+"="+b[1])
		}
	}
	want := []string{actionHandoffReply + "=41", actionHandoffClaim + "=41", actionHandoffReply + "=42"} // 42 is taken
	if fmt.Sprint(waitingButtons) != fmt.Sprint(want) {
		t.Errorf("waiting buttons %v, want %v", waitingButtons, want)
	}
}

// A second open within the minute publishes nothing when nothing changed,
// and at once when the view did; Changed republishes for recent viewers at
// most once a minute.
func TestHomeThrottle(t *testing.T) {
	h := newHomeTest(t, december1)
	h.open(t, "EvH1", "USTAFF")
	h.nextPublish(t)
	h.fake.NextUpload(t)

	h.clock.advance(10 * time.Second)
	h.open(t, "EvH2", "USTAFF")
	h.fake.NoCall(t, "views.publish", quiet)
	h.home.Changed() // nothing changed in fact
	h.fake.NoCall(t, "views.publish", quiet)

	h.setWaiting(store.Handoff{QuestionID: 7, Text: "Une question pour l'équipe", UserID: "U7"})
	h.home.Changed() // within the minute: held back
	h.fake.NoCall(t, "views.publish", quiet)
	h.clock.advance(time.Minute)
	h.home.Changed()
	if p := h.nextPublish(t); !strings.Contains(p.raw, "Une question pour l'équipe") {
		t.Errorf("republished without the new waiting question:\n%s", p.raw)
	}

	h.clock.advance(5 * time.Second)
	h.setWaiting()
	h.open(t, "EvH3", "USTAFF") // an open within the minute, the view changed
	if p := h.nextPublish(t); strings.Contains(p.raw, "Une question pour l'équipe") {
		t.Error("the open republished the old view")
	}

	// Someone who last opened the Home over an hour ago is not refreshed.
	h.clock.advance(2 * time.Hour)
	h.setWaiting(store.Handoff{QuestionID: 8, Text: "Une autre", UserID: "U8"})
	h.home.Changed()
	h.home.Changed() // the first wake may go to the forgetting
	h.fake.NoCall(t, "views.publish", quiet)
}

func TestHomeAnswerOpensAModal(t *testing.T) {
	h := newHomeTest(t, december1)
	body := blockActions("UCAND", actionHomeAnswer+"0", "salaire", "", "", "", "trig-42")
	h.click(t, body)
	c := h.fake.NextCall(t, "views.open")
	var got struct {
		TriggerID string `json:"trigger_id"`
		View      struct {
			Type  string `json:"type"`
			Title struct {
				Text string `json:"text"`
			} `json:"title"`
			Close struct {
				Text string `json:"text"`
			} `json:"close"`
		} `json:"view"`
	}
	if err := json.Unmarshal(c.JSON, &got); err != nil {
		t.Fatal(err)
	}
	if got.TriggerID != "trig-42" || got.View.Type != "modal" || got.View.Title.Text != "Réponse" || got.View.Close.Text != "Fermer" {
		t.Errorf("views.open %+v", got)
	}
	for _, want := range []string{"*Quel est le salaire ?*", "Le salaire est de 3 500 € à 4 800 €, selon l'expérience.",
		"Source : « Conditions »", formURL, "Postuler"} {
		if !strings.Contains(string(c.JSON), want) {
			t.Errorf("modal lacks %q:\n%s", want, c.JSON)
		}
	}
	// An entry that is gone (a reload since the Home was published) opens nothing.
	h.click(t, blockActions("UCAND", actionHomeAnswer+"0", "no-such-entry", "", "", "", "trig-43"))
	h.fake.NoCall(t, "views.open", quiet)
}

// The chart is uploaded once while its figures stay the same, again when
// they change, and /bin stats shows it below the figures.
func TestStatsCarriesTheChart(t *testing.T) {
	h := newHomeTest(t, december1)
	seedWeeks(t, h.store, december1)
	msg := h.commandDone(t, "USTAFF", "stats")
	up := h.fake.NextUpload(t)
	var blocks []map[string]any
	if err := json.Unmarshal(msg.Blocks, &blocks); err != nil || len(blocks) < 2 {
		t.Fatalf("stats blocks %s: %v", msg.Blocks, err)
	}
	last := blocks[len(blocks)-1]
	if file, _ := last["slack_file"].(map[string]any); last["type"] != "image" || file["id"] != up.FileID {
		t.Errorf("last block %v, want the chart %s", last, up.FileID)
	}
	if !strings.Contains(string(msg.Blocks), "Questions des 7 derniers jours") || !strings.Contains(msg.Text, "Questions des 7 derniers jours") {
		t.Errorf("stats lost their text: %q / %s", msg.Text, msg.Blocks)
	}

	h.fake.NextCall(t, "files.getUploadURLExternal") // the first upload's
	again := h.commandDone(t, "USTAFF", "stats 30d")
	h.fake.NoCall(t, "files.getUploadURLExternal", quiet)
	if !strings.Contains(string(again.Blocks), up.FileID) {
		t.Errorf("same figures, not the same file: %s", again.Blocks)
	}

	h.mu.Lock()
	h.handed["2021-11-30"] = 1 // a handoff: the figures changed
	h.mu.Unlock()
	third := h.commandDone(t, "USTAFF", "stats")
	next := h.fake.NextUpload(t)
	if next.FileID == up.FileID || !strings.Contains(string(third.Blocks), next.FileID) {
		t.Errorf("changed figures: upload %s, blocks %s", next.FileID, third.Blocks)
	}

	h.clock.advance(chartMaxAge)
	h.commandDone(t, "USTAFF", "stats")
	h.fake.NextUpload(t) // an hour on: a fresh file

	// Anything else than stats carries no chart.
	if help := h.commandDone(t, "USTAFF", "help"); strings.Contains(string(help.Blocks), "slack_file") {
		t.Errorf("help shows the chart: %s", help.Blocks)
	}
}

// Slack refusing the chart's file (not processed yet, say) still gets the
// staff their Home, without the image, and the chart comes back with the
// next refresh.
func TestHomePublishedWithoutARefusedChart(t *testing.T) {
	h := newHomeTest(t, december1)
	var refusals atomic.Int64
	h.fake.Answer("views.publish", func(c slackfake.Call) any {
		if strings.Contains(string(c.JSON), "slack_file") && refusals.Add(1) == 1 {
			return map[string]any{"ok": false, "error": "invalid_blocks"}
		}
		return nil
	})
	h.open(t, "EvH1", "USTAFF")
	up := h.fake.NextUpload(t)
	if p := h.nextPublish(t); p.block("image", "chart") == nil {
		t.Fatal("the first try carries the chart")
	}
	if p := h.nextPublish(t); p.block("image", "chart") != nil || !strings.Contains(p.raw, "figures") {
		t.Errorf("second try:\n%s", p.raw)
	}
	h.clock.advance(time.Minute)
	h.home.Changed()
	p := h.nextPublish(t)
	if img := p.block("image", "chart"); img == nil || !strings.Contains(p.raw, up.FileID) {
		t.Errorf("the refresh did not bring the chart back:\n%s", p.raw)
	}
	h.fake.NextCall(t, "files.getUploadURLExternal")
	h.fake.NoCall(t, "files.getUploadURLExternal", quiet) // one upload: the refused file was kept
}

// Over Socket Mode the open reaches the same Home.
func TestHomeOverSocketMode(t *testing.T) {
	h := newHomeTest(t, december1)
	payload := callback("EvH1", event{"type": "app_home_opened", "user": "UCAND", "tab": "home", "event_ts": "1.1"})
	ack := &fakeAcker{}
	h.handleSocket(t.Context(), socketmode.Event{Type: socketmode.EventTypeEventsAPI,
		Request: &socketmode.Request{Type: "events_api", EnvelopeID: "env-h", Payload: payload}}, ack)
	if _, ok := ack.acks["env-h"]; !ok {
		t.Error("envelope not acknowledged")
	}
	if p := h.nextPublish(t); p.UserID != "UCAND" {
		t.Errorf("published for %q", p.UserID)
	}
	// The Messages tab is no Home.
	h.postEvent(t, "EvH2", event{"type": "app_home_opened", "user": "UOTHER", "tab": "messages", "event_ts": "1.2"})
	h.fake.NoCall(t, "views.publish", quiet)
}
