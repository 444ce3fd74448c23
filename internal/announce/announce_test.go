package announce

import (
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/answers"
)

func paris(month time.Month, day, hour, min int) time.Time {
	return time.Date(2021, month, day, hour, min, 0, 0, answers.Paris)
}

func mustFAQ(t *testing.T) *answers.Matcher {
	t.Helper()
	m, err := answers.Load("../answers/testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const planYAML = `grace: 2h
channels:
  recrutement: C0RECRUT1
announcements:
  - id: appel
    channels: [recrutement, C0OTHER22]
    at: 2021-11-22 10:00
    text: "Candidatures avant le {{deadline}}. {{deadline_status}}"
  - id: rappel
    channels: [recrutement]
    reminders:
      days_before: [7, 1, 0]
      at: "09:30"
    text: "J-{{days}} : {{deadline_status}}"
  - id: manuel
    channels: [recrutement]
    text: "À la demande"
`

func mustPlan(t *testing.T, text string) *Plan {
	t.Helper()
	p, err := Parse("ann.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOccurrences(t *testing.T) {
	m := mustFAQ(t)
	p := mustPlan(t, planYAML)
	deadline, ok, _ := m.FAQ().Deadline()
	occs := p.Occurrences(deadline, ok)
	var got []string
	for _, o := range occs {
		got = append(got, o.Name+" "+o.Channel+" "+o.At.Format("01-02 15:04"))
	}
	want := []string{
		"appel C0RECRUT1 11-22 10:00", "appel C0OTHER22 11-22 10:00",
		"rappel-j7 C0RECRUT1 12-02 09:30", "rappel-j1 C0RECRUT1 12-08 09:30", "rappel-j0 C0RECRUT1 12-09 09:30",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("occurrences:\n got  %q\n want %q", got, want)
	}
	keys := map[string]bool{}
	for _, o := range occs {
		if keys[o.Key] {
			t.Errorf("key %q twice", o.Key)
		}
		keys[o.Key] = true
	}
	if got := Text(m, occs[2]); got != "J-7 : Il reste 7 jours." {
		t.Errorf("reminder text = %q", got)
	}
	if got := Text(m, occs[4]); got != "J-0 : Les candidatures sont closes." {
		t.Errorf("closing text = %q", got)
	}
}

func TestStatusAt(t *testing.T) {
	p := mustPlan(t, planYAML)
	o := Occurrence{At: paris(time.November, 22, 10, 0)}
	cases := []struct {
		now  time.Time
		want Status
	}{
		{paris(time.November, 22, 9, 59), Upcoming},
		{paris(time.November, 22, 10, 0), Due},
		{paris(time.November, 22, 11, 59), Due}, // late, within the 2h grace
		{paris(time.November, 22, 12, 1), Missed},
	}
	for _, c := range cases {
		if got := p.StatusAt(o, c.now); got != c.want {
			t.Errorf("at %v: %s, want %s", c.now, got, c.want)
		}
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := []struct{ text, want string }{
		{"grace: soon\n", "ann.yaml:1: grace"},
		{"announcements:\n  - id: a\n    at: demain\n", "ann.yaml:3: at:"},
		{"announcements:\n  - id: a\n    colour: red\n", `ann.yaml:3: unknown key "colour"`},
		{"announcements:\n  - id: a\n    reminders:\n      days_before: [sept]\n", "ann.yaml:4: days_before"},
	}
	for _, c := range cases {
		_, err := Parse("ann.yaml", []byte(c.text))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want %q...", c.text, err, c.want)
		}
	}
}

func TestCheck(t *testing.T) {
	faq := mustFAQ(t).FAQ()
	if probs := Check(mustPlan(t, planYAML), faq); len(probs) != 0 {
		t.Errorf("clean plan has problems: %v", probs)
	}
	bad := `channels:
  recrutement: general
announcements:
  - id: Appel
    channels: [recrutement, nowhere]
    at: 2021-11-22 10:00
    text: "{{unknown_fact}}"
  - id: Appel
    channels: []
    reminders:
      days_before: [-2]
    text: " "
`
	var got []string
	for _, p := range Check(mustPlan(t, bad), faq) {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`ann.yaml:2: channel "recrutement": "general" is not a Slack channel id`,
		`ann.yaml:4: id "Appel" must be kebab-case`,
		`ann.yaml:5: announcement "Appel": unknown channel "nowhere"`,
		`ann.yaml:7: announcement "Appel": unknown fact {{unknown_fact}}`,
		`ann.yaml:8: duplicate id "Appel"`,
		`ann.yaml:8: announcement "Appel" has no channels`,
		`ann.yaml:12: announcement "Appel" has an empty text`,
		`ann.yaml:11: announcement "Appel": a reminder 2 days after the deadline`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing problem %q in:\n%s", want, all)
		}
	}
}

func TestRealAnnouncementsAreClean(t *testing.T) {
	faq, err := answers.LoadFile("../../data/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadFile("../../data/announcements.yaml", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, prob := range Check(p, faq) {
		t.Error(prob)
	}
}

func TestMissingFileIsEmptyWhenOptional(t *testing.T) {
	p, err := LoadFile("nowhere.yaml", true)
	if err != nil || len(p.Announcements) != 0 {
		t.Errorf("optional missing file: %v, %v", p, err)
	}
	if _, err := LoadFile("nowhere.yaml", false); err == nil {
		t.Error("a named missing file must be an error")
	}
}

// TestCheckDeadlineStatusNeedsADeadline: {{deadline_status}} without a
// deadline fact is refused, as answers.Check refuses it in an answer.
func TestCheckDeadlineStatusNeedsADeadline(t *testing.T) {
	faq, err := answers.Parse("faq.yaml", []byte(`form_url: https://example.gouv.fr/form
entries:
  - id: salaire
    question: Quel est le salaire ?
    answer: "De 3 500 € à 4 800 €."
`))
	if err != nil {
		t.Fatal(err)
	}
	plan := mustPlan(t, `announcements:
  - id: appel
    channels: [C0RECRUT1]
    text: "{{deadline_status}}"
`)
	var got []string
	for _, p := range Check(plan, faq) {
		got = append(got, p.String())
	}
	if want := `announcement "appel": {{deadline_status}} needs a deadline fact`; !strings.Contains(strings.Join(got, "\n"), want) {
		t.Errorf("problems %q, want %q", got, want)
	}
}
