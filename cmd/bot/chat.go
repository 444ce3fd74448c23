package main

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/betagouv/bin-bot/internal/answers"
)

// runChat is a console for trying questions: type one per line; after a
// suggestion, a number picks that choice.
func runChat(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("chat")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	m, err := c.cachedMatcher()
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "BIN bot, %d entries loaded from %s. Posez une question (Ctrl-D pour quitter).\n", len(m.FAQ().Entries), c.faq)
	in := bufio.NewScanner(c.stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	var last answers.Result
	for {
		fmt.Fprint(c.stdout, "> ")
		if ctx.Err() != nil || !in.Scan() {
			fmt.Fprintln(c.stdout)
			return in.Err()
		}
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		if n, err := strconv.Atoi(line); err == nil && last.Decision == answers.Suggest && n >= 1 && n <= len(last.Suggestions) {
			if r, ok := m.AnswerFor(last.Suggestions[n-1].EntryID); ok {
				printResult(c.stdout, r)
				last = r
				continue
			}
		}
		last = m.Match(line)
		printResult(c.stdout, last)
	}
}
