package slackapp

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/stats"
	"github.com/betagouv/bin-bot/internal/store"
)

// Bounds of the staff part of the Home: it shares the 100 blocks with
// everyone's part.
const (
	maxWaitingShown = 10
	maxWaitingText  = 500
	maxPostsShown   = 3
)

// staffBlocks is the staff's part of the Home: this week's figures beside
// last week's, the chart, the questions waiting for staff and the
// announcements. A part whose data cannot be read says so and the rest
// still shows.
func (h *Home) staffBlocks(ctx context.Context) (blocks []slack.Block, chartID string) {
	now := h.d.Now()
	blocks = append(blocks, slack.NewDividerBlock(), slack.NewHeaderBlock(plain("Équipe : les 7 derniers jours")))
	blocks = append(blocks, h.figuresBlocks(ctx, now)...)
	if h.d.Charts != nil {
		id, err := h.d.Charts.FileID(ctx)
		if err != nil {
			h.d.Log.Error("home chart", "err", err)
			blocks = append(blocks, note("chart-missing", "_Graphique indisponible pour le moment._"))
		} else {
			chartID = id
			blocks = append(blocks, chartBlock(id, chartDays))
		}
	}
	if h.d.Waiting != nil {
		blocks = append(blocks, h.waitingBlocks(ctx, now)...)
	}
	blocks = append(blocks, h.announcementBlocks(ctx, now)...)
	return blocks, chartID
}

// figuresBlocks shows the figures of `bot stats 7d`, each beside the
// previous 7 days'.
func (h *Home) figuresBlocks(ctx context.Context, now time.Time) []slack.Block {
	p, _ := stats.ParsePeriod("7d", now) // a known period: no error
	r, err := stats.Build(ctx, h.d.Store, p)
	if err != nil || r.Previous == nil {
		h.d.Log.Error("home figures", "err", err)
		return []slack.Block{note("figures-missing", "_Chiffres indisponibles pour le moment._")}
	}
	cur, prev := r.Current, *r.Previous
	field := func(name string, n, before int) *slack.TextBlockObject {
		return markdown(fmt.Sprintf("*%s*\n%d   _(avant : %d)_", name, n, before))
	}
	fields := []*slack.TextBlockObject{
		field("Questions", cur.Questions, prev.Questions),
		field("Répondues", cur.Answered, prev.Answered),
		field("Suggestions", cur.Suggested, prev.Suggested),
		field("Sans réponse", cur.Fallback, prev.Fallback),
		markdown(fmt.Sprintf("*👍 / 👎*\n%d / %d   _(avant : %d / %d)_", cur.FeedbackUp, cur.FeedbackDown,
			prev.FeedbackUp, prev.FeedbackDown)),
	}
	last := p.To.AddDate(0, 0, -1)
	return []slack.Block{
		slack.NewSectionBlock(nil, fields, nil, slack.SectionBlockOptionBlockID("figures")),
		note("figures-period", fmt.Sprintf("Du %s au %s, comparés aux 7 jours d'avant. Détail : `/bin stats`.",
			p.From.In(store.Paris).Format("02/01"), last.In(store.Paris).Format("02/01"))),
	}
}

// waitingBlocks lists the questions waiting for staff, newest first, each
// with its text, its thread and the buttons to act on it.
func (h *Home) waitingBlocks(ctx context.Context, now time.Time) []slack.Block {
	waiting, err := h.d.Waiting(ctx, maxWaitingShown+1)
	if err != nil {
		h.d.Log.Error("home waiting questions", "err", err)
		return []slack.Block{section("waiting-title", "*Questions en attente*"),
			note("waiting-missing", "_Liste indisponible pour le moment._")}
	}
	more := len(waiting) > maxWaitingShown
	if more {
		waiting = waiting[:maxWaitingShown]
	}
	count := strconv.Itoa(len(waiting))
	if more {
		count += "+"
	}
	title := "*Questions en attente de l'équipe (" + count + ")*"
	blocks := []slack.Block{slack.NewDividerBlock(), section("waiting-title", title)}
	if len(waiting) == 0 {
		return append(blocks, note("waiting-none", "Aucune question en attente. 🎉"))
	}
	for _, q := range waiting {
		id := strconv.FormatInt(q.QuestionID, 10)
		blocks = append(blocks, section("waiting-"+id, waitingLine(q)))
		var buttons []slack.BlockElement
		reply := slack.NewButtonBlockElement(actionHandoffReply, id, plain("Répondre"))
		reply.Style = slack.StylePrimary
		buttons = append(buttons, reply)
		if q.ClaimedBy == "" {
			buttons = append(buttons, slack.NewButtonBlockElement(actionHandoffClaim, id, plain("Je m'en occupe")))
		}
		blocks = append(blocks, slack.NewActionBlock("waiting-actions-"+id, buttons...))
	}
	if more {
		blocks = append(blocks, note("waiting-more", fmt.Sprintf("Les %d plus récentes ; les autres attendent sur leurs cartes, dans le canal de l'équipe.", maxWaitingShown)))
	}
	return blocks
}

