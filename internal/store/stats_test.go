package store

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// seed records questions asked at the given times and settles them.
type seeded struct {
	at        time.Time
	channel   string
	ctype     string
	decision  string
	entry     string
	smallTalk string
	vote      string // "", "up" or "down"
}

func seed(t *testing.T, s *Store, rows []seeded) []int64 {
	t.Helper()
	ctx := t.Context()
	var ids []int64
	for i, r := range rows {
		ts := fmt.Sprintf("%d.%d", r.at.Unix(), i)
		q := Question{EventID: "Ev" + ts, Text: fmt.Sprintf("question %d", i), UserID: "U1", Channel: r.channel,
			ChannelType: r.ctype, TS: ts, ThreadTS: ts, AskedAt: r.at}
		id, _, err := s.RecordQuestion(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if r.decision == "" {
			continue
		}
		if err := s.Delivered(ctx, id, Outcome{Decision: r.decision, EntryID: r.entry, SmallTalk: r.smallTalk}, "9.9", r.at); err != nil {
			t.Fatal(err)
		}
		if r.vote != "" {
			if err := s.RecordFeedback(ctx, id, "U2", r.vote == "up", r.at); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

var (
	monday  = time.Date(2021, 12, 6, 10, 0, 0, 0, Paris)
	tuesday = monday.AddDate(0, 0, 1)
)

func statsRows() []seeded {
	return []seeded{
		{monday, "C1", "channel", "answer", "salaire", "", "up"},
		{monday, "D1", "im", "answer", "salaire", "", "down"},
		{monday, "D2", "im", "fallback", "", "", ""},
		{monday, "D2", "im", "fallback", "", "greeting", ""}, // small talk
		{tuesday, "C1", "channel", "suggest", "", "", ""},
		{tuesday, "C1", "channel", "answer", "teletravail", "", "up"},
		{tuesday, "C2", "channel", "", "", "", ""}, // pending
	}
}

func TestStats(t *testing.T) { eachBackend(t, testStats) }

func testStats(t *testing.T, s *Store, _ string) {
	seed(t, s, statsRows())
	got, err := s.Stats(t.Context(), Day(monday), Day(tuesday).AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := Figures{From: Day(monday), To: Day(tuesday).AddDate(0, 0, 1),
		Questions: 6, Answered: 3, Suggested: 1, Fallback: 1, Pending: 1, SmallTalk: 1, FeedbackUp: 2, FeedbackDown: 1,
		Entries:  []Count{{"salaire", 2}, {"teletravail", 1}},
		Channels: []Count{{"C1", 3}, {"im", 2}, {"C2", 1}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Stats =\n%+v\nwant\n%+v", got, want)
	}
	mon, _ := s.Stats(t.Context(), Day(monday), Day(tuesday))
	if mon.Questions != 3 || mon.Answered != 2 || mon.Fallback != 1 {
		t.Errorf("Monday alone = %+v", mon)
	}
}

// The purge deletes old questions, text and user ids with them, and the
// figures of their days stay the same.
func TestPurgeKeepsFigures(t *testing.T) { eachBackend(t, testPurgeKeepsFigures) }

func testPurgeKeepsFigures(t *testing.T, s *Store, _ string) {
	ctx := t.Context()
	seed(t, s, statsRows())
	all := func() Figures {
		f, err := s.Stats(ctx, time.Time{}, Day(tuesday).AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	before := all()
	// Cut at Tuesday 23:00: Monday goes, Tuesday (a day not yet over) stays.
	n, err := s.Purge(ctx, tuesday.Add(13*time.Hour))
	if err != nil || n != 4 {
		t.Fatalf("Purge = %d, %v; want Monday's 4 questions", n, err)
	}
	if after := all(); !reflect.DeepEqual(after, before) {
		t.Errorf("figures changed by the purge:\n%+v\nwant\n%+v", after, before)
	}
	if again, err := s.Purge(ctx, tuesday.Add(13*time.Hour)); err != nil || again != 0 {
		t.Errorf("second Purge = %d, %v", again, err)
	}
	var left, events, votes int
	s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions`).Scan(&left)
	s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`).Scan(&events)
	s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM feedback`).Scan(&votes)
	if left != 3 || events != 3 || votes != 1 {
		t.Errorf("left %d questions, %d events, %d votes; want Tuesday's 3, 3, 1", left, events, votes)
	}
	// Everything purged: the figures still come from daily_stats alone.
	if _, err := s.Purge(ctx, tuesday.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if after := all(); !reflect.DeepEqual(after, before) {
		t.Errorf("figures after purging all:\n%+v\nwant\n%+v", after, before)
	}
	mon, _ := s.Stats(ctx, Day(monday), Day(tuesday))
	if mon.Questions != 3 || mon.FeedbackDown != 1 {
		t.Errorf("Monday from daily_stats = %+v", mon)
	}
}

func TestUnansweredAndAlternates(t *testing.T) { eachBackend(t, testUnansweredAndAlternates) }

func testUnansweredAndAlternates(t *testing.T, s *Store, _ string) {
	ctx := t.Context()
	ids := seed(t, s, statsRows())
	got, err := s.Unanswered(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The fallback (not the small talk) and the answer voted down, newest first.
	if len(got) != 2 || got[0].ID != ids[2] || got[0].Decision != "fallback" || got[1].ID != ids[1] || !got[1].Down {
		t.Fatalf("Unanswered = %+v", got)
	}
	v0, _ := s.AlternatesVersion(ctx)
	a := Alternate{EntryID: "salaire", Text: got[0].Text, QuestionID: got[0].ID, AddedBy: "USTAFF", AddedAt: tuesday}
	if added, err := s.AddAlternate(ctx, a); !added || err != nil {
		t.Fatalf("AddAlternate = %v, %v", added, err)
	}
	if added, err := s.AddAlternate(ctx, a); added || err != nil {
		t.Fatalf("AddAlternate again = %v, %v; want not added", added, err)
	}
	if v1, _ := s.AlternatesVersion(ctx); v1 == v0 {
		t.Errorf("AlternatesVersion did not change: %s", v1)
	}
	list, err := s.Alternates(ctx)
	if err != nil || len(list) != 1 || list[0].Text != "question 2" || !list[0].AddedAt.Equal(tuesday) {
		t.Fatalf("Alternates = %+v, %v", list, err)
	}
	if got, _ := s.Unanswered(ctx, 10); len(got) != 1 || got[0].ID != ids[1] {
		t.Errorf("Unanswered after attaching = %+v, want only the one voted down", got)
	}
	if got, _ := s.Unanswered(ctx, 0); len(got) != 0 {
		t.Errorf("Unanswered(0) = %+v", got)
	}
}
