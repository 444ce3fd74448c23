package main

import (
	"context"
	"fmt"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
)

// runCheck validates faq.yaml and prints each problem as file:line: message.
func runCheck(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("check")
	file := fs.String("announcements", "", "announcements file (env BOT_ANNOUNCEMENTS; default announcements.yaml beside faq.yaml)")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	faq, err := answers.LoadFile(c.faq)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitError{1}
	}
	var training []*answers.Training
	if faq.TrainingDir != "" {
		t, err := answers.LoadTraining(faq.TrainingDir)
		if err != nil {
			fmt.Fprintln(c.stderr, err)
			return exitError{1}
		}
		training = append(training, t)
	}
	problems := answers.Check(faq, training...)
	path, optional := c.announcementsPath(*file)
	plan, err := announce.LoadFile(path, optional)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitError{1}
	}
	problems = append(problems, announce.Check(plan, faq)...)
	for _, p := range problems {
		fmt.Fprintln(c.stderr, p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(c.stderr, "%s: %d problem(s)\n", c.faq, len(problems))
		return exitError{1}
	}
	fmt.Fprintf(c.stdout, "%s: ok, %d entries, %d facts, %d synonym groups\n", c.faq, len(faq.Entries), len(faq.Facts), len(faq.Synonyms))
	for _, t := range training {
		fmt.Fprintf(c.stdout, "%s: ok, %d training phrasings in %d files\n", faq.TrainingDir, len(t.Phrasings), len(t.Files))
	}
	fmt.Fprintf(c.stdout, "%s: ok, %d announcements\n", plan.Path, len(plan.Announcements))
	return nil
}
