package slackapp

import (
	"context"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/stats"
)

// statsCommand answers /bin stats [today|7d|30d|all] with the figures
// `bot stats` prints.
func (a *App) statsCommand(ctx context.Context, _ slack.SlashCommand, args []string) commandReply {
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	p, err := stats.ParsePeriod(name, a.now())
	if err != nil {
		return ephemeral("Période inconnue. Essayez `/bin stats today`, `7d`, `30d` ou `all`.")
	}
	r, err := stats.Build(ctx, a.store, p)
	if err != nil {
		a.log.Error("staff stats", "err", err)
		return ephemeral("Je n'ai pas pu lire les chiffres : réessayez dans un instant.")
	}
	return ephemeral(r.Text(stats.Slack))
}
