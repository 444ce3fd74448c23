package store

import (
	"reflect"
	"testing"
	"time"
)

// Questions count on their Paris day, late at night and across the
// October clock change included, zero days are listed, and the purge
// changes nothing.
func TestDailyDecisions(t *testing.T) { eachBackend(t, testDailyDecisions) }

func testDailyDecisions(t *testing.T, s *Store, _ string) {
	ctx := t.Context()
	sat := time.Date(2021, 10, 30, 12, 0, 0, 0, Paris)
	sunEarly := time.Date(2021, 10, 31, 0, 30, 0, 0, Paris) // still Saturday in UTC
	sunLate := time.Date(2021, 10, 31, 23, 30, 0, 0, Paris) // 22:30 UTC, after the change
	tue := time.Date(2021, 11, 2, 9, 0, 0, 0, Paris)
	seed(t, s, []seeded{
		{sat, "C1", "channel", "answer", "salaire", "", ""},
		{sat, "C1", "channel", "fallback", "", "greeting", ""}, // small talk: not counted
		{sunEarly, "D1", "im", "suggest", "", "", ""},
		{sunLate, "D1", "im", "fallback", "", "", ""},
		{tue, "C1", "channel", "answer", "contrat", "", ""},
		{tue, "C2", "channel", "", "", "", ""}, // pending
	})
	from, to := Day(sat), Day(tue).AddDate(0, 0, 1)
	want := []DayDecisions{
		{Day: Day(sat), Answered: 1},
		{Day: Day(sunEarly), Suggested: 1, Fallback: 1},
		{Day: Day(sunEarly).AddDate(0, 0, 1)},
		{Day: Day(tue), Answered: 1, Pending: 1},
	}
	got, err := s.DailyDecisions(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDays(got, want) {
		t.Errorf("DailyDecisions =\n%+v\nwant\n%+v", got, want)
	}
	if _, err := s.Purge(ctx, Day(tue)); err != nil {
		t.Fatal(err)
	}
	got, err = s.DailyDecisions(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if !sameDays(got, want) {
		t.Errorf("after the purge =\n%+v\nwant\n%+v", got, want)
	}
	if got[3].Questions() != 2 {
		t.Errorf("Tuesday's questions = %d, want 2", got[3].Questions())
	}
	if _, err := s.DailyDecisions(ctx, to, from); err == nil {
		t.Error("DailyDecisions on a reversed range: no error")
	}
}

// sameDays compares days by their Paris date: times from a zone and from
// AddDate compare unequal with == even when they name the same instant.
func sameDays(a, b []DayDecisions) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.Day.Equal(y.Day) {
			return false
		}
		x.Day, y.Day = time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
