package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Action ids of the send confirmation.
const (
	actionAnnounceSend   = "announce_send"   // value: announcement or reminder name
	actionAnnounceCancel = "announce_cancel" // value: the same
)

// subcommand is `/bin announce list | preview ID | send ID`.
func (an *Announcer) subcommand() subcommand {
	return subcommand{"announce list | preview ID | send ID", "les annonces : programme, aperçu, envoi",
		func(ctx context.Context, _ slack.SlashCommand, args []string) commandReply {
			switch {
			case len(args) == 1 && args[0] == "list":
				return an.list(ctx)
			case len(args) == 2 && args[0] == "preview":
				return an.preview(args[1])
			case len(args) == 2 && args[0] == "send":
				return an.confirm(args[1])
			}
			return ephemeral("Usage : `/bin announce list`, `/bin announce preview ID`, `/bin announce send ID`.")
		}}
}

// list shows every post with where it stands: posted, skipped, failed,
// upcoming, due; and the announcements sent only on demand.
func (an *Announcer) list(ctx context.Context) commandReply {
	posts, err := an.store.AnnouncementPosts(ctx)
	if err != nil {
		an.log.Error("list announcements", "err", err)
		return ephemeral("Je n'ai pas pu lire les annonces enregistrées, réessayez dans un instant.")
	}
	byKey := map[string]store.AnnouncementPost{}
	for _, p := range posts {
		byKey[p.Key] = p
	}
	now := an.now()
	var b strings.Builder
	fmt.Fprintf(&b, "*Annonces* (rattrapage possible %s après l'heure prévue)\n", an.plan.Grace)
	for _, o := range an.occurrences() {
		state := statusLabel(an.plan.StatusAt(o, now))
		if p, ok := byKey[o.Key]; ok {
			state = postLabel(p)
		}
		fmt.Fprintf(&b, "• `%s` %s → <#%s> : %s\n", o.Name, o.At.In(answers.Paris).Format("02/01/2006 15:04"), o.Channel, state)
	}
	for _, a := range an.plan.Announcements {
		if a.At.IsZero() && a.Reminders == nil {
			fmt.Fprintf(&b, "• `%s` à la demande → %s : `/bin announce send %s`\n", a.ID, an.channelList(&a), a.ID)
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
	return ephemeral(b.String())
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

func (an *Announcer) channelList(a *announce.Announcement) string {
	var out []string
	for _, ch := range a.Channels {
		if c, ok := an.plan.Channels[ch]; ok {
			ch = c.ID
		}
		out = append(out, "<#"+ch+">")
	}
	return strings.Join(out, ", ")
}

// target is what a name designates: an on-demand announcement or one post
// of the schedule, with its text rendered.
type target struct {
	name     string
	channels []string
	text     string
}

// find resolves a name: a reminder ("rappel-j7") or one-off occurrence,
// or any announcement id (rendered as of now).
func (an *Announcer) find(name string) (target, bool) {
	if occs := an.plan.Find(an.occurrences(), name); len(occs) > 0 && occs[0].Name == name {
		t := target{name: name, text: an.text(occs[0])}
		for _, o := range occs {
			t.channels = append(t.channels, o.Channel)
		}
		return t, true
	}
	for i := range an.plan.Announcements {
		a := &an.plan.Announcements[i]
		if a.ID != name {
			continue
		}
		t := target{name: name, text: an.matcher.Load().Render(a.Text, an.now(), nil)}
		for _, ch := range a.Channels {
			if c, ok := an.plan.Channels[ch]; ok {
				ch = c.ID
			}
			t.channels = append(t.channels, ch)
		}
		return t, true
	}
	return target{}, false
}

func (an *Announcer) preview(name string) commandReply {
	t, ok := an.find(name)
	if !ok {
		return ephemeral(fmt.Sprintf("Je ne connais pas l'annonce `%s` : `/bin announce list` les montre toutes.", name))
	}
	return ephemeral(fmt.Sprintf("Aperçu de `%s` (→ %s) :\n\n%s\n\n[Postuler] %s", name, channelRefs(t.channels), t.text,
		an.matcher.Load().FAQ().FormURL.Value))
}

func channelRefs(ids []string) string {
	refs := make([]string, len(ids))
	for i, id := range ids {
		refs[i] = "<#" + id + ">"
	}
	return strings.Join(refs, ", ")
}

// confirm answers `send ID` with the text and two buttons: nothing is
// posted until a staff member clicks "Envoyer".
func (an *Announcer) confirm(name string) commandReply {
	t, ok := an.find(name)
	if !ok {
		return ephemeral(fmt.Sprintf("Je ne connais pas l'annonce `%s` : `/bin announce list` les montre toutes.", name))
	}
	question := fmt.Sprintf("Envoyer `%s` maintenant dans %s ?", name, channelRefs(t.channels))
	r := ephemeral(question)
	r.Blocks = []slack.Block{
		section("confirm", question),
		section("text", t.text),
		slack.NewActionBlock("announce",
			slack.NewButtonBlockElement(actionAnnounceSend, name, plain("Envoyer")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actionAnnounceCancel, name, plain("Annuler"))),
	}
	return r
}

// act handles a click on the confirmation: staff only; each channel gets
// the post once per confirmation, however many times it is clicked.
func (an *Announcer) act(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction, staff map[string]bool) error {
	if !staff[ic.User.ID] {
		an.log.Info("announcement send refused", "user_id", ic.User.ID)
		return nil
	}
	if act.ActionID == actionAnnounceCancel {
		an.respond(ctx, ic.ResponseURL, "Envoi annulé.")
		return nil
	}
	t, ok := an.find(act.Value)
	if !ok {
		an.respond(ctx, ic.ResponseURL, fmt.Sprintf("L'annonce `%s` n'existe plus.", act.Value))
		return nil
	}
	now := an.now()
	// The confirmation message identifies this send: a double click finds
	// its posts already claimed.
	confirmation := firstOf(ic.Container.MessageTs, ic.Message.Timestamp, act.ActionTs)
	var claimed, keys []string
	for _, ch := range t.channels {
		key := fmt.Sprintf("send:%s@%s@%s", t.name, ch, confirmation)
		ok, err := an.store.ClaimAnnouncement(ctx, store.AnnouncementPost{Key: key, Name: t.name, Channel: ch,
			DueAt: now, Status: store.AnnouncementPosting, ClaimedAt: now, SentBy: ic.User.ID})
		if err != nil {
			return err
		}
		if ok {
			claimed, keys = append(claimed, ch), append(keys, key)
		}
	}
	if len(claimed) == 0 {
		return nil
	}
	// Claimed now, posted after Slack has its acknowledgement: a post
	// cut short is taken over by Tick once stale.
	go func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		defer cancel()
		for i, ch := range claimed {
			an.post(ctx, keys[i], t.name, ch, t.text)
		}
		an.respond(ctx, ic.ResponseURL, fmt.Sprintf("`%s` envoyée dans %s.", t.name, channelRefs(claimed)))
		an.sent.Add(1)
	}()
	return nil
}

// respond replaces the ephemeral confirmation through Slack's response_url.
func (an *Announcer) respond(ctx context.Context, responseURL, text string) {
	if responseURL == "" {
		return
	}
	body, _ := json.Marshal(map[string]any{"replace_original": true, "response_type": "ephemeral", "text": text})
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		an.log.Warn("response_url", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := an.HTTP.Do(req)
	if err != nil {
		an.log.Warn("response_url", "err", err)
		return
	}
	resp.Body.Close()
}
