// Package console is the staff's console: the sub-commands of /bin (help,
// stats, unanswered, reload, announce) and what the menus they offer do.
// It answers in Slack mrkdwn and says which menus and buttons to show; the
// Slack adapter renders them and decides who is staff.
package console

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/betagouv/bin-bot/internal/announcer"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// FAQ is what the console changes in the FAQ in service.
type FAQ interface {
	Reload(ctx context.Context) (entries, alternates int, problems []string, err error)
	Attach(ctx context.Context, alt store.Alternate) (problems []string, err error)
	MarkOffTopic(ctx context.Context, o store.OffTopic) (changed bool, err error)
}

// Deps are the console's collaborators; Announcer may be nil.
type Deps struct {
	Store     *store.Store
	FAQ       FAQ
	Matcher   *atomic.Pointer[answers.Matcher]
	Announcer *announcer.Announcer
	Now       func() time.Time
	Log       *slog.Logger
}

// Reply is a sub-command's answer. Text is the whole answer as text; when
// the answer offers menus or buttons, Lead opens it and Questions or
// Confirm say what to offer.
type Reply struct {
	Text      string
	Lead      string
	Questions []Question        // each with a menu to attach it to one of Entries
	Entries   []Entry           // the entries a question may be attached to
	Confirm   *announcer.Target // a send that waits for a click
}

// Question is one question of /bin unanswered, as staff read it.
type Question struct {
	ID   int64
	Line string // mrkdwn: the question quoted, why it is listed, when, where
}

// Entry is an FAQ entry a question may be attached to.
type Entry struct{ ID, Question string }

// Command is one sub-command; run may take its time.
type Command struct {
	Usage, Summary string
	Run            func(ctx context.Context, user string, args []string) Reply
}

// Console runs the staff's sub-commands.
type Console struct {
	store    *store.Store
	faq      FAQ
	matcher  *atomic.Pointer[answers.Matcher]
	ann      *announcer.Announcer
	now      func() time.Time
	log      *slog.Logger
	commands map[string]Command
}

// New builds the console and its sub-commands.
func New(d Deps) *Console {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	c := &Console{store: d.Store, faq: d.FAQ, matcher: d.Matcher, ann: d.Announcer, now: d.Now, log: d.Log}
	c.commands = map[string]Command{
		"help":       {"help", "cette aide", func(context.Context, string, []string) Reply { return text(c.help()) }},
		"stats":      {"stats [today|7d|30d|all]", "questions, réponses, avis, comparés à la période précédente", c.stats},
		"unanswered": {"unanswered [N]", "les dernières questions sans réponse ou notées 👎, à rattacher à une entrée", c.unanswered},
		"reload":     {"reload", "relit faq.yaml ; refusé s'il a des erreurs", c.reload},
	}
	if d.Announcer != nil {
		c.SetAnnouncer(d.Announcer)
	}
	return c
}

// SetAnnouncer adds `announce`; call it before serving.
func (c *Console) SetAnnouncer(an *announcer.Announcer) {
	c.ann = an
	c.commands["announce"] = Command{"announce list | preview ID | send ID", "les annonces : programme, aperçu, envoi", c.announce}
}

// Handle adds (or replaces) a sub-command.
func (c *Console) Handle(name string, cmd Command) { c.commands[name] = cmd }

// Run runs a staff member's command text ("stats 7d"); an unknown or
// missing sub-command gets the help.
func (c *Console) Run(ctx context.Context, user, cmdText string) Reply {
	args := strings.Fields(cmdText)
	name := "help"
	if len(args) > 0 {
		name, args = strings.ToLower(args[0]), args[1:]
	}
	cmd, ok := c.commands[name]
	if !ok {
		name, cmd = "help", c.commands["help"]
	}
	c.log.Info("staff command", "user_id", user, "subcommand", name)
	return cmd.Run(ctx, user, args)
}

func (c *Console) help() string {
	names := make([]string, 0, len(c.commands))
	for name := range c.commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("Commandes de l'équipe :\n")
	for _, name := range names {
		fmt.Fprintf(&b, "• `/bin %s` : %s\n", c.commands[name].Usage, c.commands[name].Summary)
	}
	return strings.TrimSpace(b.String())
}

func text(s string) Reply { return Reply{Text: s} }
