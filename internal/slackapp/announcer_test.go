package slackapp

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// The test FAQ's deadline is 2021-12-09 (Paris): J-7 is 2 December.
const testPlan = `grace: 2h
channels:
  recrutement: C0RECRUT1
announcements:
  - id: appel
    channels: [recrutement]
    at: 2021-11-22 10:00
    text: "La BIN recrute ! Avant le {{deadline}}."
  - id: rappel
    channels: [recrutement]
    reminders:
      days_before: [7]
      at: "10:00"
    text: "{{deadline_status}}"
  - id: manuel
    channels: [recrutement, C0OTHER22]
    text: "Annonce à la demande, {{salary}}."
`

// clock is a settable test clock.
type clock struct{ t atomic.Pointer[time.Time] }

func (c *clock) set(t time.Time) { c.t.Store(&t) }
func (c *clock) now() time.Time  { return *c.t.Load() }
func at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2021, month, day, hour, min, 0, 0, answers.Paris)
}

func newTestAnnouncer(t *testing.T, fake *fakeSlack, st *store.Store, c *clock) *announcer.Announcer {
	t.Helper()
	plan, err := announce.Parse("ann.yaml", []byte(testPlan))
	if err != nil {
		t.Fatal(err)
	}
	// The answer engine's test FAQ: it has the deadline and salary facts.
	m, err := answers.Load("../answers/testdata/faq.yaml", answers.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	var mp atomic.Pointer[answers.Matcher]
	mp.Store(m)
	an := announcer.New(plan, announcer.Deps{Matcher: &mp, Store: st, Now: c.now,
		Poster: NewReplier(&mp, slack.New("xoxb-test", slack.OptionAPIURL(fake.URL)), nil),
		Log:    slog.New(slog.NewTextHandler(t.Output(), nil)), Backoff: func(int, time.Duration) time.Duration { return time.Millisecond }})
	an.Pace = time.Millisecond
	return an
}

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// onEachBackend runs test on a fresh SQLite file and, when
// TEST_DATABASE_URL is set, on a PostgreSQL schema of its own.
func onEachBackend(t *testing.T, test func(t *testing.T, db string)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) { test(t, b.URL(t)) })
	}
}

