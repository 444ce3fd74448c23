package store

import (
	"fmt"
	"testing"
	"time"
)

// recordAt records a delivered question with decision d, asked at at.
func recordAt(t *testing.T, s *Store, n int, text, decision string, at time.Time) int64 {
	t.Helper()
	id, fresh, err := s.RecordQuestion(t.Context(), Question{EventID: fmt.Sprintf("Ev%d", n), Text: text, UserID: "U1",
		Channel: "D1", ChannelType: "im", TS: fmt.Sprintf("%d.1", n), ThreadTS: fmt.Sprintf("%d.1", n), AskedAt: at})
	if err != nil || !fresh {
		t.Fatal(fresh, err)
	}
	if err := s.Delivered(t.Context(), id, Outcome{Decision: decision}, "r", at); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestHandoffLifecycleAndFigures(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		fallback1 := recordAt(t, s, 1, "xyzzy", "fallback", t0)
		fallback2 := recordAt(t, s, 2, "plugh", "fallback", t0)
		answered := recordAt(t, s, 3, "Quel est le salaire ?", "answer", t0)
		old := recordAt(t, s, 4, "ancienne", "fallback", t0.Add(-48*time.Hour))
		for range 2 { // a second pass, or another replica's, opens nothing more
			if _, err := s.OpenFallbackHandoffs(ctx, t0.Add(-time.Hour), t0); err != nil {
				t.Fatal(err)
			}
		}
		if opened, err := s.OpenHandoff(ctx, answered, ReasonThumbsDown, t0.Add(time.Minute)); err != nil || !opened {
			t.Fatalf("thumbs down handoff: %v %v", opened, err)
		}
		if opened, _ := s.OpenHandoff(ctx, fallback1, ReasonThumbsDown, t0); opened {
			t.Error("a question handed over twice")
		}
		if _, err := s.Handoff(ctx, old); err == nil {
			t.Error("a fallback older than the window was handed over")
		}
		waiting, err := s.WaitingHandoffs(ctx, 10)
		if err != nil || len(waiting) != 3 || waiting[0].QuestionID != answered {
			t.Fatalf("waiting = %+v, %v", waiting, err)
		}
		if w := waiting[1]; w.Text == "" || w.Channel != "D1" || w.TS == "" || w.Status != HandoffWaiting {
			t.Errorf("waiting handoff = %+v", w)
		}
		if ok, err := s.ClaimHandoff(ctx, fallback1, "USTAFF"); err != nil || !ok {
			t.Fatal(ok, err)
		}
		if ok, _ := s.AnswerHandoff(ctx, fallback1, "USTAFF", t0.Add(10*time.Minute)); !ok {
			t.Fatal("not answered")
		}
		if ids, err := s.AnswerHandoffsInThread(ctx, "D1", "3.1", "USTAFF", t0.Add(21*time.Minute)); err != nil || len(ids) != 1 {
			t.Fatalf("answered in thread = %v, %v", ids, err)
		}
		if ok, _ := s.MarkOffTopic(ctx, OffTopic{QuestionID: fallback2, Text: "plugh", AddedBy: "USTAFF", AddedAt: t0}); !ok {
			t.Fatal("not marked off topic")
		}
		if texts, _ := s.OffTopicTexts(ctx); len(texts) != 1 || texts[0] != "plugh" {
			t.Errorf("off-topic texts = %q", texts)
		}
		f, err := s.Stats(ctx, Day(t0), Day(t0).AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		// Answered after 10 and 20 minutes: the median is 15.
		if h := f.Handoffs; h.Opened != 3 || h.Answered != 2 || h.Median != 15*time.Minute {
			t.Errorf("handoff figures = %+v", h)
		}
		days, err := s.HandoffsPerDay(ctx, Day(t0).AddDate(0, 0, -3), Day(t0).AddDate(0, 0, 1))
		if err != nil || len(days) != 1 || days["2026-12-01"] != 3 {
			t.Errorf("per day = %v, %v", days, err)
		}
		if waiting, _ := s.WaitingHandoffs(ctx, 10); len(waiting) != 0 {
			t.Errorf("still waiting: %+v", waiting)
		}
	})
}

// Once someone other than the asker wrote in a thread, it is taken over.
func TestThreadTakeover(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store, _ string) {
		ctx := t.Context()
		recordAt(t, s, 1, "Quel est le salaire ?", "answer", time.Now())
		if ours, err := s.NoteThreadAuthor(ctx, "D1", "9.9", "U2"); err != nil || ours {
			t.Errorf("a thread the bot never answered noted: %v %v", ours, err)
		}
		if ours, _ := s.NoteThreadAuthor(ctx, "D1", "1.1", "U1"); !ours {
			t.Error("the bot's thread not recognised")
		}
		if taken, _ := s.TakenOver(ctx, "D1", "1.1"); taken {
			t.Error("taken over by its own asker")
		}
		s.NoteThreadAuthor(ctx, "D1", "1.1", "U2")
		s.NoteThreadAuthor(ctx, "D1", "1.1", "U2") // noted twice: a set
		if taken, err := s.TakenOver(ctx, "D1", "1.1"); err != nil || !taken {
			t.Errorf("taken over = %v, %v", taken, err)
		}
	})
}
