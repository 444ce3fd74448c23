package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/answers"
)

// Action ids of the send confirmation.
const (
	actionAnnounceSend   = "announce_send"   // value: announcement or reminder name
	actionAnnounceCancel = "announce_cancel" // value: the same
)

// confirmBlocks show a send's text and two buttons: nothing is posted
// until a staff member clicks "Envoyer".
func confirmBlocks(question string, t announcer.Target) []slack.Block {
	return []slack.Block{
		section("confirm", question),
		section("text", t.Text),
		slack.NewActionBlock("announce",
			slack.NewButtonBlockElement(actionAnnounceSend, t.Name, plain("Envoyer")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actionAnnounceCancel, t.Name, plain("Annuler"))),
	}
}

// announceAct handles a click on the confirmation: staff only; each
// channel gets the post once per confirmation, however many times it is
// clicked. The outcome replaces the confirmation through response_url.
func (a *App) announceAct(ctx context.Context, ic slack.InteractionCallback, act *slack.BlockAction) error {
	if !a.cfg.StaffIDs[ic.User.ID] {
		a.log.Info("announcement send refused", "user_id", ic.User.ID)
		return nil
	}
	replace := func(text string) {
		r := ephemeral(text)
		r.ReplaceOriginal = true
		a.followUp(ctx, ic.ResponseURL, r)
	}
	if act.ActionID == actionAnnounceCancel {
		replace("Envoi annulé.")
		return nil
	}
	t, ok := a.announcer.Find(act.Value)
	if !ok {
		replace(fmt.Sprintf("L'annonce `%s` n'existe plus.", act.Value))
		return nil
	}
	// The confirmation message identifies this send: a double click finds
	// its posts already claimed.
	confirmation := firstOf(ic.Container.MessageTs, ic.Message.Timestamp, act.ActionTs)
	_, err := a.announcer.Send(ctx, t, confirmation, ic.User.ID, func(channels []string) {
		replace(fmt.Sprintf("`%s` envoyée dans %s.", t.Name, announcer.ChannelRefs(channels)))
	})
	return err
}

// PostAnnouncement posts an announcement's text with the call's button
// ("Postuler" while it is open, else the announcement), that link in the
// plain-text fallback, and no link or media previews: the announcer's Poster.
func (r *Replier) PostAnnouncement(ctx context.Context, channel, text string) (string, error) {
	m := r.matcher.Load()
	apply, link := linkButton(m.Link(answers.French), m.FAQ().FormURL.Value)
	blocks := append(sections(text, maxBlocks-1), slack.NewActionBlock("actions", apply))
	_, ts, err := r.slack.PostMessageContext(ctx, channel,
		slack.MsgOptionText(clip(text)+link, false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}
