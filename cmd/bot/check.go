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
	suspects := fs.Bool("suspects", false, "also learn the model and list the questions and alternates that read as another entry (to review)")
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
	if *suspects {
		return printSuspects(c)
	}
	return nil
}

// suspectFloor is how sure the model must be that a phrasing is another
// entry's for it to be shown: below, entries that share a subject
// (the contract's end, its renewal) fill the list.
const suspectFloor = 0.8

// printSuspects lists faq.yaml's phrasings that the model, reading them
// against the writers' phrasings alone, takes for another entry: an
// alternate filed under the wrong entry answers the wrong entry word for
// word. They are for staff to review, not errors. The model is learned
// (under a second), not read from the cache: leaving faq.yaml out takes
// counts the cache does not keep.
func printSuspects(c *cli) error {
	m, err := c.matcher()
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitError{1}
	}
	list, err := m.Suspects(suspectFloor)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return exitError{1}
	}
	for _, s := range list {
		fmt.Fprintf(c.stdout, "%s:%d: under %s, reads as %s (%.2f): %q\n", c.faq, s.Line, s.Entry, s.ReadAs, s.P, s.Text)
	}
	fmt.Fprintf(c.stdout, "%s: %d phrasing(s) read as another entry with a probability of %.1f or more; review them\n", c.faq, len(list), suspectFloor)
	return nil
}
