package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/slack-go/slack"
)

// subcommand is one staff sub-command of the slash command (/bin stats...).
// Later ones (stats, unanswered, reload, announce) plug in subcommands.
type subcommand struct {
	usage   string
	summary string
	run     func(ctx context.Context, cmd slack.SlashCommand, args []string) commandReply
}

// commandReply is the answer to a slash command. Not slack.Msg: its zero
// fields marshal as "blocks":null and an empty metadata object.
type commandReply struct {
	ResponseType string `json:"response_type"`
	Text         string `json:"text"`
}

func (a *App) subcommands() map[string]subcommand {
	return map[string]subcommand{
		"help": {"help", "cette aide", func(context.Context, slack.SlashCommand, []string) commandReply {
			return ephemeral(a.help())
		}},
	}
}

// refusal is what anyone outside the staff gets.
const refusal = "Désolé, cette commande est réservée à l'équipe du programme. " +
	"Pour vos questions sur la BIN, écrivez-moi en message privé ou mentionnez-moi dans un canal."

func (a *App) handleCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := a.signedBody(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		a.metrics.refused.WithLabelValues("malformed").Inc()
		http.Error(w, "malformed command", http.StatusBadRequest)
		return
	}
	if r.PostForm.Get("ssl_check") == "1" {
		w.WriteHeader(http.StatusOK)
		return
	}
	if cmd.UserID == "" {
		a.metrics.refused.WithLabelValues("malformed").Inc()
		http.Error(w, "malformed command", http.StatusBadRequest)
		return
	}
	writeJSON(w, a.runCommand(r.Context(), cmd))
}

// runCommand answers a slash command, from HTTP or Socket Mode.
func (a *App) runCommand(ctx context.Context, cmd slack.SlashCommand) commandReply {
	if !a.cfg.StaffIDs[cmd.UserID] {
		a.log.Info("staff command refused", "user_id", cmd.UserID)
		return ephemeral(refusal)
	}
	args := strings.Fields(cmd.Text)
	name := "help"
	if len(args) > 0 {
		name, args = strings.ToLower(args[0]), args[1:]
	}
	sub, ok := a.staff[name]
	if !ok {
		sub = a.staff["help"]
	}
	a.log.Info("staff command", "user_id", cmd.UserID, "subcommand", name)
	return sub.run(ctx, cmd, args)
}

func (a *App) help() string {
	names := make([]string, 0, len(a.staff))
	for name := range a.staff {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Commandes de l'équipe :\n")
	for _, name := range names {
		fmt.Fprintf(&b, "• `/bin %s` : %s\n", a.staff[name].usage, a.staff[name].summary)
	}
	return strings.TrimSpace(b.String())
}

func ephemeral(text string) commandReply {
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: text}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
