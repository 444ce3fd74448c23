package announce

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
)

var (
	kebabCase = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	slackID   = regexp.MustCompile(`^[CGD][A-Z0-9]{6,}$`)
)

// Check lists the problems of a plan: ids, channels, times, empty texts,
// unknown facts, reminders without a deadline or after it.
func Check(p *Plan, faq *answers.FAQ) []answers.Problem {
	var probs []answers.Problem
	add := func(line int, format string, args ...any) {
		probs = append(probs, answers.Problem{Path: p.Path, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	for name, c := range p.Channels {
		if !slackID.MatchString(c.ID) {
			add(c.Line, "channel %q: %q is not a Slack channel id like C0123ABCD", name, c.ID)
		}
	}
	_, hasDeadline, _ := faq.Deadline()
	ids := map[string]int{}
	for _, a := range p.Announcements {
		switch {
		case a.ID == "":
			add(a.Line, "announcement without an id")
		case !kebabCase.MatchString(a.ID):
			add(a.Line, "id %q must be kebab-case", a.ID)
		}
		if first, dup := ids[a.ID]; dup && a.ID != "" {
			add(a.Line, "duplicate id %q (first at line %d)", a.ID, first)
		}
		ids[a.ID] = a.Line
		if len(a.Channels) == 0 {
			add(a.Line, "announcement %q has no channels", a.ID)
		}
		seen := map[string]bool{}
		for _, ch := range a.Channels {
			if _, named := p.Channels[ch]; !named && !slackID.MatchString(ch) {
				add(a.ChannelsLine, "announcement %q: unknown channel %q (name it under channels, or give its id)", a.ID, ch)
			}
			if seen[ch] {
				add(a.ChannelsLine, "announcement %q: channel %q twice", a.ID, ch)
			}
			seen[ch] = true
		}
		if strings.TrimSpace(a.Text) == "" {
			add(max(a.TextLine, a.Line), "announcement %q has an empty text", a.ID)
		}
		extra := []string{}
		if a.Reminders != nil {
			extra = append(extra, "days")
		}
		for _, name := range faq.UnknownPlaceholders(a.Text, extra...) {
			add(a.TextLine, "announcement %q: unknown fact {{%s}}", a.ID, name)
		}
		// As answers.Check has it: the status is computed from the deadline.
		if strings.Contains(a.Text, "{{deadline_status}}") && !hasDeadline {
			add(a.TextLine, "announcement %q: {{deadline_status}} needs a deadline fact", a.ID)
		}
		if r := a.Reminders; r != nil {
			if !hasDeadline {
				add(r.Line, "announcement %q: reminders need a deadline fact in faq.yaml", a.ID)
			}
			if len(r.DaysBefore) == 0 {
				add(r.Line, "announcement %q: reminders need days_before", a.ID)
			}
			for _, d := range r.DaysBefore {
				if d < 0 {
					add(r.Line, "announcement %q: a reminder %d days after the deadline is not a reminder", a.ID, -d)
				}
			}
		}
	}
	return probs
}
