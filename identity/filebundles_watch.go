package identity

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/tollgate-authz/tollgate/internal/failrun"
)

// DefaultFileBundleInterval is how often Watch re-reads bundle files when
// no interval is given. A rotation written to the files (a re-mounted
// ConfigMap, say) is picked up without a restart.
const DefaultFileBundleInterval = 5 * time.Second

// fileWatch is the re-reading loop of a watched FileBundles.
type fileWatch struct {
	start sync.Once
	stop  chan struct{}
	done  sync.WaitGroup
	once  sync.Once
}

// OnChange registers fn to be called after Watch swapped in changed
// bundles (e.g. Verifier.InvalidateCache), like WorkloadAPI.OnChange.
func (f *FileBundles) OnChange(fn func()) { f.changes.OnChange(fn) }

// Watch re-reads the files every interval (DefaultFileBundleInterval when
// zero) until Close, like the Workload API and federation sources keep
// their own bundles current. A read that fails keeps the last good
// bundles and is logged when a run of failures starts or changes, and
// when it ends. Calls after the first do nothing.
func (f *FileBundles) Watch(interval time.Duration, logger *slog.Logger) {
	if interval <= 0 {
		interval = DefaultFileBundleInterval
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f.watch.start.Do(func() {
		f.watch.stop = make(chan struct{})
		f.watch.done.Add(1)
		go f.reloadLoop(interval, logger)
	})
}

func (f *FileBundles) reloadLoop(every time.Duration, logger *slog.Logger) {
	defer f.watch.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	var run failrun.Run
	for {
		select {
		case <-f.watch.stop:
			return
		case <-t.C:
		}
		ok, err := f.Reload()
		logReload(logger, &run, err)
		if ok {
			logger.Info("trust bundle files changed")
			f.changes.notify()
		}
	}
}

// Close stops Watch. It is idempotent, and a FileBundles never watched
// has nothing to stop.
func (f *FileBundles) Close() error {
	f.watch.start.Do(func() {}) // a later Watch does not start
	f.watch.once.Do(func() {
		if f.watch.stop != nil {
			close(f.watch.stop)
			f.watch.done.Wait()
		}
	})
	return nil
}

// logReload logs a failed re-read at WARN when a run of failures starts or
// its error changes (DEBUG while it repeats), and the end of a run.
func logReload(logger *slog.Logger, run *failrun.Run, err error) {
	if err == nil {
		if n, d, ok := run.Recover(time.Now()); ok {
			logger.Info("trust bundle files read again", "failed_reloads", n, "failing_for", d.Round(time.Millisecond).String())
		}
		return
	}
	level := slog.LevelDebug
	loud, n := run.Fail(err.Error(), time.Now())
	if loud {
		level = slog.LevelWarn
	}
	logger.Log(context.Background(), level, "trust bundle files not reloaded; keeping the last good bundles",
		"error", err.Error(), "failed_reloads", n)
}
