package answers

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxAnswerRunes is how long an answer that is not a list may be: the
// first sentence answers, details follow, and a candidate reads it on a phone.
const MaxAnswerRunes = 600

// stateDays are days in each state of the call, to render every answer as
// a candidate would read it then.
func (f *FAQ) stateDays() map[State]time.Time {
	out := map[State]time.Time{}
	deadline, ok, err := f.Deadline()
	if !ok || err != nil {
		out[StateOpen] = time.Now()
		return out
	}
	out[StateOpen] = deadline.AddDate(0, 0, -10)
	out[StateClosed] = deadline.AddDate(0, 0, 1)
	if end, ok, err := f.ProgrammeEnd(); ok && err == nil {
		out[StateEnded] = end.AddDate(0, 0, 10)
	}
	return out
}

var (
	// pastApply tells a candidate to act before a date: wrong once it has passed.
	pastApply   = regexp.MustCompile(`(?i)(postulez|candidatez|il reste \d|days? left|apply (now|before|by)|vous avez jusqu)`)
	placeholder = regexp.MustCompile(`\{\{|\}\}|\bX jours? par semaine\b`)
	sentenceEnd = regexp.MustCompile(`[.!?]\s|\n`)
)

// LintAnswer lists what reads badly in a rendered answer: a lower-case
// start, a placeholder left, two colons in one sentence, a list-less answer
// too long, or, once the call is closed, an invitation to apply.
func LintAnswer(text string, state State) []string {
	var out []string
	if r := firstLetter(text); r != 0 && !unicode.IsUpper(r) && !unicode.IsDigit(r) {
		out = append(out, "starts in lower case")
	}
	if placeholder.MatchString(text) {
		out = append(out, "shows a placeholder")
	}
	for _, s := range sentenceEnd.Split(text, -1) {
		if strings.Count(strings.ReplaceAll(s, "://", ""), ":") >= 2 {
			out = append(out, "two colons in one sentence: "+strings.TrimSpace(s))
			break
		}
	}
	if utf8.RuneCountInString(text) > MaxAnswerRunes && !isList(text) {
		out = append(out, "longer than 600 characters without being a list")
	}
	if state != StateOpen && pastApply.MatchString(text) {
		out = append(out, "invites to apply although the call is closed: "+pastApply.FindString(text))
	}
	return out
}

// firstLetter is the first letter or digit, past markup and emoji.
func firstLetter(text string) rune {
	for _, r := range stripSlackMarkup(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
	}
	return 0
}

func isList(text string) bool {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "•") || strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") {
			n++
		}
	}
	return n >= 3
}

// rendered renders every entry, in each state of the call and each
// language, and reports what reads badly.
func (c *checker) rendered() {
	r, err := newRenderer(c.faq)
	if err != nil {
		c.add(0, "%v", err)
		return
	}
	days := c.faq.stateDays()
	for _, state := range States {
		day, ok := days[state]
		if !ok {
			continue
		}
		for i := range c.faq.Entries {
			e := &c.faq.Entries[i]
			for _, lang := range []Lang{French, English} {
				text, used := r.answer(e, day, lang)
				if lang == English && used != English {
					continue
				}
				line := e.Answer.In(state).Line
				if lang == English {
					line = e.AnswerEN.In(state).Line
				}
				for _, p := range LintAnswer(text, state) {
					c.add(line, "entry %q (%s, call %s): %s", e.ID, lang, state, p)
				}
			}
		}
	}
}
