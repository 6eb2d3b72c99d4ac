package server

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/failrun"
)

// fileBundleInterval is how often bundle files are re-read. A rotation
// written to the files (a re-mounted ConfigMap, say) is picked up without a
// restart; a file that fails to load keeps the last good bundles.
const fileBundleInterval = 5 * time.Second

// fileReloader re-reads identity.bundles files and reports changes.
type fileReloader struct {
	changed atomic.Int64 // UnixNano of the first load or the last change
	stop    chan struct{}
	done    sync.WaitGroup
	once    sync.Once
}

func startFileReload(files *identity.FileBundles, every time.Duration, logger *slog.Logger, changed func()) *fileReloader {
	r := &fileReloader{stop: make(chan struct{})}
	r.changed.Store(time.Now().UnixNano())
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		var run failrun.Run
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
			}
			ok, err := files.Reload()
			logReload(logger, &run, err)
			if ok {
				r.changed.Store(time.Now().UnixNano())
				logger.Info("trust bundle files changed")
				changed()
			}
		}
	}()
	return r
}

// changedAt is when the files were first loaded or last changed; zero
// for a nil reloader.
func (r *fileReloader) changedAt() time.Time {
	if r == nil {
		return time.Time{}
	}
	return time.Unix(0, r.changed.Load())
}

// Close stops the reloader. It is idempotent.
func (r *fileReloader) Close() error {
	if r == nil {
		return nil
	}
	r.once.Do(func() { close(r.stop); r.done.Wait() })
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
