package slackapp

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announcer"
)

// Action ids of the send confirmation.
const (
	actionAnnounceSend   = "announce_send"   // value: announcement or reminder name
	actionAnnounceCancel = "announce_cancel" // value: the same
)

// announceCommand is `/bin announce list | preview ID | send ID`.
func (a *App) announceCommand() subcommand {
	an := a.announcer
	return subcommand{"announce list | preview ID | send ID", "les annonces : programme, aperçu, envoi",
		func(ctx context.Context, _ slack.SlashCommand, args []string) commandReply {
			switch {
			case len(args) == 1 && args[0] == "list":
				text, err := an.List(ctx)
				if err != nil {
					a.log.Error("list announcements", "err", err)
					return ephemeral("Je n'ai pas pu lire les annonces enregistrées, réessayez dans un instant.")
				}
				return ephemeral(text)
			case len(args) == 2 && (args[0] == "preview" || args[0] == "send"):
				t, ok := an.Find(args[1])
				switch {
				case !ok:
					return ephemeral(fmt.Sprintf("Je ne connais pas l'annonce `%s` : `/bin announce list` les montre toutes.", args[1]))
				case args[0] == "preview":
					return ephemeral(an.Preview(t))
				}
				return confirmSend(t)
			}
			return ephemeral("Usage : `/bin announce list`, `/bin announce preview ID`, `/bin announce send ID`.")
		}}
}

// confirmSend answers `send ID` with the text and two buttons: nothing is
// posted until a staff member clicks "Envoyer".
func confirmSend(t announcer.Target) commandReply {
	question := fmt.Sprintf("Envoyer `%s` maintenant dans %s ?", t.Name, announcer.ChannelRefs(t.Channels))
	r := ephemeral(question)
	r.Blocks = []slack.Block{
		section("confirm", question),
		section("text", t.Text),
		slack.NewActionBlock("announce",
			slack.NewButtonBlockElement(actionAnnounceSend, t.Name, plain("Envoyer")).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actionAnnounceCancel, t.Name, plain("Annuler"))),
	}
	return r
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

// PostAnnouncement posts an announcement's text with the "Postuler"
// button, the form link in the plain-text fallback, and no link or media
// previews: the announcer's Poster.
func (r *Replier) PostAnnouncement(ctx context.Context, channel, text string) (string, error) {
	formURL := r.matcher.Load().FAQ().FormURL.Value
	apply := slack.NewButtonBlockElement(actionApply, "", plain("Postuler")).WithStyle(slack.StylePrimary)
	apply.URL = formURL
	blocks := append(sections(text, maxBlocks-1), slack.NewActionBlock("actions", apply))
	_, ts, err := r.slack.PostMessageContext(ctx, channel,
		slack.MsgOptionText(clip(text)+"\n\nPostuler : "+formURL, false), slack.MsgOptionBlocks(blocks...),
		slack.MsgOptionDisableLinkUnfurl(), slack.MsgOptionDisableMediaUnfurl())
	if err != nil {
		return "", classify(err)
	}
	return ts, nil
}
