package answers

import (
	"strings"
	"testing"
	"time"
)

func TestStateFollowsTheTwoDates(t *testing.T) {
	faq, err := LoadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		at   time.Time
		want State
	}{
		{paris(2021, time.December, 8, 23), StateOpen},
		{paris(2021, time.December, 9, 0), StateClosed},
		{paris(2023, time.December, 31, 23), StateClosed},
		{paris(2024, time.January, 1, 0), StateEnded},
	}
	for _, c := range cases {
		if got := faq.StateAt(c.at); got != c.want {
			t.Errorf("StateAt(%v) = %s, want %s", c.at, got, c.want)
		}
	}
}

// Every entry, on the three days, in both languages, reads as a candidate
// must read it: capital start, no placeholder, one colon a sentence, short
// unless a list, and no invitation to apply once the call is closed.
func TestEveryAnswerIsTrueOnItsDay(t *testing.T) {
	for _, day := range []time.Time{dayOpen, dayClosed, dayEnded} {
		m := realMatcher(t, day)
		state := m.FAQ().StateAt(day)
		for _, e := range m.FAQ().Entries {
			for _, lang := range []Lang{French, English} {
				r, ok := m.AnswerIn(e.ID, lang)
				if !ok {
					t.Fatalf("no entry %s", e.ID)
				}
				if r.Lang != lang {
					t.Errorf("%s (%s): answered in %s: every entry has an English answer", e.ID, lang, r.Lang)
				}
				for _, p := range LintAnswer(r.Answer, state) {
					t.Errorf("%s (%s, %s): %s\n%s", e.ID, lang, state, p, r.Answer)
				}
				if r.Source == "" {
					t.Errorf("%s: no source line", e.ID)
				}
				apply := r.Link.URL == m.FAQ().FormURL.Value && (r.Link.Label == "Postuler" || r.Link.Label == "Apply")
				if (state == StateOpen) != apply {
					t.Errorf("%s (%s, %s): button %+v", e.ID, lang, state, r.Link)
				}
			}
		}
	}
}

func TestDeadlineAnswersFollowTheCall(t *testing.T) {
	open, _ := realMatcher(t, dayOpen).AnswerFor("date-limite")
	if !strings.Contains(open.Answer, "9 décembre 2021") || !strings.Contains(open.Answer, "Il reste 10 jours") {
		t.Errorf("open: %q", open.Answer)
	}
	for _, day := range []time.Time{dayClosed, dayEnded} {
		for _, id := range []string{"date-limite", "recrute-encore", "candidater"} {
			r, _ := realMatcher(t, day).AnswerFor(id)
			if strings.Contains(r.Answer, "Il reste") || !strings.Contains(r.Answer, "9 décembre 2021") && id != "candidater" {
				t.Errorf("%s on %v: %q", id, day, r.Answer)
			}
			if r.Link.Label != "Voir l'annonce" {
				t.Errorf("%s on %v: button %q", id, day, r.Link.Label)
			}
		}
	}
	ended, _ := realMatcher(t, dayEnded).AnswerFor("recrute-encore")
	if !strings.HasPrefix(ended.Answer, "Non") {
		t.Errorf("is it still recruiting, today: %q", ended.Answer)
	}
	opened, _ := realMatcher(t, dayOpen).AnswerFor("recrute-encore")
	if !strings.HasPrefix(opened.Answer, "Oui") {
		t.Errorf("is it still recruiting, while open: %q", opened.Answer)
	}
}

// Staff open a new call by changing the two dates: nothing else.
func TestANewCallNeedsOnlyNewDates(t *testing.T) {
	m := realMatcher(t, dayEnded)
	faq := *m.FAQ()
	faq.Facts = append([]Fact(nil), faq.Facts...)
	for i := range faq.Facts {
		switch faq.Facts[i].Name {
		case factDeadline:
			faq.Facts[i].Value = Variants{Text: Text{Value: "2027-01-15"}}
		case factProgrammeEnd:
			faq.Facts[i].Value = Variants{Text: Text{Value: "2029-12-31"}}
		}
	}
	if got := faq.StateAt(dayEnded); got != StateOpen {
		t.Fatalf("state with new dates = %s", got)
	}
	r, err := newRenderer(&faq)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := faq.Entry("date-limite")
	text, _ := r.answer(e, dayEnded, French)
	if !strings.Contains(text, "15 janvier 2027") || !strings.Contains(text, "Il reste 45 jours") {
		t.Errorf("deadline answer of the new call: %q", text)
	}
	if l := r.link(dayEnded, French); l.Label != "Postuler" {
		t.Errorf("button of the new call: %q", l.Label)
	}
}
