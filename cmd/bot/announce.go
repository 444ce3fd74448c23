package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
)

// announcementsPath is --announcements, BOT_ANNOUNCEMENTS, or
// announcements.yaml beside faq.yaml; optional when not named.
func (c *cli) announcementsPath(flagValue string) (path string, optional bool) {
	if flagValue != "" {
		return flagValue, false
	}
	if env := c.getenv("BOT_ANNOUNCEMENTS"); env != "" {
		return env, false
	}
	return filepath.Join(filepath.Dir(c.faq), "announcements.yaml"), true
}

// announcementPlan loads the announcements for serve and refuses a file
// that fails its check, as a broken faq.yaml is refused.
func (c *cli) announcementPlan(flagValue string, faq *answers.FAQ) (*announce.Plan, error) {
	path, optional := c.announcementsPath(flagValue)
	plan, err := announce.LoadFile(path, optional)
	if err != nil {
		return nil, err
	}
	if probs := announce.Check(plan, faq); len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.String()
		}
		return nil, fmt.Errorf("announcements:\n%s", strings.Join(msgs, "\n"))
	}
	return plan, nil
}

// runAnnounce renders announcements offline: list, or preview ID.
func runAnnounce(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("announce")
	file := fs.String("announcements", "", "announcements file (env BOT_ANNOUNCEMENTS; default announcements.yaml beside faq.yaml)")
	at := fs.String("at", "", `pretend the time is this ("2021-12-01 09:00", Paris)`)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 || fs.Arg(0) != "list" && fs.Arg(0) != "preview" || fs.Arg(0) == "preview" && fs.NArg() != 2 {
		fmt.Fprintln(c.stderr, "usage: bot announce [--announcements FILE] [--at TIME] list | preview ID")
		return fmt.Errorf("announce: %w", errUsage)
	}
	now := time.Now()
	if *at != "" {
		t, err := announce.ParseTime(*at)
		if err != nil {
			return fmt.Errorf("--at: %w", err)
		}
		now = t
	}
	m, err := c.cachedMatcher(answers.WithClock(func() time.Time { return now }))
	if err != nil {
		return err
	}
	path, optional := c.announcementsPath(*file)
	plan, err := announce.LoadFile(path, optional)
	if err != nil {
		return err
	}
	deadline, hasDeadline, _ := m.FAQ().Deadline()
	occs := plan.Occurrences(deadline, hasDeadline)
	if fs.Arg(0) == "list" {
		printPlan(c, plan, occs, now)
		return nil
	}
	name := fs.Arg(1)
	found := plan.Find(occs, name)
	if len(found) == 0 {
		for _, a := range plan.Announcements {
			if a.ID == name { // on demand only: preview it as of now
				fmt.Fprintf(c.stdout, "%s (à la demande) → %s\n\n%s\n\n[Postuler] %s\n", a.ID, strings.Join(a.Channels, ", "), m.Render(a.Text, now, nil), m.FAQ().FormURL.Value)
				return nil
			}
		}
		return fmt.Errorf("announce: no announcement %q in %s", name, path)
	}
	o := found[0]
	fmt.Fprintf(c.stdout, "%s → %s, %s\n\n%s\n\n[Postuler] %s\n", o.Name, o.Channel, o.At.In(answers.Paris).Format("2006-01-02 15:04"),
		announce.Text(m, o), m.FAQ().FormURL.Value)
	return nil
}

func printPlan(c *cli, plan *announce.Plan, occs []announce.Occurrence, now time.Time) {
	fmt.Fprintf(c.stdout, "%s: %d announcement(s), grace %s, as of %s\n", plan.Path, len(plan.Announcements), plan.Grace, now.In(answers.Paris).Format("2006-01-02 15:04"))
	for _, o := range occs {
		fmt.Fprintf(c.stdout, "  %-16s %-18s %-12s %s\n", o.At.In(answers.Paris).Format("2006-01-02 15:04"), o.Name, o.Channel, plan.StatusAt(o, now))
	}
	for _, a := range plan.Announcements {
		if a.At.IsZero() && a.Reminders == nil {
			fmt.Fprintf(c.stdout, "  %-16s %-18s %-12s %s\n", "à la demande", a.ID, strings.Join(a.Channels, ","), "on demand")
		}
	}
}
