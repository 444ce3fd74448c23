package slackapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// maxProblems is how many of a refused file's problems the reply lists.
const maxProblems = 15

func (a *App) reloadCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) commandReply {
	entries, alts, problems, err := a.faq.Reload(ctx)
	switch {
	case err != nil:
		a.log.Error("reload faq", "err", err)
		return ephemeral("Je n'ai pas pu recharger la FAQ (erreur technique, voir les journaux). La FAQ en service reste inchangée.")
	case len(problems) > 0:
		a.log.Warn("reload refused", "user_id", cmd.UserID, "problems", len(problems))
		var b strings.Builder
		fmt.Fprintf(&b, "❌ faq.yaml refusé (%d problème(s)) : la FAQ en service reste inchangée.\n", len(problems))
		for i, p := range problems {
			if i == maxProblems {
				fmt.Fprintf(&b, "… et %d autre(s) : lancez `bot check`.\n", len(problems)-i)
				break
			}
			fmt.Fprintf(&b, "• `%s`\n", p)
		}
		return ephemeral(strings.TrimSpace(b.String()))
	}
	a.log.Info("faq reloaded", "user_id", cmd.UserID, "entries", entries, "alternates", alts)
	return ephemeral(fmt.Sprintf("✅ FAQ rechargée : %d entrées, et %d formulation(s) ajoutée(s) par l'équipe.", entries, alts))
}
