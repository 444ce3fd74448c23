package answers

import (
	"fmt"
	"math"
	"strings"
	"time"
	_ "time/tzdata" // deadlines are Paris days, even on a machine without zoneinfo
)

// Paris is the programme's time zone: deadlines are French calendar days.
var Paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The binary embeds time/tzdata, so this only happens in a broken build.
		panic(fmt.Sprintf("load time zone %s: %v", name, err))
	}
	return loc
}

// Computed placeholders, filled from facts and the clock rather than copied.
const (
	placeholderDeadline       = "deadline"
	placeholderDeadlineStatus = "deadline_status"
	placeholderFormURL        = "form_url"
	placeholderDays           = "days"
)

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	"août", "septembre", "octobre", "novembre", "décembre"}

// frenchDate writes a date as "9 décembre 2021".
func frenchDate(t time.Time) string {
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %d", day, frenchMonths[t.Month()-1], t.Year())
}

// Deadline is the day before which applications must arrive, at midnight Paris time.
func (f *FAQ) Deadline() (time.Time, bool, error) {
	v, ok := f.Fact(placeholderDeadline)
	if !ok {
		return time.Time{}, false, nil
	}
	t, err := time.ParseInLocation("2006-01-02", v, Paris)
	if err != nil {
		return time.Time{}, true, fmt.Errorf("fact deadline %q is not a date like 2021-12-09", v)
	}
	return t, true, nil
}

// renderer fills {{placeholders}} in answers and messages.
type renderer struct {
	faq      *FAQ
	facts    map[string]string
	deadline time.Time
	hasDL    bool
}

func newRenderer(faq *FAQ) (*renderer, error) {
	r := &renderer{faq: faq, facts: map[string]string{placeholderFormURL: faq.FormURL.Value}}
	for _, f := range faq.Facts {
		r.facts[f.Name] = f.Value
	}
	dl, ok, err := faq.Deadline()
	if err != nil {
		return nil, err
	}
	r.deadline, r.hasDL = dl, ok
	if ok {
		r.facts[placeholderDeadline] = frenchDate(dl)
	}
	return r, nil
}

// render fills the template at the given time. Unknown placeholders stay as
// they are; `check` reports them.
func (r *renderer) render(tmpl string, now time.Time) string {
	return r.renderWith(tmpl, now, nil)
}

// renderWith is render with extra values, which win over facts.
func (r *renderer) renderWith(tmpl string, now time.Time, extra map[string]string) string {
	return expand(tmpl, func(name string) (string, bool) {
		if v, ok := extra[name]; ok {
			return v, true
		}
		if name == placeholderDeadlineStatus {
			return r.deadlineStatus(now), r.hasDL
		}
		v, ok := r.facts[name]
		return v, ok
	})
}

// deadlineStatus says how long is left, or that the call is closed.
func (r *renderer) deadlineStatus(now time.Time) string {
	left := r.deadline.Sub(now)
	if left <= 0 {
		return r.message("deadline_closed", nil)
	}
	days := int(math.Ceil(left.Hours() / 24))
	if days <= 1 {
		return r.message("deadline_last_day", nil)
	}
	return r.message("deadline_open", map[string]string{placeholderDays: fmt.Sprint(days)})
}

// message renders one of the bot's own sentences from faq.yaml's messages.
func (r *renderer) message(name string, extra map[string]string) string {
	return expand(strings.TrimSpace(r.faq.Messages[name].Value), func(key string) (string, bool) {
		if v, ok := extra[key]; ok {
			return v, true
		}
		v, ok := r.facts[key]
		return v, ok
	})
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
// {{deadline_status}}, {{form_url}}) as of the given time; extra values
// win over facts. Announcements use it.
func (m *Matcher) Render(tmpl string, at time.Time, extra map[string]string) string {
	return m.render.renderWith(strings.TrimSpace(tmpl), at, extra)
}

// UnknownPlaceholders lists the {{names}} of a template that neither the
// facts, the computed values nor the extra names provide.
func (f *FAQ) UnknownPlaceholders(tmpl string, extra ...string) []string {
	var out []string
	for _, name := range placeholders(tmpl) {
		if _, ok := f.Fact(name); ok || contains(extra, name) {
			continue
		}
		switch name {
		case placeholderFormURL, placeholderDeadline, placeholderDeadlineStatus:
			continue
		}
		out = append(out, name)
	}
	return out
}
