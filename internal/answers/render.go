package answers

import (
	"fmt"
	"math"
	"strings"
	"time"

	tz "github.com/betagouv/bin-bot/internal/paris"
)

// Paris is the programme's time zone: deadlines are French calendar days.
var Paris = tz.Location

// Computed placeholders, filled from facts and the clock rather than copied.
const (
	placeholderDeadline        = "deadline"
	placeholderProgrammeEnd    = "programme_end"
	placeholderDeadlineStatus  = "deadline_status"
	placeholderFormURL         = "form_url"
	placeholderAnnouncementURL = "announcement_url"
	placeholderDays            = "days"
)

// computedPlaceholders are the names that need no fact of that name.
var computedPlaceholders = []string{placeholderFormURL, placeholderAnnouncementURL, placeholderDeadline,
	placeholderProgrammeEnd, placeholderDeadlineStatus}

// Lang is the language of a reply.
type Lang string

// The languages the bot answers in.
const (
	French  Lang = "fr"
	English Lang = "en"
)

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// dateIn writes a date as "9 décembre 2021" or "9 December 2021".
func dateIn(t time.Time, lang Lang) string {
	if lang == English {
		return t.Format("2 January 2006")
	}
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, frenchMonths[t.Month()-1], t.Year())
}

// renderer fills {{placeholders}} in answers and messages, as of a time
// (the call's state, days left) and in a language.
type renderer struct {
	faq   *FAQ
	facts map[string]Variants
	dates map[string]time.Time
}

func newRenderer(faq *FAQ) (*renderer, error) {
	r := &renderer{faq: faq, facts: map[string]Variants{}, dates: map[string]time.Time{}}
	for _, f := range faq.Facts {
		r.facts[f.Name] = f.Value
	}
	for _, name := range []string{factDeadline, factProgrammeEnd} {
		t, ok, err := faq.date(name)
		if err != nil {
			return nil, err
		}
		if ok {
			r.dates[name] = t
		}
	}
	return r, nil
}

// lookup resolves one placeholder; English text prefers a fact's _en twin.
func (r *renderer) lookup(name string, now time.Time, lang Lang, extra map[string]string) (string, bool) {
	if v, ok := extra[name]; ok {
		return v, true
	}
	state := r.faq.StateAt(now)
	switch name {
	case placeholderFormURL:
		return r.faq.FormURL.Value, true
	case placeholderAnnouncementURL:
		return r.faq.AnnouncementURL.Value, true
	case placeholderDeadlineStatus:
		if _, ok := r.dates[factDeadline]; !ok {
			return "", false
		}
		return r.deadlineStatus(now, lang), true
	}
	if t, ok := r.dates[name]; ok {
		return dateIn(t, lang), true
	}
	if lang == English {
		if v, ok := r.facts[name+"_en"]; ok {
			return v.In(state).Value, true
		}
	}
	v, ok := r.facts[name]
	return v.In(state).Value, ok
}

// render fills a template as of now, in a language. Unknown placeholders
// stay as they are; `check` reports them. A fact left empty (next_call)
// leaves no stray space behind.
func (r *renderer) render(tmpl string, now time.Time, lang Lang, extra map[string]string) string {
	out := expand(strings.TrimSpace(tmpl), func(name string) (string, bool) {
		return r.lookup(name, now, lang, extra)
	})
	return strings.TrimSpace(straySpace.Replace(out))
}

var straySpace = strings.NewReplacer(" \n", "\n", "  ", " ")

// text renders a text of faq.yaml in the state of the call at now.
func (r *renderer) text(v Variants, now time.Time, lang Lang, extra map[string]string) string {
	return r.render(v.In(r.faq.StateAt(now)).Value, now, lang, extra)
}

// deadlineStatus says how long is left, or that the call is closed.
func (r *renderer) deadlineStatus(now time.Time, lang Lang) string {
	left := r.dates[factDeadline].Sub(now)
	if left <= 0 {
		return r.message("deadline_closed", now, lang, nil)
	}
	days := int(math.Ceil(left.Hours() / 24))
	if days <= 1 {
		return r.message("deadline_last_day", now, lang, nil)
	}
	return r.message("deadline_open", now, lang, map[string]string{placeholderDays: fmt.Sprint(days)})
}

