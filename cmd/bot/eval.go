package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
)

// runEval runs a labelled question file and prints the accuracy figures;
// it exits 1 when a figure is past a threshold given on the command line.
func runEval(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("eval")
	asJSON := fs.Bool("json", false, "print the figures as JSON")
	baseline := fs.Bool("baseline", false, "also measure plain fuzzy and plain BM25 on the same set")
	misses := fs.Bool("misses", false, "list the questions not answered right")
	var lim answers.EvalLimits
	fs.Float64Var(&lim.MinTop1, "min-top1", 0, "fail when top1 is under this")
	fs.Float64Var(&lim.MaxWrong, "max-wrong", 1, "fail when wrong is over this")
	fs.Float64Var(&lim.MinTop3, "min-top3", 0, "fail when top3 is under this")
	fs.Float64Var(&lim.MaxOOSFalse, "max-oos-false", 1, "fail when oos_false is over this")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(c.stderr, "usage: bot eval [--json] [--baseline] [--misses] [--min-top1 X ...] FILE")
		return fmt.Errorf("eval: one FILE expected: %w", errUsage)
	}
	cases, err := answers.LoadEvalFile(fs.Arg(0))
	if err != nil {
		return err
	}
	// A training file is measured as unseen questions: the model is learned
	// without it for this run.
	var opts []answers.Option
	if held := heldOutGroup(c.faq, fs.Arg(0)); held != "" {
		fmt.Fprintf(c.stderr, "eval: %s is training data: learning without it for this run\n", fs.Arg(0))
		opts = append(opts, answers.WithoutGroup(held))
	}
	m, err := c.matcher(opts...)
	if err != nil {
		return err
	}
	reports := []answers.EvalReport{answers.Evaluate("matcher", cases, m.Match)}
	if *baseline {
		// The baselines learn from the same data as the matcher did.
		var training *answers.Training
		if dir := m.FAQ().TrainingDir; dir != "" {
			if training, err = answers.LoadTraining(dir); err != nil {
				return err
			}
			training = training.Without(heldOutGroup(c.faq, fs.Arg(0)))
		}
		bm25, logistic := answers.BM25Baseline(m.FAQ()), answers.LogisticBaseline(m.FAQ(), training)
		r0 := reports[0]
		reports = append(reports,
			answers.Evaluate("fuzzy", cases, answers.FuzzyBaseline(m.FAQ())),
			answers.Evaluate("bm25", cases, bm25),
			answers.Evaluate("logistic", cases, logistic),
			// At the matcher's own error rates, thresholds chosen on this set.
			answers.EvaluateAtRates("bm25@", cases, bm25, r0.Wrong, r0.OOSFalse),
			answers.EvaluateAtRates("logist@", cases, logistic, r0.Wrong, r0.OOSFalse))
	}
	if !*misses {
		for i := range reports {
			reports[i].Misses = nil
		}
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if *baseline {
			err = enc.Encode(reports)
		} else {
			err = enc.Encode(reports[0])
		}
		if err != nil {
			return err
		}
	} else {
		printReports(c.stdout, reports)
	}
	if fails := reports[0].Failures(lim); len(fails) > 0 {
		fmt.Fprintf(c.stderr, "eval: under thresholds: %s\n", strings.Join(fails, ", "))
		return exitError{1}
	}
	return nil
}

// heldOutGroup names the training group of a file in faq.yaml's training
// folder, or "" for a file outside it.
func heldOutGroup(faqPath, file string) string {
	faq, err := answers.LoadFile(faqPath)
	if err != nil || faq.TrainingDir == "" {
		return ""
	}
	dir, err1 := filepath.Abs(faq.TrainingDir)
	abs, err2 := filepath.Abs(file)
	if err1 != nil || err2 != nil || filepath.Dir(abs) != dir {
		return ""
	}
	return strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
}

func printReports(w io.Writer, reports []answers.EvalReport) {
	r0 := reports[0]
	fmt.Fprintf(w, "%d questions: %d in scope, %d out of scope\n\n", r0.InScope+r0.OutOfScope, r0.InScope, r0.OutOfScope)
	fmt.Fprintf(w, "%-8s %6s %6s %6s %9s %9s\n", "", "top1", "wrong", "top3", "oos_false", "suggested")
	for _, r := range reports {
		fmt.Fprintf(w, "%-8s %6.3f %6.3f %6.3f %9.3f %9.3f\n", r.Name, r.Top1, r.Wrong, r.Top3, r.OOSFalse, r.Suggested)
	}
	if r0.OneWord > 0 {
		fmt.Fprintf(w, "%d in-scope messages are one word, which the scope rule does not answer; top1 / top3 on the others:", r0.OneWord)
		for _, r := range reports {
			fmt.Fprintf(w, " %s %.3f / %.3f", r.Name, r.Top1Rest, r.Top3Rest)
		}
		fmt.Fprintln(w)
	}
	for _, r := range reports {
		if r.StrayParts > 0 {
			fmt.Fprintf(w, "%-8s %.3f of one-question messages answered right, but with a part not asked besides\n", r.Name, r.StrayParts)
		}
	}
	if r0.TwoPart > 0 {
		fmt.Fprintf(w, "\n%d messages that ask two things or more (apart from the figures above):\n", r0.TwoPart)
		for _, r := range reports {
			fmt.Fprintf(w, "%-8s all parts right %.3f, an entry not asked %.3f\n", r.Name, r.TwoPartRight, r.TwoPartWrong)
		}
	}
	if en := r0.English; en != nil {
		fmt.Fprintf(w, "\nin English: %d in scope, %d out of scope, %d asking several things\n", en.InScope, en.OutOfScope, en.TwoPart)
		for _, r := range reports {
			if en := r.English; en != nil {
				fmt.Fprintf(w, "%-8s %6.3f %6.3f %6.3f %9.3f", r.Name, en.Top1, en.Wrong, en.Top3, en.OOSFalse)
				if en.TwoPart > 0 {
					fmt.Fprintf(w, "   all parts right %.3f, an entry not asked %.3f", en.TwoPartRight, en.TwoPartWrong)
				}
				fmt.Fprintln(w)
			}
		}
	}
	if len(r0.Calibrated) > 0 {
		fmt.Fprintln(w, "\ncalibration of answered questions (score band: answered, right):")
		for _, b := range r0.Calibrated {
			fmt.Fprintf(w, "  [%.1f, %.1f): %4d  %.3f\n", b.Low, b.High, b.Answered, b.Accuracy)
		}
	}
	for _, r := range reports {
		if len(r.Misses) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s misses:\n", r.Name)
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  want %-22s %-8s %.2f %v  %q\n", m.Want, m.Decision, m.Score, m.Got, m.Question)
		}
	}
}
