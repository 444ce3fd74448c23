package answers

import (
	"strings"
	"testing"
	"time"
)

func TestDeadlineStatusFollowsTheClock(t *testing.T) {
	cases := []struct {
		now  time.Time
		want string
	}{
		{paris(2021, time.November, 29, 10), "Il reste 10 jours."},
		{paris(2021, time.December, 7, 0), "Il reste 2 jours."},
		{paris(2021, time.December, 8, 9), "Dernier jour !"},
		{paris(2021, time.December, 9, 0), "Les candidatures sont closes."},
		{paris(2026, time.November, 29, 0), "Les candidatures sont closes."},
	}
	base := mustLoad(t, "testdata/faq.yaml")
	for _, c := range cases {
		m := base.At(func() time.Time { return c.now })
		r, _ := m.AnswerFor("date-limite")
		// The date and the status are both stated, whatever the day.
		want := "Avant le 9 décembre 2021. " + c.want
		if !c.now.Before(paris(2021, time.December, 9, 0)) {
			want = "Les candidatures étaient reçues jusqu'au 9 décembre 2021. " + c.want
		}
		if r.Answer != want {
			t.Errorf("at %v: answer %q, want %q", c.now, r.Answer, want)
		}
	}
}

func TestFrenchDate(t *testing.T) {
	for in, want := range map[string]string{"2021-12-09": "9 décembre 2021", "2022-03-01": "1er mars 2022", "2023-08-15": "15 août 2023"} {
		d, _ := time.ParseInLocation("2006-01-02", in, Paris)
		if got := dateIn(d, French); got != want {
			t.Errorf("dateIn(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestExpandLeavesUnknownPlaceholders(t *testing.T) {
	got := expand("a {{x}} b {{ y }} c {{unclosed", func(n string) (string, bool) {
		if n == "y" {
			return "Y", true
		}
		return "", false
	})
	if got != "a {{x}} b Y c {{unclosed" {
		t.Errorf("expand = %q", got)
	}
}

func TestRealFAQStatesFactsOnce(t *testing.T) {
	m := realMatcher(t, paris(2021, time.December, 1, 12))
	r, _ := m.AnswerFor("salaire")
	if !strings.Contains(r.Answer, "3 500 € à 4 800 €") {
		t.Errorf("salary answer lost the salary fact: %q", r.Answer)
	}
	r, _ = m.AnswerFor("date-limite")
	if !strings.Contains(r.Answer, "9 décembre 2021") || !strings.Contains(r.Answer, "Il reste 8 jours") {
		t.Errorf("deadline answer = %q", r.Answer)
	}
}
