package slackapp

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/announce"
	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Views is the part of *slack.Client the App Home uses: publish a Home
// tab, open the modal of an answer.
type Views interface {
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
}

// HomeDeps are the Home's collaborators. Waiting, Scheduled and Charts may
// be nil: the staff Home then leaves that part out.
type HomeDeps struct {
	Matcher  *atomic.Pointer[answers.Matcher]
	Store    *store.Store
	Slack    Views
	StaffIDs map[string]bool
	// Waiting lists the questions waiting for staff, newest first, at most
	// limit (Store.WaitingHandoffs).
	Waiting func(ctx context.Context, limit int) ([]store.Handoff, error)
	// Scheduled lists the announcements' planned posts (Announcer.Occurrences).
	Scheduled func() []announce.Occurrence
	Charts    *Charts
	Now       func() time.Time
	Log       *slog.Logger
}

// Refresh rules of the Home.
const (
	// homeEvery is the least time between two publishes for one user that
	// a change (Changed) triggers; an open publishes at once when the view
	// differs from the one last published.
	homeEvery = time.Minute
	// homeRecent is how long after opening the Home a user's view is kept
	// fresh by Changed.
	homeRecent = time.Hour
	// homeTick is how often changes held back by homeEvery are looked at.
	homeTick = 10 * time.Second
	// homeTimeout bounds the building and publishing of one view: Slack
	// wants the Home within 10 seconds of the open.
	homeTimeout = 8 * time.Second
)

// Home publishes the App Home tab: on app_home_opened, and again for the
// users who opened it recently when what it shows changes.
type Home struct {
	d     HomeDeps
	opens chan string   // users who opened the Home, for Run
	wake  chan struct{} // Changed was called

	mu      sync.Mutex
	viewers map[string]*viewer
}

// viewer is what the Home remembers of one user's tab.
type viewer struct {
	openedAt    time.Time
	publishedAt time.Time
	published   [sha256.Size]byte // the view last published
	stale       bool              // Changed since publishedAt
}

// NewHome builds the Home; start its Run.
func NewHome(d HomeDeps) *Home {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Home{d: d, opens: make(chan string, 256), wake: make(chan struct{}, 1), viewers: map[string]*viewer{}}
}

// Opened takes an app_home_opened of the Home tab; Run publishes the view.
// It never waits: past 256 opens in line the open is dropped and logged.
func (h *Home) Opened(user string) {
	select {
	case h.opens <- user:
	default:
		h.d.Log.Warn("home open dropped: too many in line", "user_id", user)
	}
}

// Changed says that what the Home shows has changed (a handoff opened or
// answered, a FAQ reload): the users who opened it within the last hour get
// it again, each at most once a minute, and only if their view differs.
func (h *Home) Changed() {
	h.mu.Lock()
	for _, v := range h.viewers {
		v.stale = true
	}
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// Run publishes the Home views until ctx is cancelled. Opens go first:
// they are a user looking at the tab now.
func (h *Home) Run(ctx context.Context) error {
	tick := time.NewTicker(homeTick)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case user := <-h.opens:
			h.open(ctx, user)
			continue
		default:
		}
		select {
		case <-ctx.Done():
			return nil
		case user := <-h.opens:
			h.open(ctx, user)
		case <-h.wake:
			h.refresh(ctx)
		case <-tick.C:
			h.refresh(ctx)
		}
	}
}

// open publishes a user's Home unless the same view was published less
// than a minute ago.
func (h *Home) open(ctx context.Context, user string) {
	now := h.d.Now()
	h.mu.Lock()
	v := h.viewers[user]
	if v == nil {
		v = &viewer{}
		h.viewers[user] = v
	}
	v.openedAt = now
	h.mu.Unlock()
	h.publish(ctx, user, func(sum [sha256.Size]byte, v *viewer) bool {
		return sum != v.published || now.Sub(v.publishedAt) >= homeEvery
	})
}

// refresh republishes the stale views whose minute has passed, forgetting
// the users who have not opened the Home for an hour.
func (h *Home) refresh(ctx context.Context) {
	now := h.d.Now()
	var due []string
	h.mu.Lock()
	for user, v := range h.viewers {
		switch {
		case now.Sub(v.openedAt) > homeRecent:
			delete(h.viewers, user)
		case v.stale && now.Sub(v.publishedAt) >= homeEvery:
			due = append(due, user)
		}
	}
	h.mu.Unlock()
	for _, user := range due {
		if ctx.Err() != nil {
			return
		}
		h.publish(ctx, user, func(sum [sha256.Size]byte, v *viewer) bool { return sum != v.published })
	}
}

// publish builds a user's view and publishes it when want says so.
func (h *Home) publish(ctx context.Context, user string, want func([sha256.Size]byte, *viewer) bool) {
	ctx, cancel := context.WithTimeout(ctx, homeTimeout)
	defer cancel()
	now := h.d.Now() // the time the view shows: the minute counts from it
	view, chartID := h.view(ctx, user)
	data, err := json.Marshal(view)
	if err != nil {
		h.d.Log.Error("home view", "user_id", user, "err", err)
		return
	}
	sum := sha256.Sum256(data)
	h.mu.Lock()
	v := h.viewers[user]
	if v == nil { // forgotten meanwhile
		h.mu.Unlock()
		return
	}
	v.stale = false
	if !want(sum, v) {
		h.mu.Unlock()
		h.d.Log.Debug("home unchanged, not published", "user_id", user)
		return
	}
	h.mu.Unlock()
	_, err = h.d.Slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
	withoutChart := false
	if err != nil && chartID != "" && invalidBlocks(err) {
		// Slack may refuse a file it cannot show yet (still processing, or
		// not visible to this user): the Home goes out without the chart,
		// and again with it once the minute has passed.
		h.d.Log.Warn("home refused with the chart: published without it", "user_id", user, "file_id", chartID, "err", err)
		h.d.Charts.Refused(chartID)
		view.Blocks.BlockSet = withoutBlock(view.Blocks.BlockSet, "chart")
		_, err = h.d.Slack.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		withoutChart = true
	}
	if err != nil {
		h.d.Log.Error("publish home", "user_id", user, "err", err)
		return
	}
	h.mu.Lock()
	v.published, v.publishedAt = sum, now
	if withoutChart {
		v.published, v.stale = [sha256.Size]byte{}, true
	}
	h.mu.Unlock()
	h.d.Log.Info("home published", "user_id", user, "staff", h.d.StaffIDs[user])
}

// invalidBlocks reports Slack refusing a view's blocks.
func invalidBlocks(err error) bool {
	var resp slack.SlackErrorResponse
	return errors.As(err, &resp) && (resp.Err == "invalid_blocks" || resp.Err == "invalid_arguments")
}

// withoutBlock drops the block with the given id.
func withoutBlock(blocks []slack.Block, id string) []slack.Block {
	out := blocks[:0:0]
	for _, b := range blocks {
		if b.ID() != id {
			out = append(out, b)
		}
	}
	return out
}
