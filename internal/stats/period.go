// Package stats turns the store's counts into the staff's report: a
// period, the one of the same length before it, and the figures of both as
// text (Slack or terminal) or JSON. `/bin stats` and `bot stats` share it,
// so they always print the same figures.
package stats

import (
	"fmt"
	"strings"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// Period is a span of whole Paris days, [From, To).
type Period struct {
	Name     string    // today | 7d | 30d | all
	From, To time.Time // From is zero for "all"
}

// Periods are the names ParsePeriod accepts, default first.
var Periods = []string{"7d", "today", "30d", "all"}

// ParsePeriod reads today, 7d, 30d or all ("" is 7d); the period ends with
// the day of now, included.
func ParsePeriod(name string, now time.Time) (Period, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" {
		name = Periods[0]
	}
	end := store.Day(now).AddDate(0, 0, 1)
	days := map[string]int{"today": 1, "7d": 7, "30d": 30}
	if n, ok := days[name]; ok {
		return Period{Name: name, From: end.AddDate(0, 0, -n), To: end}, nil
	}
	if name == "all" {
		return Period{Name: name, To: end}, nil
	}
	return Period{}, fmt.Errorf("unknown period %q: want %s", name, strings.Join(Periods, ", "))
}

// Previous is the period of the same length just before p; false for "all".
func (p Period) Previous() (Period, bool) {
	if p.From.IsZero() {
		return Period{}, false
	}
	days := int(p.To.Sub(p.From).Hours()/24 + 0.5) // a DST change makes a day 23 or 25 hours
	return Period{Name: "previous", From: p.From.AddDate(0, 0, -days), To: p.From}, true
}
