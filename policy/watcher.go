package policy

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tollgate-authz/tollgate/internal/failrun"
)

// DefaultInterval is how often a Watcher polls when no interval is given.
const DefaultInterval = 10 * time.Second

// WatcherOptions configure a Watcher.
type WatcherOptions struct {
	// Dir is the policy directory. The Watcher fingerprints it (names,
	// sizes, modification times, on Linux inodes and change times, read
	// through symlinks) and reloads only when the fingerprint changes. Without Dir it reloads on every tick
	// and swaps only when the content hash changed.
	Dir string
	// Load builds a snapshot; LoadDir(Dir, LoadOptions) when nil.
	Load func() (*Snapshot, error)
	// LoadOptions are used by the default Load.
	LoadOptions Options
	// Interval between polls; DefaultInterval when zero.
	Interval time.Duration
	// Settle is how long the source must read identically before a new
	// version is swapped in (at start too): it is read, read again Settle
	// later, and used only when both reads have the same content hash.
	// DefaultSettle when zero.
	Settle time.Duration
	// Logger; discarded when nil.
	Logger *slog.Logger
}

// Watcher keeps a Store up to date with a policy source. A failed reload is
// logged and counted, and the last good snapshot stays in force.
type Watcher struct {
	store  *Store
	dir    string
	load   func() (*Snapshot, error)
	log    *slog.Logger
	settle time.Duration
	wait   func(context.Context, time.Duration) bool // sleepCtx; a hook for tests
	ctx    context.Context                           // done when Close is called
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once

	mu       sync.Mutex  // serialises reloads
	last     string      // fingerprint of the source last loaded (or tried)
	failures failrun.Run // the current run of failed reloads (log.go)
}

// NewWatcher loads the source once and starts polling. It returns an error
// when that first load fails and the store holds no snapshot yet.
func NewWatcher(store *Store, opts WatcherOptions) (*Watcher, error) {
	if store == nil || (opts.Dir == "" && opts.Load == nil) || opts.Interval < 0 || opts.Settle < 0 {
		return nil, wrap(detail(ErrWatcher, "need a Store, a Dir or Load, and a non-negative Interval and Settle"))
	}
	w := &Watcher{store: store, dir: opts.Dir, load: opts.Load, log: opts.Logger, done: make(chan struct{}),
		settle: opts.Settle, wait: sleepCtx}
	if w.settle == 0 {
		w.settle = DefaultSettle
	}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	if w.load == nil {
		w.load = func() (*Snapshot, error) { return LoadDir(opts.Dir, opts.LoadOptions) }
	}
	if w.log == nil {
		w.log = slog.New(slog.DiscardHandler)
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	fp := w.fingerprint()
	if err := w.reload(true); err != nil {
		if store.Current() == nil {
			w.cancel()
			return nil, err
		}
	} else {
		w.last = fp
	}
	go w.run(w.ctx, opts.Interval)
	return w, nil
}

// Close stops polling and waits for the poller to finish. It is idempotent.
func (w *Watcher) Close() error {
	w.once.Do(func() {
		w.cancel()
		<-w.done
	})
	return nil
}

func (w *Watcher) run(ctx context.Context, interval time.Duration) {
	defer close(w.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.poll()
		}
	}
}

// poll reloads when the fingerprint changed since the last successful
// load. A failed reload is retried on the next tick (and counted each
// time): a transient read error must not leave an old policy in force.
func (w *Watcher) poll() {
	fp := w.fingerprint()
	w.mu.Lock()
	unchanged := fp != "" && fp == w.last
	w.mu.Unlock()
	if !unchanged && w.ReloadNow() == nil {
		w.mu.Lock()
		w.last = fp
		w.mu.Unlock()
	}
	w.store.metrics.exceptions(w.store.Current())
}

// ReloadNow loads the source and, when its content hash differs, swaps the
// new snapshot in once the source has settled (see WatcherOptions.Settle).
// On error the current snapshot stays in force. A directory that changed
// while it was being read (files are read one by one), or that kept
// changing, is an error too, so a mix of old and new files, or a file
// caught half-written, is never swapped in.
func (w *Watcher) ReloadNow() error { return w.reload(false) }

// reload is ReloadNow; at start a failure is the caller's to report.
func (w *Watcher) reload(start bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	old := w.store.Current()
	next, err := w.settledLoad(old)
	w.store.metrics.reload(err)
	if err != nil {
		if !start {
			w.logFailure(err, old)
		}
		return err
	}
	w.logRecovery(next)
	if old != nil && old.Hash() == next.Hash() {
		w.log.Debug("policy source unchanged", "version", old.Version(), "hash", old.Hash())
		return nil
	}
	w.store.Swap(next)
	w.log.Info("policy reloaded", "old_version", versionOf(old), "new_version", next.Version(),
		"hash", next.Hash(), "policies", next.Len())
	return nil
}

func versionOf(s *Snapshot) string {
	if s == nil {
		return "none"
	}
	return s.Version()
}