// tick runs one round of the announcer and fails the test on an error.
func tick(t *testing.T, an *announcer.Announcer) {
	t.Helper()
	if err := an.Tick(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// noMorePosts checks the fake Slack received exactly n calls so far.
func noMorePosts(t *testing.T, fake *fakeSlack, n int64) {
	t.Helper()
	if got := fake.Calls(); got != n {
		t.Fatalf("chat.postMessage called %d times, want %d", got, n)
	}
}

func TestAnnouncerPostsWhenDueAndOnlyOnce(t *testing.T) {
	onEachBackend(t, func(t *testing.T, db string) {
		fake := newFakeSlack(t)
		var c clock
		an := newTestAnnouncer(t, fake, openStore(t, db), &c)

		c.set(at(time.November, 22, 9, 59)) // early: nothing
		if err := an.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		noMorePosts(t, fake, 0)

		c.set(at(time.November, 22, 10, 0)) // due
		if err := an.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		p := fake.Next(t)
		if p.Get("channel") != "C0RECRUT1" || !strings.Contains(p.Get("text"), "La BIN recrute ! Avant le 9 décembre 2021.") ||
			!strings.Contains(p.Get("text"), "Postuler : https://example.gouv.fr/form") {
			t.Errorf("post = %v", p)
		}
		if !strings.Contains(p.Get("blocks"), `"url":"https://example.gouv.fr/form"`) {
			t.Errorf("no Postuler button: %s", p.Get("blocks"))
		}
		if p.Get("unfurl_links") != "false" || p.Get("unfurl_media") != "false" {
			t.Errorf("unfurl_links %q, unfurl_media %q: want both off", p.Get("unfurl_links"), p.Get("unfurl_media"))
		}
		c.set(at(time.November, 22, 10, 30)) // ticks go on: no second post
		tick(t, an)
		tick(t, an)
		noMorePosts(t, fake, 1)
	})
}

func TestAnnouncerGraceWindow(t *testing.T) {
	onEachBackend(t, func(t *testing.T, db string) {
		fake := newFakeSlack(t)
		var c clock
		st := openStore(t, db)
		an := newTestAnnouncer(t, fake, st, &c)

		// The bot was down at 10:00 on 22 November; back at 11:50, within the 2h grace.
		c.set(at(time.November, 22, 11, 50))
		tick(t, an)
		if p := fake.Next(t); !strings.Contains(p.Get("text"), "La BIN recrute") {
			t.Errorf("late post = %v", p)
		}
		// Down again over the J-7 reminder (2 December 10:00), back at 12:01:
		// too late, skipped and recorded, not posted.
		c.set(at(time.December, 2, 12, 1))
		tick(t, an)
		noMorePosts(t, fake, 1)
		if an.Missed() != 1 {
			t.Errorf("missed = %d, want 1", an.Missed())
		}
		posts, err := st.AnnouncementPosts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]string{}
		for _, p := range posts {
			status[p.Name] = p.Status
		}
		if status["appel"] != store.AnnouncementPosted || status["rappel-j7"] != store.AnnouncementSkipped {
			t.Errorf("statuses = %v", status)
		}
		// Staff see it in the list.
		list, err := an.List(t.Context())
		if err != nil || !strings.Contains(list, "`rappel-j7`") || !strings.Contains(list, "manquée") || !strings.Contains(list, "envoyée") {
			t.Errorf("list = %s, %v", list, err)
		}
	})
}

func TestAnnouncerRestartDoesNotPostAgain(t *testing.T) {
	onEachBackend(t, func(t *testing.T, db string) {
		fake := newFakeSlack(t)
		var c clock
		c.set(at(time.November, 22, 10, 1))
		path := db
		st := openStore(t, path)
		tick(t, newTestAnnouncer(t, fake, st, &c))
		fake.Next(t)
		st.Close()

		// A new process on the same database, a minute later.
		c.set(at(time.November, 22, 10, 2))
		tick(t, newTestAnnouncer(t, fake, openStore(t, path), &c))
		noMorePosts(t, fake, 1)
	})
}

func TestAnnouncerTwoReplicasPostOnce(t *testing.T) {
	onEachBackend(t, func(t *testing.T, db string) {
		fake := newFakeSlack(t)
		var c clock
		c.set(at(time.December, 2, 10, 0))
		// Two replicas: each its own connection to one database (SQLite: one
		// process, so one store shared).
		st1 := openStore(t, db)
		st2 := st1
		if strings.HasPrefix(db, "postgres") {
			st2 = openStore(t, db)
		}
		r1, r2 := newTestAnnouncer(t, fake, st1, &c), newTestAnnouncer(t, fake, st2, &c)
		var wg sync.WaitGroup
		for _, an := range []*announcer.Announcer{r1, r2, r1, r2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := an.Tick(t.Context()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		// appel (22 November) is past the grace window; only the J-7 reminder posts.
		if p := fake.Next(t); !strings.Contains(p.Get("text"), "Il reste 7 jours") {
			t.Errorf("post = %v", p)
		}
		noMorePosts(t, fake, 1)
	})
}

func TestAnnouncerTakesOverAPostLeftByADeadReplica(t *testing.T) {
	onEachBackend(t, func(t *testing.T, db string) {
		fake := newFakeSlack(t)
		var c clock
		st := openStore(t, db)
		an := newTestAnnouncer(t, fake, st, &c)
		occ := an.Plan().Find(an.Occurrences(), "appel")[0]
		// A replica claimed it at 10:00 and died before posting.
		if ok, err := st.ClaimAnnouncement(t.Context(), announcer.ClaimOf(occ, store.AnnouncementPosting, occ.At, "")); !ok || err != nil {
			t.Fatalf("claim: %v %v", ok, err)
		}
		c.set(occ.At.Add(time.Minute)) // not stale yet
		tick(t, an)
		noMorePosts(t, fake, 0)
		c.set(occ.At.Add(an.Stale + time.Minute))
		tick(t, an)
		fake.Next(t)
		tick(t, an)
		noMorePosts(t, fake, 1)
	})
}

func TestAnnouncerRetriesPassingErrors(t *testing.T) {
	fake := newFakeSlack(t)
	setScript(fake, func(n int64, _ url.Values) (int, string, string) {
		if n <= 2 {
			return http.StatusTooManyRequests, "1", ""
		}
		return 0, "", ""
	})
	var c clock
	c.set(at(time.November, 22, 10, 0))
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	tick(t, newTestAnnouncer(t, fake, st, &c))
	fake.Next(t)
	posts, _ := st.AnnouncementPosts(t.Context())
	if len(posts) != 1 || posts[0].Status != store.AnnouncementPosted {
		t.Errorf("posts = %+v", posts)
	}
}

func TestAnnounceStaffCommandSendsAfterConfirmation(t *testing.T) {
	fake := newFakeSlack(t)
	ta := newTestApp(t, fake, "", false)
	var c clock
	c.set(at(time.December, 1, 15, 0))
	an := newTestAnnouncer(t, fake, ta.store, &c)
	ta.SetAnnouncer(an)

	command := func(user, text string) commandReply {
		body := url.Values{"command": {"/bin"}, "text": {text}, "user_id": {user}, "channel_id": {"C1"},
			"team_id": {"T1"}, "response_url": {ta.fake.ResponseURL}}.Encode()
		w := ta.serve(signed("POST", "/slack/commands", "application/x-www-form-urlencoded", []byte(body)))
		var r struct {
			commandReply
			Blocks []map[string]any `json:"blocks"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &r) != nil {
			t.Fatalf("POST /slack/commands %q = %d %s", text, w.Code, w.Body)
		}
		if len(r.Blocks) > 0 {
			r.commandReply.Text += " [blocks]" + w.Body.String()
		}
		return r.commandReply
	}
	if r := command("USTAFF", "announce list"); !strings.Contains(r.Text, "`rappel-j7`") || !strings.Contains(r.Text, "à venir") ||
		!strings.Contains(r.Text, "`manuel` à la demande") {
		t.Errorf("list = %s", r.Text)
	}
	if r := command("USTAFF", "announce preview rappel-j7"); !strings.Contains(r.Text, "Il reste 7 jours") {
		t.Errorf("preview = %s", r.Text)
	}
	if r := command("U1", "announce send manuel"); !strings.Contains(r.Text, "réservée à l'équipe") {
		t.Errorf("candidate got %s", r.Text)
	}
	r := command("USTAFF", "announce send manuel")
	if !strings.Contains(r.Text, actionAnnounceSend) || !strings.Contains(r.Text, "Annonce à la demande, de 3 500 € à 4 800 €.") {
		t.Fatalf("send asks no confirmation: %s", r.Text)
	}
	noMorePosts(t, fake, 0) // nothing posted before the click

	ta.click(t, withResponseURL(blockActions("U1", actionAnnounceSend, "manuel", "C1", "55.1", "", "t0"), ta.fake.ResponseURL)) // not staff
	ta.click(t, withResponseURL(blockActions("USTAFF", actionAnnounceSend, "manuel", "C1", "55.1", "", "t1"), ta.fake.ResponseURL))
	ta.click(t, withResponseURL(blockActions("USTAFF", actionAnnounceSend, "manuel", "C1", "55.1", "", "t2"), ta.fake.ResponseURL)) // double click
	got := map[string]bool{fake.Next(t).Get("channel"): true, fake.Next(t).Get("channel"): true}
	if !got["C0RECRUT1"] || !got["C0OTHER22"] {
		t.Errorf("sent to %v", got)
	}
	// The send finishes after the click's acknowledgement.
	tick, deadline := time.NewTicker(time.Millisecond), time.After(waitFor)
	defer tick.Stop()
	for an.Sent() < 1 {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("send not finished")
		}
	}
	noMorePosts(t, fake, 2)
	if m := ta.fake.NextResponse(t); !m.ReplaceOriginal || !strings.Contains(m.Text, "`manuel` envoyée") {
		t.Errorf("response_url got %+v, want the confirmation replaced", m)
	}
	ta.Close() // follow-ups finished
	if n := len(ta.fake.Responses); n != 0 {
		t.Errorf("%d more response_url posts, want 1 in all", n)
	}
}

// TestResponseURLIsNeverLogged: a response_url grants posting; when a post
// to it fails, the log says why without it.
func TestResponseURLIsNeverLogged(t *testing.T) {
	var log logBuffer
	fake := newFakeSlack(t)
	ta := newTestApp(t, fake, "", false, logTo(&log))
	var c clock
	c.set(at(time.December, 1, 15, 0))
	ta.SetAnnouncer(newTestAnnouncer(t, fake, ta.store, &c))
	const secret = "http://127.0.0.1:1/actions/T1/1/s3cr3t-hook"
	ta.click(t, withResponseURL(blockActions("USTAFF", actionAnnounceCancel, "manuel", "C1", "55.1", "", "t1"), secret))
	ta.Close() // the follow-up has run
	got := log.String()
	if !strings.Contains(got, "response_url") {
		t.Fatalf("the failed post to response_url left no line:\n%s", got)
	}
	if strings.Contains(got, "s3cr3t-hook") {
		t.Errorf("response_url logged:\n%s", got)
	}
}

// TestAnnouncerWaitsOutARefusedToken: a post refused for the token is not
// marked failed; it goes out once the token is back, when taken over.
func TestAnnouncerWaitsOutARefusedToken(t *testing.T) {
	fake := newFakeSlack(t)
	fake.RefuseToken("token_revoked")
	var c clock
	c.set(at(time.November, 22, 10, 0))
	st := openStore(t, filepath.Join(t.TempDir(), "bot.db"))
	an := newTestAnnouncer(t, fake, st, &c)
	tick(t, an)
	posts, err := st.AnnouncementPosts(t.Context())
	if err != nil || len(posts) != 1 || posts[0].Status != store.AnnouncementPosting {
		t.Fatalf("after a refused token: %+v, %v; want the post still claimed", posts, err)
	}
	fake.RefuseToken("")
	c.set(at(time.November, 22, 10, 0).Add(an.Stale + time.Minute)) // still within the 2h grace
	tick(t, an)
	if p := fake.Next(t); !strings.Contains(p.Get("text"), "La BIN recrute") {
		t.Errorf("post = %v", p)
	}
}
