// Package livefaq keeps the FAQ in service: faq.yaml as last loaded, with
// the alternates staff attached (on any replica) merged in. It rebuilds the
// matcher when staff attach a wording, when another replica did, and when
// faq.yaml is reloaded; a file or wording that check objects to is refused
// and the FAQ in service stays.
package livefaq

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/learn"
	"github.com/betagouv/bin-bot/internal/store"
)

// Config says where the FAQ comes from.
type Config struct {
	Path      string           // faq.yaml, re-read by Reload
	SyncEvery time.Duration    // how often alternates attached on another replica are looked for; default 30s
	Options   []answers.Option // build the rebuilt matchers
}

// FAQ is the FAQ in service; the matcher it swaps is the one replies use.
type FAQ struct {
	cfg     Config
	matcher *atomic.Pointer[answers.Matcher]
	store   *store.Store
	log     *slog.Logger
	reloads *prometheus.CounterVec // result: ok, refused

	mu      sync.Mutex // one rebuild at a time
	base    *answers.FAQ
	version string // of the stored alternates the matcher has
}

// New keeps m's FAQ in service; reg, if set, gets the FAQ's metrics.
func New(cfg Config, m *atomic.Pointer[answers.Matcher], st *store.Store, log *slog.Logger, reg prometheus.Registerer) *FAQ {
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = 30 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f := &FAQ{cfg: cfg, matcher: m, store: st, log: log, base: m.Load().FAQ(),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bot_faq_reloads_total",
			Help: "FAQ rebuilds (reload, alternates attached), by result."}, []string{"result"})}
	if reg != nil {
		reg.MustRegister(f.reloads, prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "bot_faq_entries", Help: "FAQ entries loaded."},
			func() float64 { return float64(len(m.Load().FAQ().Entries)) }))
	}
	return f
}

// rebuildLocked builds the matcher from the base FAQ and every stored
// alternate, and swaps it in. The caller holds f.mu.
func (f *FAQ) rebuildLocked(ctx context.Context) (alternates int, err error) {
	// The version is read first: an alternate added meanwhile makes it
	// stale, and the next sync rebuilds again rather than miss it.
	version, err := f.storedVersion(ctx)
	if err != nil {
		return 0, err
	}
	alts, err := f.store.Alternates(ctx)
	if err != nil {
		return 0, err
	}
	offTopic, err := f.store.OffTopicTexts(ctx)
	if err != nil {
		return 0, err
	}
	faq, added := learn.Merge(f.base, alts)
	if current := f.matcher.Load(); len(added) == 0 && len(offTopic) == 0 && current != nil && current.FAQ() == f.base {
		// Nothing to add to the FAQ in service: no need to learn it again.
		f.version = version
		return 0, nil
	}
	opts := append(append([]answers.Option(nil), f.cfg.Options...), answers.WithOutOfScope(offTopic))
	m, err := answers.NewMatcher(faq, opts...)
	if err != nil {
		return 0, fmt.Errorf("build matcher: %w", err)
	}
	f.matcher.Store(m)
	f.version = version
	// Learning again leaves hundreds of megabytes of garbage, and the old
	// matcher: give them back to the system now rather than keep them
	// resident until the next collection.
	debug.FreeOSMemory()
	return len(added), nil
}

// storedVersion changes whenever staff attach an alternate or mark a
// message off topic, on any replica.
func (f *FAQ) storedVersion(ctx context.Context) (string, error) {
	alts, err := f.store.AlternatesVersion(ctx)
	if err != nil {
		return "", err
	}
	off, err := f.store.OffTopicVersion(ctx)
	if err != nil {
		return "", err
	}
	return alts + "/" + off, nil
}

// sync rebuilds the matcher when the stored alternates or off-topic
// messages changed, on this replica or another.
func (f *FAQ) sync(ctx context.Context) error {
	version, err := f.storedVersion(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if version == f.version {
		return nil
	}
	n, err := f.rebuildLocked(ctx)
	if err != nil {
		return err
	}
	f.log.Info("faq alternates applied", "alternates", n)
	return nil
}

// Run keeps the matcher in step with the stored alternates until ctx is
// cancelled: at once (stored alternates apply from the first reply on),
// then as staff on any replica attach more.
func (f *FAQ) Run(ctx context.Context) error {
	if err := f.sync(ctx); err != nil {
		f.log.Error("apply stored faq alternates", "err", err)
	}
	tick := time.NewTicker(f.cfg.SyncEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := f.sync(ctx); err != nil && ctx.Err() == nil {
				f.log.Error("sync faq alternates", "err", err)
			}
		}
	}
}

// Reload re-reads faq.yaml and, when check finds nothing wrong, answers
// from it (with the stored alternates) from now on. A file with problems
// is refused and the running FAQ stays: problems lists them.
func (f *FAQ) Reload(ctx context.Context) (entries, alternates int, problems []string, err error) {
	if f.cfg.Path == "" {
		return 0, 0, nil, fmt.Errorf("reload: no faq.yaml path configured")
	}
	faq, err := answers.LoadFile(f.cfg.Path)
	if err != nil {
		f.reloads.WithLabelValues("refused").Inc()
		return 0, 0, []string{err.Error()}, nil
	}
	for _, p := range answers.Check(faq) {
		problems = append(problems, p.String())
	}
	if len(problems) > 0 {
		f.reloads.WithLabelValues("refused").Inc()
		return 0, 0, problems, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.base
	f.base = faq
	if alternates, err = f.rebuildLocked(ctx); err != nil {
		f.base = old
		return 0, 0, nil, fmt.Errorf("reload: %w", err)
	}
	f.reloads.WithLabelValues("ok").Inc()
	return len(faq.Entries), alternates, nil, nil
}

// Attach vets, stores and applies an alternate; problems says why it was
// not.
func (f *FAQ) Attach(ctx context.Context, alt store.Alternate) (problems []string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	stored, err := f.store.Alternates(ctx)
	if err != nil {
		return nil, err
	}
	if problems := learn.Vet(f.base, stored, alt); len(problems) > 0 {
		f.reloads.WithLabelValues("refused").Inc()
		return problems, nil
	}
	if _, err := f.store.AddAlternate(ctx, alt); err != nil {
		return nil, err
	}
	if _, err := f.rebuildLocked(ctx); err != nil {
		return nil, err
	}
	f.reloads.WithLabelValues("ok").Inc()
	return nil, nil
}

// MarkOffTopic settles a handoff as off topic, keeps its text as an
// out-of-scope phrasing and learns it at once; changed is false when the
// handoff was settled before.
func (f *FAQ) MarkOffTopic(ctx context.Context, o store.OffTopic) (changed bool, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if changed, err = f.store.MarkOffTopic(ctx, o); err != nil || !changed {
		return changed, err
	}
	if _, err := f.rebuildLocked(ctx); err != nil {
		return true, err
	}
	f.reloads.WithLabelValues("ok").Inc()
	return true, nil
}
