package slackapp

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/chart"
	"github.com/betagouv/bin-bot/internal/store"
)

// Uploader is the part of *slack.Client that uploads the chart: its
// UploadFileContext runs files.getUploadURLExternal, the POST of the bytes
// and files.completeUploadExternal; files.info says when Slack has
// processed the file.
type Uploader interface {
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
	GetFileInfoContext(ctx context.Context, fileID string, count, page int) (*slack.File, []slack.Comment, *slack.Paging, error)
}

// chartDays is how many Paris days the chart shows, today included.
const chartDays = 30

// chartMaxAge is how long an uploaded chart is shown while its figures
// stay the same: an hour, so that a quiet month still gets a fresh file
// now and then.
const chartMaxAge = time.Hour

// Slack processes an upload after completeUploadExternal has returned, and
// refuses an image block naming the file until then ("invalid slack
// file"): the chart is shown once files.info gives its type, looked at
// every half second for up to 4 seconds.
const (
	readyTries = 8
	readyEvery = 500 * time.Millisecond
)

// chartSettle is how long a file Slack refuses to show is kept, in case
// it was still being processed; past it the next chart is a new upload.
const chartSettle = 2 * time.Minute

// ChartDeps are what the chart needs. HandedPerDay (Paris day
// "2006-01-02" → questions handed to staff that day) may be nil: none handed.
type ChartDeps struct {
	Store        *store.Store
	Slack        Uploader
	HandedPerDay func(ctx context.Context, from, to time.Time) (map[string]int, error)
	Now          func() time.Time
	Log          *slog.Logger
	// Wait pauses between two looks at files.info; nil: a timer. Tests
	// give one that does not wait.
	Wait func(ctx context.Context, d time.Duration) error
}

// Charts draws the last 30 days' chart and uploads it to Slack, once per
// change of its figures (or per hour): the staff Home and /bin stats show
// it by file id in an image block, so no public image URL is needed, in
// HTTP and Socket Mode alike.
type Charts struct {
	d ChartDeps

	mu     sync.Mutex // held through an upload: one upload at a time
	fileID string
	drawn  string // the figures fileID shows, as compared
	at     time.Time
}

// NewCharts builds the chart uploader.
func NewCharts(d ChartDeps) *Charts {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Wait == nil {
		d.Wait = sleep
	}
	return &Charts{d: d}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// FileID returns the id of an uploaded chart of the last 30 days, drawing
// and uploading it again when its figures changed or it is over an hour old.
func (c *Charts) FileID(ctx context.Context) (string, error) {
	now := c.d.Now()
	days, err := c.days(ctx, now)
	if err != nil {
		return "", err
	}
	figures := fmt.Sprint(days)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fileID != "" && figures == c.drawn && now.Sub(c.at) < chartMaxAge {
		return c.fileID, nil
	}
	png, err := chart.Render(days, chart.Labels{})
	if err != nil {
		return "", err
	}
	last := days[len(days)-1].Date.Format("2006-01-02")
	f, err := c.d.Slack.UploadFileContext(ctx, slack.UploadFileParameters{
		Filename: "questions-" + last + ".png", Title: "Questions par jour, " + last,
		AltTxt: altText(days), Reader: bytes.NewReader(png), FileSize: len(png)})
	if err != nil {
		return "", fmt.Errorf("upload chart: %w", err)
	}
	ready := c.ready(ctx, f.ID)
	c.fileID, c.drawn, c.at = f.ID, figures, now
	c.d.Log.Info("chart uploaded", "file_id", f.ID, "bytes", len(png), "processed", ready)
	return f.ID, nil
}

// ready waits until Slack has processed an uploaded file; false when it
// has not said so in time (the file is shown anyway: Refused follows up).
func (c *Charts) ready(ctx context.Context, fileID string) bool {
	for i := 0; i < readyTries; i++ {
		f, _, _, err := c.d.Slack.GetFileInfoContext(ctx, fileID, 0, 0)
		if err == nil && f.Mimetype != "" {
			return true
		}
		if i == readyTries-1 || c.d.Wait(ctx, readyEvery) != nil {
			break
		}
	}
	return false
}

// Refused says Slack would not show the file: kept while it may still be
// processing, dropped after that so that the next FileID uploads anew.
func (c *Charts) Refused(fileID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fileID == fileID && c.d.Now().Sub(c.at) >= chartSettle {
		c.fileID = ""
	}
}

// days reads the chart's figures: 30 Paris days ending today.
func (c *Charts) days(ctx context.Context, now time.Time) ([]chart.Day, error) {
	to := store.Day(now).AddDate(0, 0, 1)
	from := to.AddDate(0, 0, -chartDays)
	counts, err := c.d.Store.DailyDecisions(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var handed map[string]int
	if c.d.HandedPerDay != nil {
		if handed, err = c.d.HandedPerDay(ctx, from, to); err != nil {
			return nil, fmt.Errorf("handoffs per day: %w", err)
		}
	}
	days := make([]chart.Day, len(counts))
	for i, d := range counts {
		// Pending questions are not answered yet: drawn with the fallbacks
		// would misstate the bot, left out they are drawn tomorrow.
		days[i] = chart.Day{Date: d.Day, Answered: d.Answered, Suggested: d.Suggested, Fallback: d.Fallback,
			Handed: handed[d.Day.In(store.Paris).Format("2006-01-02")]}
	}
	return days, nil
}

// altText sums the chart up for screen readers.
func altText(days []chart.Day) string {
	var q, a, s, f, h int
	for _, d := range days {
		q, a, s, f, h = q+d.Questions(), a+d.Answered, s+d.Suggested, f+d.Fallback, h+d.Handed
	}
	return fmt.Sprintf("Questions par jour sur %d jours : %d questions, %d répondues, %d suggestions, %d sans réponse, %d transmises à l'équipe.",
		len(days), q, a, s, f, h)
}

// chartBlock shows an uploaded chart.
func chartBlock(fileID string, days int) *slack.ImageBlock {
	return slack.NewImageBlockSlackFile(&slack.SlackFileObject{ID: fileID},
		fmt.Sprintf("Questions par jour sur %d jours, par décision, et part transmise à l'équipe", days),
		"chart", plain(fmt.Sprintf("Questions par jour, %d derniers jours", days)))
}
