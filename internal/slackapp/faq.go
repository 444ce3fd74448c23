package slackapp

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/learn"
)

// faqState is the FAQ as read from faq.yaml; the matcher answers from it
// with the staff's stored alternates merged in.
type faqState struct {
	mu      sync.Mutex // one rebuild at a time
	base    *answers.FAQ
	version string // of the stored alternates the matcher has
}

// rebuildLocked builds the matcher from the base FAQ and every stored
// alternate, and swaps it in. The caller holds a.faq.mu.
func (a *App) rebuildLocked(ctx context.Context) (alternates int, err error) {
	// The version is read first: an alternate added meanwhile makes it
	// stale, and the next sync rebuilds again rather than miss it.
	version, err := a.store.AlternatesVersion(ctx)
	if err != nil {
		return 0, err
	}
	alts, err := a.store.Alternates(ctx)
	if err != nil {
		return 0, err
	}
	faq, added := learn.Merge(a.faq.base, alts)
	m, err := answers.NewMatcher(faq, a.mopts...)
	if err != nil {
		return 0, fmt.Errorf("build matcher: %w", err)
	}
	a.matcher.Store(m)
	a.faq.version = version
	return len(added), nil
}

// syncAlternates rebuilds the matcher when the stored alternates changed,
// on this replica or another.
func (a *App) syncAlternates(ctx context.Context) error {
	version, err := a.store.AlternatesVersion(ctx)
	if err != nil {
		return err
	}
	a.faq.mu.Lock()
	defer a.faq.mu.Unlock()
	if version == a.faq.version {
		return nil
	}
	n, err := a.rebuildLocked(ctx)
	if err != nil {
		return err
	}
	a.log.Info("faq alternates applied", "alternates", n)
	return nil
}

// SyncFAQ keeps the matcher in step with the stored alternates until ctx
// is cancelled: at once (stored alternates apply from the first reply on),
// then as staff on any replica attach more.
func (a *App) SyncFAQ(ctx context.Context) error {
	if err := a.syncAlternates(ctx); err != nil {
		a.log.Error("apply stored faq alternates", "err", err)
	}
	tick := time.NewTicker(a.cfg.SyncEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := a.syncAlternates(ctx); err != nil && ctx.Err() == nil {
				a.log.Error("sync faq alternates", "err", err)
			}
		}
	}
}

// Reload re-reads faq.yaml and, when check finds nothing wrong, answers
// from it (with the stored alternates) from now on. A file with problems
// is refused and the running FAQ stays: problems lists them.
func (a *App) Reload(ctx context.Context) (entries, alternates int, problems []string, err error) {
	if a.cfg.FAQPath == "" {
		return 0, 0, nil, fmt.Errorf("reload: no faq.yaml path configured")
	}
	faq, err := answers.LoadFile(a.cfg.FAQPath)
	if err != nil {
		a.metrics.reloads.WithLabelValues("refused").Inc()
		return 0, 0, []string{err.Error()}, nil
	}
	for _, p := range answers.Check(faq) {
		problems = append(problems, p.String())
	}
	if len(problems) > 0 {
		a.metrics.reloads.WithLabelValues("refused").Inc()
		return 0, 0, problems, nil
	}
	a.faq.mu.Lock()
	defer a.faq.mu.Unlock()
	old := a.faq.base
	a.faq.base = faq
	if alternates, err = a.rebuildLocked(ctx); err != nil {
		a.faq.base = old
		return 0, 0, nil, fmt.Errorf("reload: %w", err)
	}
	a.metrics.reloads.WithLabelValues("ok").Inc()
	return len(faq.Entries), alternates, nil, nil
}

// maxProblems is how many of a refused file's problems the reply lists.
const maxProblems = 15

func (a *App) reloadCommand(ctx context.Context, cmd slack.SlashCommand, _ []string) commandReply {
	entries, alts, problems, err := a.Reload(ctx)
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
