package main

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/betagouv/bin-bot/internal/store"
)

// defaultRetentionDays is how long question text and user ids are kept
// unless BOT_RETENTION_DAYS says otherwise.
const defaultRetentionDays = 90

// purgeEvery is how often serve purges; a day's questions go the first
// purge after they are retention days old.
const purgeEvery = time.Hour

// retentionDays reads BOT_RETENTION_DAYS: a whole number of days, 1 or more.
func retentionDays(getenv env) (int, error) {
	v := getenv("BOT_RETENTION_DAYS")
	if v == "" {
		return defaultRetentionDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("BOT_RETENTION_DAYS=%q: want a number of days, 1 or more: %w", v, errUsage)
	}
	return n, nil
}

// purge deletes what is older than the retention, at start then every
// purgeEvery, until ctx is cancelled. Replicas may all run it: the store
// makes them take turns.
func purge(ctx context.Context, st *store.Store, days int, now func() time.Time, log *slog.Logger) {
	tick := time.NewTicker(purgeEvery)
	defer tick.Stop()
	for {
		cutoff := now().AddDate(0, 0, -days)
		n, err := st.Purge(ctx, cutoff)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("retention purge", "err", err, "purged", n)
		case n > 0:
			log.Info("retention purge", "purged", n, "before", store.Day(cutoff).Format(time.DateOnly), "retention_days", days)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