// message renders one of the bot's own sentences; English ones fall back
// to French where messages_en lacks them.
func (r *renderer) message(name string, now time.Time, lang Lang, extra map[string]string) string {
	if lang == English {
		if v, ok := r.faq.MessagesEN[name]; ok && !v.Empty() {
			return r.text(v, now, lang, extra)
		}
	}
	return r.text(r.faq.Messages[name], now, French, extra)
}

// answer renders an entry's answer in the language asked for when staff
// have written it, else in French (with a one-line note for English
// readers); it returns the language of the text.
func (r *renderer) answer(e *Entry, now time.Time, lang Lang) (string, Lang) {
	if lang == English {
		if t := e.AnswerEN.In(r.faq.StateAt(now)); strings.TrimSpace(t.Value) != "" {
			return r.render(t.Value, now, English, nil), English
		}
		note := r.message("untranslated_note", now, English, nil)
		return strings.TrimSpace(note + "\n" + r.text(e.Answer, now, French, nil)), French
	}
	return r.text(e.Answer, now, French, nil), French
}

// question is an entry's canonical question in a language.
func (e *Entry) question(lang Lang) string {
	if lang == English && e.QuestionEN.Value != "" {
		return e.QuestionEN.Value
	}
	return e.Question.Value
}

// sourceLine names the sections an answer rests on, and its public sources.
func (r *renderer) sourceLine(e *Entry, now time.Time, lang Lang) string {
	var names, pages []string
	for _, s := range e.Sources {
		switch {
		case s.Section != "":
			name := "« " + s.Section + " »"
			if lang == English {
				name = "“" + s.Section + "”"
			}
			if !contains(names, name) {
				names = append(names, name)
			}
		case s.URL != "":
			title := s.Title
			if title == "" {
				title = s.URL
			}
			pages = append(pages, "<"+s.URL+"|"+title+">")
		}
	}
	// The announcement's sections first, then the pages beyond it.
	names = append(names, pages...)
	if len(names) == 0 {
		return ""
	}
	return r.message("source_line", now, lang, map[string]string{"sections": strings.Join(names, ", ")})
}

// Link is the button every reply carries: apply while the call is open,
// else the announcement.
type Link struct {
	Label string
	URL   string
}

func (r *renderer) link(now time.Time, lang Lang) Link {
	if r.faq.StateAt(now) == StateOpen {
		return Link{Label: r.message("button_apply", now, lang, nil), URL: r.faq.FormURL.Value}
	}
	return Link{Label: r.message("button_announcement", now, lang, nil), URL: r.faq.AnnouncementURL.Value}
}

// expand replaces {{name}} with lookup(name), leaving unknown names intact.
func expand(tmpl string, lookup func(string) (string, bool)) string {
	if !strings.Contains(tmpl, "{{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(tmpl[i:], "}}")
		if j < 0 {
			break
		}
		name := strings.TrimSpace(tmpl[i+2 : i+j])
		b.WriteString(tmpl[:i])
		if v, ok := lookup(name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+2])
		}
		tmpl = tmpl[i+j+2:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// placeholders lists the {{names}} a template uses.
func placeholders(tmpl string) []string {
	var names []string
	for {
		i := strings.Index(tmpl, "{{")
		if i < 0 {
			return names
		}
		j := strings.Index(tmpl[i:], "}}")
		if j < 0 {
			return names
		}
		names = append(names, strings.TrimSpace(tmpl[i+2:i+j]))
		tmpl = tmpl[i+j+2:]
	}
}

// Render fills a template written like an answer ({{facts}}, {{deadline}},
// {{deadline_status}}, {{form_url}}) in French as of the given time; extra
// values win over facts. Announcements use it.
func (m *Matcher) Render(tmpl string, at time.Time, extra map[string]string) string {
	return m.render.render(tmpl, at, French, extra)
}

// UnknownPlaceholders lists the {{names}} of a template that neither the
// facts, the computed values nor the extra names provide.
func (f *FAQ) UnknownPlaceholders(tmpl string, extra ...string) []string {
	var out []string
	for _, name := range placeholders(tmpl) {
		if _, ok := f.Fact(name); ok || contains(extra, name) || contains(computedPlaceholders, name) {
			continue
		}
		out = append(out, name)
	}
	return out
}
