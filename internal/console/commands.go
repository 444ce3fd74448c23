package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/learn"
	"github.com/betagouv/bin-bot/internal/stats"
	"github.com/betagouv/bin-bot/internal/store"
)

// stats answers `stats [today|7d|30d|all]` with the figures `bot stats`
// prints.
func (c *Console) stats(ctx context.Context, _ string, args []string) Reply {
	name := ""
	if len(args) > 0 {
		name = args[0]
	}
	p, err := stats.ParsePeriod(name, c.now())
	if err != nil {
		return text("Période inconnue. Essayez `/bin stats today`, `7d`, `30d` ou `all`.")
	}
	r, err := stats.Build(ctx, c.store, p)
	if err != nil {
		c.log.Error("staff stats", "err", err)
		return text("Je n'ai pas pu lire les chiffres : réessayez dans un instant.")
	}
	return text(r.Text(stats.Slack))
}

// maxProblems is how many of a refused file's problems the reply lists.
const maxProblems = 15

func (c *Console) reload(ctx context.Context, user string, _ []string) Reply {
	entries, alts, problems, err := c.faq.Reload(ctx)
	switch {
	case err != nil:
		c.log.Error("reload faq", "err", err)
		return text("Je n'ai pas pu recharger la FAQ (erreur technique, voir les journaux). La FAQ en service reste inchangée.")
	case len(problems) > 0:
		c.log.Warn("reload refused", "user_id", user, "problems", len(problems))
		var b strings.Builder
		fmt.Fprintf(&b, "❌ faq.yaml refusé (%d problème(s)) : la FAQ en service reste inchangée.\n", len(problems))
		for i, p := range problems {
			if i == maxProblems {
				fmt.Fprintf(&b, "… et %d autre(s) : lancez `bot check`.\n", len(problems)-i)
				break
			}
			fmt.Fprintf(&b, "• `%s`\n", p)
		}
		return text(strings.TrimSpace(b.String()))
	}
	c.log.Info("faq reloaded", "user_id", user, "entries", entries, "alternates", alts)
	return text(fmt.Sprintf("✅ FAQ rechargée : %d entrées, et %d formulation(s) ajoutée(s) par l'équipe.", entries, alts))
}

// Bounds of `unanswered N`: each question carries a menu of every entry,
// and a message holds at most 50 blocks.
const (
	unansweredDefault = 5
	unansweredMax     = 20
)

// unanswered lists the latest fallback and 👎 questions, each with a menu
// to attach it to an entry as a new alternate.
func (c *Console) unanswered(ctx context.Context, _ string, args []string) Reply {
	n := unansweredDefault
	if len(args) > 0 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 {
			return text(fmt.Sprintf("Usage : `/bin unanswered [N]`, N entre 1 et %d.", unansweredMax))
		}
		n = min(v, unansweredMax)
	}
	list, err := c.store.Unanswered(ctx, n)
	if err != nil {
		c.log.Error("staff unanswered", "err", err)
		return text("Je n'ai pas pu lire les questions : réessayez dans un instant.")
	}
	if len(list) == 0 {
		return text("Aucune question sans réponse ni notée 👎 à traiter. 🎉")
	}
	r := Reply{Lead: fmt.Sprintf("*%d dernière(s) question(s) sans réponse ou notée(s) 👎.* "+
		"Choisissez une entrée pour y ajouter la question comme formulation : le bot la reconnaît aussitôt.", len(list))}
	all := []string{r.Lead}
	for _, u := range list {
		why := "sans réponse"
		if u.Down {
			why = "notée 👎"
		}
		where := "<#" + u.Channel + ">"
		if u.ChannelType == "im" || u.ChannelType == "mpim" {
			where = "message privé"
		}
		r.Questions = append(r.Questions, Question{ID: u.ID, Line: fmt.Sprintf("> %s\n_%s · %s · %s_",
			fromSlack(truncate(u.Text, 500)), why, u.AskedAt.In(store.Paris).Format("02/01 15:04"), where)})
		all = append(all, "• "+truncate(u.Text, 200))
	}
	r.Text = strings.Join(all, "\n")
	for _, e := range c.matcher.Load().FAQ().Entries {
		r.Entries = append(r.Entries, Entry{ID: e.ID, Question: e.Question.Value})
	}
	return r
}

// Attach stores question qid as an alternate of entry, if check finds
// nothing wrong with it, and applies it at once; the answer is for the
// staff member who picked the entry.
func (c *Console) Attach(ctx context.Context, user string, qid int64, entry string) (string, error) {
	q, err := c.store.Question(ctx, qid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && learn.Clean(q.Text) == "") {
		return "Cette question n'est plus enregistrée (durée de conservation dépassée).", nil
	}
	if err != nil {
		return "", err
	}
	alt := store.Alternate{EntryID: entry, Text: learn.Clean(q.Text), QuestionID: qid, AddedBy: user, AddedAt: c.now()}
	problems, err := c.faq.Attach(ctx, alt)
	if err != nil {
		return "", err
	}
	if len(problems) > 0 {
		c.log.Info("attach refused by check", "question_id", qid, "entry_id", entry, "problems", len(problems))
		return fmt.Sprintf("❌ « %s » n'a pas été rattachée à *%s* : %s", fromSlack(alt.Text), entry, fromSlack(strings.Join(problems, " ; "))), nil
	}
	c.log.Info("alternate attached", "question_id", qid, "entry_id", entry, "user_id", user)
	return fmt.Sprintf("✅ « %s » est maintenant une formulation de *%s*, appliquée tout de suite. "+
		"`bot learn --export` l'écrira dans faq.yaml pour relecture.", fromSlack(alt.Text), entry), nil
}

// announce is `announce list | preview ID | send ID`; send asks for a
// click before anything is posted.
func (c *Console) announce(ctx context.Context, _ string, args []string) Reply {
	switch {
	case len(args) == 1 && args[0] == "list":
		list, err := c.ann.List(ctx)
		if err != nil {
			c.log.Error("list announcements", "err", err)
			return text("Je n'ai pas pu lire les annonces enregistrées, réessayez dans un instant.")
		}
		return text(list)
	case len(args) == 2 && (args[0] == "preview" || args[0] == "send"):
		t, ok := c.ann.Find(args[1])
		switch {
		case !ok:
			return text(fmt.Sprintf("Je ne connais pas l'annonce `%s` : `/bin announce list` les montre toutes.", args[1]))
		case args[0] == "preview":
			return text(c.ann.Preview(t))
		}
		question := fmt.Sprintf("Envoyer `%s` maintenant dans %s ?", t.Name, announcer.ChannelRefs(t.Channels))
		return Reply{Text: question, Lead: question, Confirm: &t}
	}
	return text("Usage : `/bin announce list`, `/bin announce preview ID`, `/bin announce send ID`.")
}

// fromSlack makes text Slack sent safe inside mrkdwn without escaping it
// twice: Slack has already written &, < and > as entities.
func fromSlack(s string) string {
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// truncate shortens s to n runes, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}
