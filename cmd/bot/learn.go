package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/betagouv/bin-bot/internal/learn"
	"github.com/betagouv/bin-bot/internal/store"
)

// runLearn lists the alternates staff attached in Slack; with --export it
// writes those faq.yaml lacks into it, for review in a pull request; with
// --drafts it prints the draft entries kept from staff answers.
func runLearn(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("learn")
	export := fs.Bool("export", false, "write the attached alternates into faq.yaml")
	drafts := fs.Bool("drafts", false, "print the draft entries kept from staff answers, as faq.yaml stubs to review")
	dbURL := c.databaseFlag(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	st, err := store.Open(ctx, *dbURL, store.AsTool())
	if err != nil {
		return err
	}
	defer st.Close()
	if *drafts {
		return printDrafts(ctx, c, st)
	}
	alts, err := st.Alternates(ctx)
	if err != nil {
		return err
	}
	if !*export {
		for _, a := range alts {
			fmt.Fprintf(c.stdout, "%s\t%s\t(%s, %s)\n", a.EntryID, a.Text, a.AddedBy, a.AddedAt.In(store.Paris).Format("2006-01-02"))
		}
		fmt.Fprintf(c.stderr, "%d alternate(s) attached in Slack; bot learn --export writes them into %s\n", len(alts), c.faq)
		return nil
	}
	data, err := os.ReadFile(c.faq)
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	out, added, err := learn.Export(c.faq, data, alts)
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	if len(added) == 0 {
		fmt.Fprintf(c.stdout, "%s: already has the %d attached alternate(s)\n", c.faq, len(alts))
		return nil
	}
	if err := writeFile(c.faq, out); err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	for _, a := range added {
		fmt.Fprintf(c.stdout, "+ %s: %s\n", a.EntryID, learn.Clean(a.Text))
	}
	fmt.Fprintf(c.stdout, "%s: %d alternate(s) written; review the diff, then run bot check\n", c.faq, len(added))
	return nil
}

// printDrafts prints the drafts staff kept as entry stubs: new entries
// need a writer's review (an id, a question as candidates ask it, facts
// checked) that no export can do, so nothing is written into faq.yaml.
func printDrafts(ctx context.Context, c *cli, st *store.Store) error {
	list, err := st.Drafts(ctx)
	if err != nil {
		return err
	}
	out, err := learn.DraftStubs(list)
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	if _, err := c.stdout.Write(out); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "%d draft entr(y/ies) kept from staff answers; review them, then add them to %s\n", len(list), c.faq)
	return nil
}

// writeFile replaces path's content at once, keeping its mode: a crash
// never leaves half a faq.yaml.
func writeFile(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".faq-*.yaml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
