package announcer

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// List is the staff's view of the plan, in Slack mrkdwn: every post with
// where it stands (posted, skipped, failed, upcoming, due), the
// announcements sent only on demand, and the latest sends.
func (an *Announcer) List(ctx context.Context) (string, error) {
	posts, err := an.store.AnnouncementPosts(ctx)
	if err != nil {
		return "", err
	}
	byKey := map[string]store.AnnouncementPost{}
	for _, p := range posts {
		byKey[p.Key] = p
	}
	now := an.now()
	var b strings.Builder
	fmt.Fprintf(&b, "*Annonces* (rattrapage possible %s après l'heure prévue)\n", an.plan.Grace)
	for _, o := range an.Occurrences() {
		state := statusLabel(an.plan.StatusAt(o, now))
		if p, ok := byKey[o.Key]; ok {
			state = postLabel(p)
		}
		fmt.Fprintf(&b, "• `%s` %s → <#%s> : %s\n", o.Name, o.At.In(answers.Paris).Format("02/01/2006 15:04"), o.Channel, state)
	}
	for _, a := range an.plan.Announcements {
		if a.At.IsZero() && a.Reminders == nil {
			fmt.Fprintf(&b, "• `%s` à la demande → %s : `/bin announce send %s`\n", a.ID, ChannelRefs(an.channels(&a)), a.ID)
		}
	}
	var sent []store.AnnouncementPost
	for _, p := range posts {
		if p.SentBy != "" {
			sent = append(sent, p)
		}
	}
	sort.Slice(sent, func(i, j int) bool { return sent[i].ClaimedAt.After(sent[j].ClaimedAt) })
	for i, p := range sent {
		if i == 5 {
			break
		}
		fmt.Fprintf(&b, "• `%s` envoyée par <@%s> le %s → <#%s> : %s\n", p.Name, p.SentBy,
			p.ClaimedAt.In(answers.Paris).Format("02/01/2006 15:04"), p.Channel, postLabel(p))
	}
	return b.String(), nil
}

func statusLabel(s announce.Status) string {
	switch s {
	case announce.Upcoming:
		return "à venir"
	case announce.Due:
		return "en cours d'envoi"
	}
	return "manquée (hors délai)"
}

func postLabel(p store.AnnouncementPost) string {
	switch p.Status {
	case store.AnnouncementPosted:
		return "envoyée ✅"
	case store.AnnouncementSkipped:
		return "manquée, non envoyée ⚠️ (" + p.LastError + ")"
	case store.AnnouncementFailed:
		return "refusée par Slack ❌ (" + p.LastError + ")"
	}
	return "en cours d'envoi"
}

// channels are an announcement's channel ids.
func (an *Announcer) channels(a *announce.Announcement) []string {
	var out []string
	for _, ch := range a.Channels {
		if c, ok := an.plan.Channels[ch]; ok {
			ch = c.ID
		}
		out = append(out, ch)
	}
	return out
}

// ChannelRefs writes channel ids as Slack channel links.
func ChannelRefs(ids []string) string {
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = "<#" + id + ">"
	}
	return strings.Join(refs, ", ")
}

// Target is what a name designates: an on-demand announcement or one post
// of the schedule, with its text rendered.
type Target struct {
	Name     string
	Channels []string
	Text     string
}

// Find resolves a name: a reminder ("rappel-j7") or one-off occurrence,
// or any announcement id (rendered as of now).
func (an *Announcer) Find(name string) (Target, bool) {
	if occs := an.plan.Find(an.Occurrences(), name); len(occs) > 0 && occs[0].Name == name {
		t := Target{Name: name, Text: an.text(occs[0])}
		for _, o := range occs {
			t.Channels = append(t.Channels, o.Channel)
		}
		return t, true
	}
	for i := range an.plan.Announcements {
		a := &an.plan.Announcements[i]
		if a.ID == name {
			return Target{Name: name, Text: an.matcher.Load().Render(a.Text, an.now(), nil), Channels: an.channels(a)}, true
		}
	}
	return Target{}, false
}

// Preview is a target as staff check it before sending.
func (an *Announcer) Preview(t Target) string {
	return fmt.Sprintf("Aperçu de `%s` (→ %s) :\n\n%s\n\n[Postuler] %s", t.Name, ChannelRefs(t.Channels), t.Text,
		an.matcher.Load().FAQ().FormURL.Value)
}

// Send posts a confirmed send of t by a staff member to each of its
// channels once per confirmation, however many times it is confirmed: it
// claims the posts now and posts them in the background, then calls done
// with the channels posted to. It returns false when every post was
// claimed already (a double click).
func (an *Announcer) Send(ctx context.Context, t Target, confirmation, by string, done func(channels []string)) (bool, error) {
	now := an.now()
	var claimed, keys []string
	for _, ch := range t.Channels {
		key := fmt.Sprintf("send:%s@%s@%s", t.Name, ch, confirmation)
		ok, err := an.store.ClaimAnnouncement(ctx, store.AnnouncementPost{Key: key, Name: t.Name, Channel: ch,
			DueAt: now, Status: store.AnnouncementPosting, ClaimedAt: now, SentBy: by})
		if err != nil {
			return false, err
		}
		if ok {
			claimed, keys = append(claimed, ch), append(keys, key)
		}
	}
	if len(claimed) == 0 {
		return false, nil
	}
	// Claimed now, posted after the platform has its acknowledgement: a
	// post cut short is taken over by Tick once stale.
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		for i, ch := range claimed {
			an.post(ctx, keys[i], t.Name, ch, t.Text)
		}
		done(claimed)
		an.sent.Add(1)
	}()
	return true, nil
}
