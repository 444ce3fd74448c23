package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/betagouv/bin-bot/internal/stats"
	"github.com/betagouv/bin-bot/internal/store"
)

// runStats prints the figures of `/bin stats`, read from the database.
func runStats(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("stats")
	asJSON := fs.Bool("json", false, "print one JSON object")
	period := fs.String("period", "7d", "today, 7d, 30d or all")
	dbURL := c.databaseFlag(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 { // bot stats 30d, as in Slack
		*period = fs.Arg(0)
	}
	p, err := stats.ParsePeriod(*period, time.Now())
	if err != nil {
		return fmt.Errorf("stats: %w: %w", err, errUsage)
	}
	st, err := store.Open(ctx, *dbURL, store.AsTool())
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := stats.Build(ctx, st, p)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r.JSON())
	}
	_, err = fmt.Fprintln(c.stdout, r.Text(stats.Plain))
	return err
}
