package slackapp

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/store"
)

// staffAnswer is the message that carries a staff member's answer, typed
// in the Répondre modal, into the candidate's thread: the team speaks
// through the bot, naming who answered.
func staffAnswer(q store.Question) reply {
	head := "Réponse de l'équipe (<@" + q.UserID + ">) :"
	body := strings.TrimSpace(q.Text)
	bs := []slack.Block{section("staff-head", head)}
	bs = append(bs, sections(body, maxBlocks-1)...)
	return reply{text: head + "\n" + clip(body), blocks: bs}
}
