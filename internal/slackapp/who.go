package slackapp

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/betagouv/bin-bot/internal/store"
)

// incoming is a message or mention that may be a question for the bot.
type incoming struct {
	eventID     string
	mention     bool // an app_mention event, or a message naming the bot
	user, botID string
	subtype     string
	hidden      bool
	text        string
	channel     string
	channelType string
	ts          string
	threadTS    string   // "" for a top-level message
	selves      []string // the bot's user ids named by this event's authorizations
}

// answeredSubtypes are the message subtypes still written by a person.
var answeredSubtypes = map[string]bool{
	"":                              true,
	slack.MsgSubTypeFileShare:       true, // a question with a screenshot
	slack.MsgSubTypeThreadBroadcast: true, // a thread reply also sent to the channel
	slack.MsgSubTypeMeMessage:       true,
}

// incomingFrom reads the inner events the bot handles.
func incomingFrom(data any) (incoming, bool) {
	switch e := data.(type) {
	case *slackevents.MessageEvent:
		return incoming{user: e.User, botID: e.BotID, subtype: e.SubType, hidden: e.Message != nil && e.Message.Hidden, text: e.Text,
			channel: e.Channel, channelType: e.ChannelType, ts: e.TimeStamp, threadTS: e.ThreadTimeStamp}, true
	case *slackevents.AppMentionEvent:
		return incoming{mention: true, user: e.User, botID: e.BotID, text: e.Text, channel: e.Channel,
			channelType: channelTypeOf(e.Channel), ts: e.TimeStamp, threadTS: e.ThreadTimeStamp}, true
	}
	return incoming{}, false
}

// channelTypeOf guesses the type of a channel from its id, for app_mention
// events, which carry none.
func channelTypeOf(id string) string {
	switch {
	case strings.HasPrefix(id, "C"):
		return slackevents.ChannelTypeChannel
	case strings.HasPrefix(id, "G"):
		return slackevents.ChannelTypeGroup
	case strings.HasPrefix(id, "D"):
		return slackevents.ChannelTypeIM
	}
	return ""
}

// isSelf reports whether user is the bot.
func (a *App) isSelf(in incoming, user string) bool {
	return user != "" && (user == a.cfg.BotUserID || slices.Contains(in.selves, user))
}

// mentionRe matches a user mention, <@U123> or <@U123|name>.
var mentionRe = regexp.MustCompile(`<@([A-Z0-9]+)(\|[^>]*)?>`)

// stripSelf removes the bot's mentions from the text and reports whether
// there was one.
func (a *App) stripSelf(in incoming) (string, bool) {
	found := false
	text := mentionRe.ReplaceAllStringFunc(in.text, func(m string) string {
		if a.isSelf(in, mentionRe.FindStringSubmatch(m)[1]) {
			found = true
			return " "
		}
		return m
	})
	return strings.Trim(strings.TrimSpace(text), ":,; "), found
}

// ignoreReason says why a message is not for the bot to answer, or "".
func (a *App) ignoreReason(in incoming) string {
	switch {
	case a.isSelf(in, in.user) || (in.botID != "" && in.botID == a.cfg.BotID):
		return "self"
	case in.botID != "" || in.subtype == slack.MsgSubTypeBotMessage:
		return "bot" // a bot's post may carry bot_id without a subtype
	case in.user == "":
		return "no_user"
	case in.user == "USLACKBOT":
		return "slackbot" // Slack's own reminders and notices, not a candidate
	case in.hidden || !answeredSubtypes[in.subtype]:
		return "subtype"
	case in.channel == "" || in.ts == "":
		return "incomplete"
	}
	return ""
}

// addressed decides whether the bot should answer, and as what kind of
// question: mentions anywhere, every direct message, top-level messages in
// the question channels, and the asker's follow-ups in a thread where the
// bot answered them, unless someone else took the thread over.
func (a *App) addressed(ctx context.Context, in incoming) (bool, store.Kind, error) {
	topLevel := in.threadTS == "" || in.threadTS == in.ts
	switch {
	case in.mention:
		return true, store.KindQuestion, nil
	case topLevel && in.channelType == slackevents.ChannelTypeIM:
		return true, store.KindQuestion, nil
	case topLevel:
		return a.cfg.QuestionChannels[in.channel], store.KindQuestion, nil
	}
	taken, err := a.store.TakenOver(ctx, in.channel, in.threadTS)
	if err != nil || taken {
		return false, "", err
	}
	if in.channelType == slackevents.ChannelTypeIM {
		return true, store.KindFollowUp, nil
	}
	asked, err := a.store.AskedInThread(ctx, in.channel, in.threadTS, in.user)
	return asked, store.KindFollowUp, err
}

// noteThreadAuthor records who wrote in a thread of the bot's, for the
// takeover; someone other than the asker, not asking the bot (no
// mention), closes the thread's handoffs as answered by them.
func (a *App) noteThreadAuthor(ctx context.Context, in incoming) error {
	if in.threadTS == "" || in.threadTS == in.ts {
		return nil
	}
	ours, err := a.store.NoteThreadAuthor(ctx, in.channel, in.threadTS, in.user)
	if err != nil || !ours || in.mention {
		return err
	}
	closed, err := a.store.AnswerHandoffsInThread(ctx, in.channel, in.threadTS, in.user, a.now())
	if err != nil {
		return err
	}
	for _, qid := range closed {
		a.metrics.handoffs.WithLabelValues("answered").Inc()
		a.log.Info("handoff answered in the thread", "question_id", qid, "user_id", in.user)
	}
	return nil
}

// takeQuestion records a question the bot must answer, or drops the event.
// Only a store error is returned: the caller then refuses the event so that
// Slack sends it again.
func (a *App) takeQuestion(ctx context.Context, in incoming, retry string) error {
	if why := a.ignoreReason(in); why != "" {
		a.metrics.events.WithLabelValues("ignored").Inc()
		a.log.Debug("event ignored", "event_id", in.eventID, "reason", why)
		return nil
	}
	text, named := a.stripSelf(in)
	in.mention = in.mention || named
	// A message delivered twice (as message and app_mention) is noted
	// twice: the note is a set.
	if err := a.noteThreadAuthor(ctx, in); err != nil {
		return err
	}
	ok, kind, err := a.addressed(ctx, in)
	if err != nil {
		return err
	}
	if !ok {
		a.metrics.events.WithLabelValues("ignored").Inc()
		a.log.Debug("event ignored", "event_id", in.eventID, "reason", "not_addressed", "channel", in.channel)
		return nil
	}
	thread := in.threadTS
	if thread == "" {
		thread = in.ts
	}
	id, fresh, err := a.outbox.Record(ctx, store.Question{
		EventID: in.eventID, Kind: kind, Text: text, UserID: in.user, Channel: in.channel,
		ChannelType: in.channelType, TS: in.ts, ThreadTS: thread, AskedAt: a.now(),
	})
	if err != nil {
		return err
	}
	if !fresh {
		a.metrics.events.WithLabelValues("duplicate").Inc()
		a.log.Info("duplicate event dropped", "event_id", in.eventID, "channel", in.channel, "ts", in.ts, "retry_num", retry)
		return nil
	}
	a.metrics.events.WithLabelValues("accepted").Inc()
	a.log.Debug("question recorded", "question_id", id, "event_id", in.eventID, "channel", in.channel)
	return nil
}