// waitingLine is a waiting question as staff read it: quoted, who asked,
// when, why, the thread, who took it.
func waitingLine(q store.Handoff) string {
	quoted := "> (message sans texte)"
	if strings.TrimSpace(q.Text) != "" {
		quoted = quote(quoteSafe(q.Text, maxWaitingText))
	}
	var meta []string
	if q.UserID != "" {
		meta = append(meta, "<@"+q.UserID+">")
	}
	if !q.CreatedAt.IsZero() {
		meta = append(meta, slackDate(q.CreatedAt))
	}
	if r := reasonText(q.Reason); r != "" {
		meta = append(meta, r)
	}
	if q.Permalink != "" {
		meta = append(meta, "<"+q.Permalink+"|voir le fil>")
	}
	if q.ClaimedBy != "" {
		meta = append(meta, "pris par <@"+q.ClaimedBy+">")
	}
	return truncate(quoted+"\n"+strings.Join(meta, " · "), maxSectionText)
}

// reasonText says why a question was handed over, on its card and on the
// staff Home.
func reasonText(reason string) string {
	switch reason {
	case store.ReasonFallback:
		return "sans réponse du bot"
	case store.ReasonThumbsDown:
		return "réponse notée 👎"
	}
	return ""
}

// announcementBlocks shows the announcements: the next planned posts,
// the last one posted and the failures.
func (h *Home) announcementBlocks(ctx context.Context, now time.Time) []slack.Block {
	posts, err := h.d.Store.AnnouncementPosts(ctx)
	if err != nil {
		h.d.Log.Error("home announcements", "err", err)
		return []slack.Block{slack.NewDividerBlock(), section("announcements", "*Annonces*\n_État indisponible pour le moment._")}
	}
	recorded := map[string]bool{}
	var lines []string
	var lastPosted *store.AnnouncementPost
	var failed []store.AnnouncementPost
	for i, p := range posts { // latest due first
		recorded[p.Key] = true
		switch p.Status {
		case store.AnnouncementPosted:
			if lastPosted == nil {
				lastPosted = &posts[i]
			}
		case store.AnnouncementFailed:
			failed = append(failed, p)
		}
	}
	if h.d.Scheduled != nil {
		n := 0
		for _, o := range h.d.Scheduled() { // earliest first
			if recorded[o.Key] || !o.At.After(now) {
				continue
			}
			if n == maxPostsShown {
				break
			}
			lines = append(lines, fmt.Sprintf("⏭ Prochaine : *%s* dans <#%s>, %s", escape(o.Name), o.Channel, slackDate(o.At)))
			n++
		}
	}
	if lastPosted != nil {
		lines = append(lines, fmt.Sprintf("✅ Dernière postée : *%s* dans <#%s>, %s", escape(lastPosted.Name),
			lastPosted.Channel, slackDate(lastPosted.PostedAt)))
	}
	for i, p := range failed {
		if i == maxPostsShown {
			lines = append(lines, fmt.Sprintf("… et %d autre(s) échec(s) : `/bin announce list`.", len(failed)-i))
			break
		}
		lines = append(lines, fmt.Sprintf("⚠️ Échec : *%s* dans <#%s>, prévue %s : %s", escape(p.Name), p.Channel,
			slackDate(p.DueAt), escape(truncate(p.LastError, 200))))
	}
	if len(lines) == 0 {
		lines = append(lines, "Aucune annonce programmée ni postée.")
	}
	return []slack.Block{slack.NewDividerBlock(),
		section("announcements", truncate("*Annonces*\n"+strings.Join(lines, "\n"), maxSectionText))}
}

// slackDate shows a time in the reader's own time zone, with a Paris
// fallback for clients that cannot.
func slackDate(t time.Time) string {
	return fmt.Sprintf("<!date^%d^{date_short_pretty} {time}|%s>", t.Unix(), t.In(store.Paris).Format("02/01/2006 15:04"))
}

// note is a small grey line.
func note(blockID, text string) *slack.ContextBlock {
	return slack.NewContextBlock(blockID, markdown(text))
}
