package slackapp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/stats"
)

// commandReply is the answer to a slash command, in the acknowledgement or
// posted to response_url. Not slack.Msg: its zero fields marshal as
// "blocks":null and an empty metadata object.
type commandReply struct {
	ResponseType    string        `json:"response_type"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
}

// refusal is what anyone outside the staff gets.
const refusal = "Désolé, cette commande est réservée à l'équipe du programme. " +
	"Pour vos questions sur la BIN, écrivez-moi en message privé ou mentionnez-moi dans un canal."

func (a *App) handleCommand(w http.ResponseWriter, r *http.Request) {
	if a.sslCheck(w, r) {
		return
	}
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

// runCommand answers a slash command, from HTTP or Socket Mode: the
// console's answer for staff, the refusal for anyone else.
func (a *App) runCommand(ctx context.Context, cmd slack.SlashCommand) commandReply {
	if !a.cfg.StaffIDs[cmd.UserID] {
		a.log.Info("staff command refused", "user_id", cmd.UserID)
		return ephemeral(refusal)
	}
	return a.within(ctx, cmd, func(ctx context.Context) commandReply {
		out := render(a.console.Run(ctx, cmd.UserID, cmd.Text))
		if a.charts != nil && isStats(cmd.Text) {
			out = a.withChart(ctx, out)
		}
		return out
	})
}

// isStats reports `/bin stats` with a period it knows.
func isStats(text string) bool {
	args := strings.Fields(text)
	if len(args) == 0 || strings.ToLower(args[0]) != "stats" {
		return false
	}
	period := ""
	if len(args) > 1 {
		period = args[1]
	}
	_, err := stats.ParsePeriod(period, time.Time{})
	return err == nil
}

// withChart shows the figures' text followed by the chart of the last 30
// days; without the chart (an upload refused) the text stands alone.
func (a *App) withChart(ctx context.Context, r commandReply) commandReply {
	id, err := a.charts.FileID(ctx)
	if err != nil {
		a.log.Error("stats chart", "err", err)
		return r
	}
	r.Blocks = append(sections(r.Text, maxBlocks-1), chartBlock(id, chartDays))
	return r
}

// render shows a console reply: its text, and the menus or buttons it
// offers as Block Kit.
func render(r console.Reply) commandReply {
	out := ephemeral(r.Text)
	switch {
	case len(r.Questions) > 0:
		out.Blocks = unansweredBlocks(r)
	case r.Confirm != nil:
		out.Blocks = confirmBlocks(r.Lead, *r.Confirm)
	}
	return out
}

// maxAck is the largest reply sent in the acknowledgement: Socket Mode
// drops an ack of 20 KB or more. A larger one goes to response_url.
const maxAck = 16 << 10

// commandTimeout bounds a sub-command run past its acknowledgement.
const commandTimeout = 2 * time.Minute

// within runs a sub-command and returns its reply if it is ready within
// Config.AckWithin and small enough for an acknowledgement; else it returns
// a short "working on it" and posts the reply to the command's
// response_url when ready. The run outlives the request: ctx's values
// only, not its cancellation.
func (a *App) within(ctx context.Context, cmd slack.SlashCommand, run func(context.Context) commandReply) commandReply {
	done := make(chan commandReply, 1)
	runCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
	go func() {
		defer cancel()
		done <- run(runCtx)
	}()
	timer := time.NewTimer(a.cfg.AckWithin)
	defer timer.Stop()
	select {
	case r := <-done:
		if size(r) < maxAck || cmd.ResponseURL == "" {
			return r
		}
		a.followUp(ctx, cmd.ResponseURL, r)
	case <-timer.C:
		go func() { a.followUp(ctx, cmd.ResponseURL, <-done) }()
	}
	return ephemeral("⏳ Je prépare la réponse…")
}

// size is the length of a reply as JSON.
func size(r commandReply) int {
	data, _ := json.Marshal(r)
	return len(data)
}

func ephemeral(text string) commandReply {
	return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: text}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}
