package stats

import (
	"fmt"
	"strings"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// Style is how a report is written: for Slack (mrkdwn, channel links) or
// for a terminal.
type Style int

// The two styles.
const (
	Plain Style = iota
	Slack
)

var periodTitles = map[string]string{
	"today": "Questions d'aujourd'hui", "7d": "Questions des 7 derniers jours",
	"30d": "Questions des 30 derniers jours", "all": "Questions depuis le début",
}

// Text writes the report in French, each figure beside the previous
// period's.
func (r Report) Text(style Style) string {
	var b strings.Builder
	bold := func(s string) string {
		if style == Slack {
			return "*" + s + "*"
		}
		return s
	}
	c, p := r.Current, r.Previous
	title := periodTitles[r.Period.Name]
	span := days(c)
	if p != nil {
		span += " ; avant : " + days(*p)
	}
	fmt.Fprintf(&b, "%s (%s)\n", bold(title), span)
	fmt.Fprintf(&b, "• Questions : %s%s\n", bold(fmt.Sprint(c.Questions)), evolution(c.Questions, p, func(f store.Figures) int { return f.Questions }))
	share := func(label string, get func(store.Figures) int) {
		fmt.Fprintf(&b, "• %s : %s (%d)", label, percent(get(c), c.Questions), get(c))
		if p != nil {
			fmt.Fprintf(&b, " · avant %s", percent(get(*p), p.Questions))
		}
		b.WriteString("\n")
	}
	share("Répondues", func(f store.Figures) int { return f.Answered })
	share("Suggestions", func(f store.Figures) int { return f.Suggested })
	share("Sans réponse", func(f store.Figures) int { return f.Fallback })
	if c.Pending > 0 {
		fmt.Fprintf(&b, "• En attente de réponse : %d\n", c.Pending)
	}
	fmt.Fprintf(&b, "• Avis : 👍 %d · 👎 %d", c.FeedbackUp, c.FeedbackDown)
	if p != nil {
		fmt.Fprintf(&b, " (avant 👍 %d · 👎 %d)", p.FeedbackUp, p.FeedbackDown)
	}
	b.WriteString("\n")
	if h := c.Handoffs; h.Opened > 0 {
		fmt.Fprintf(&b, "• Confiées à l'équipe : %d, dont %s répondues par une personne", h.Opened, percent(h.Answered, h.Opened))
		if h.Answered > 0 {
			fmt.Fprintf(&b, " (délai médian %s)", waited(h.Median))
		}
		b.WriteString("\n")
	}
	if c.SmallTalk > 0 {
		fmt.Fprintf(&b, "• Politesses (bonjour, merci…), hors questions : %d\n", c.SmallTalk)
	}
	fmt.Fprintf(&b, "%s : %s\n", bold("Entrées les plus demandées"), list(c.Entries, func(k string) string { return k }))
	fmt.Fprintf(&b, "%s : %s", bold("Canaux les plus actifs"), list(c.Channels, func(k string) string { return channelName(k, style) }))
	return b.String()
}

// days names a period's first and last days.
func days(f store.Figures) string {
	last := f.To.AddDate(0, 0, -1).In(store.Paris).Format("02/01")
	if f.From.IsZero() {
		return "jusqu'au " + last
	}
	first := f.From.In(store.Paris).Format("02/01")
	if first == last {
		return first
	}
	return first + " → " + last
}

// evolution is " (avant N, +x %)", or "" without a previous period.
func evolution(n int, p *store.Figures, get func(store.Figures) int) string {
	if p == nil {
		return ""
	}
	before := get(*p)
	if before == 0 {
		return fmt.Sprintf(" (avant %d)", before)
	}
	change := float64(n-before) * 100 / float64(before)
	return fmt.Sprintf(" (avant %d, %+.0f %%)", before, change)
}

func percent(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f %%", float64(n)*100/float64(of))
}

func list(cs []store.Count, name func(string) string) string {
	if len(cs) == 0 {
		return "aucune"
	}
	parts := make([]string, 0, top)
	for i, c := range cs {
		if i == top {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", name(c.Key), c.N))
	}
	return strings.Join(parts, " · ")
}

// channelName shows direct messages as such and, in Slack, channels as
// links that Slack renders with their names.
func channelName(id string, style Style) string {
	switch id {
	case "im":
		return "messages privés"
	case "mpim":
		return "messages de groupe"
	}
	if style == Slack {
		return "<#" + id + ">"
	}
	return id
}

// waited writes a wait in the largest unit that reads well: 45 s, 12 min, 3 h 05.
func waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %02d", int(d.Hours()), int(d.Minutes())%60)
}
