package announce

import (
	"fmt"
	"sort"
	"time"
)

// Occurrence is one post of an announcement to one channel at one time.
type Occurrence struct {
	Key          string // unique and stable: "id@channel@2021-12-02T10:00", what the store claims
	Announcement *Announcement
	Name         string // "appel" or "rappel-j7"
	Channel      string // Slack channel id
	At           time.Time
	DaysLeft     int // for reminders: days before the deadline, else -1
}

// Occurrences lists every post of the plan, earliest first. Reminders need
// the deadline (midnight Paris of the day applications close).
func (p *Plan) Occurrences(deadline time.Time, hasDeadline bool) []Occurrence {
	var out []Occurrence
	for i := range p.Announcements {
		a := &p.Announcements[i]
		for _, ch := range a.Channels {
			id := p.channelID(ch)
			if !a.At.IsZero() {
				out = append(out, occurrence(a, a.ID, id, a.At, -1))
			}
			if a.Reminders == nil || !hasDeadline {
				continue
			}
			for _, days := range a.Reminders.DaysBefore {
				day := deadline.AddDate(0, 0, -days)
				at := time.Date(day.Year(), day.Month(), day.Day(), a.Reminders.Hour, a.Reminders.Min, 0, 0, deadline.Location())
				out = append(out, occurrence(a, fmt.Sprintf("%s-j%d", a.ID, days), id, at, days))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

func occurrence(a *Announcement, name, channel string, at time.Time, days int) Occurrence {
	return Occurrence{
		Key:          fmt.Sprintf("%s@%s@%s", name, channel, at.UTC().Format(time.RFC3339)),
		Announcement: a, Name: name, Channel: channel, At: at, DaysLeft: days,
	}
}

// channelID resolves a channel name of the plan; anything else is taken
// as a raw channel id.
func (p *Plan) channelID(name string) string {
	if c, ok := p.Channels[name]; ok {
		return c.ID
	}
	return name
}

// Status is where an occurrence stands at a given time.
type Status string

// The statuses, before any claim is considered.
const (
	Upcoming Status = "upcoming" // its time has not come
	Due      Status = "due"      // to post now (late within the grace window at most)
	Missed   Status = "missed"   // later than the grace window: skipped and reported
)

// StatusAt classifies an occurrence at now.
func (p *Plan) StatusAt(o Occurrence, now time.Time) Status {
	switch {
	case now.Before(o.At):
		return Upcoming
	case now.Sub(o.At) <= p.Grace:
		return Due
	}
	return Missed
}

// Find returns the occurrences of an announcement or reminder by name:
// "appel" for a one-off, "rappels-j7" for a reminder, or the announcement
// id for all its reminders.
func (p *Plan) Find(occs []Occurrence, name string) []Occurrence {
	var out []Occurrence
	for _, o := range occs {
		if o.Name == name || o.Announcement.ID == name {
			out = append(out, o)
		}
	}
	return out
}

// Renderer fills announcement texts with the FAQ's facts.
type Renderer interface {
	Render(tmpl string, at time.Time, extra map[string]string) string
}

// Text renders an occurrence's text as of its own time, so that
// {{deadline_status}} and {{days}} say what they will say when posted.
func Text(r Renderer, o Occurrence) string {
	extra := map[string]string{}
	if o.DaysLeft >= 0 {
		extra["days"] = fmt.Sprint(o.DaysLeft)
	}
	return r.Render(o.Announcement.Text, o.At, extra)
}
