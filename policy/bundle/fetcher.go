package bundle

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tollgate-authz/tollgate/internal/failrun"
)

var _ io.Closer = (*Fetcher)(nil)

// Fetcher keeps a verified policy bundle up to date from a Source: an
// HTTP server or an OCI registry.
type Fetcher struct {
	cfg     *settings
	metrics *metrics
	logURL  string

	ctx  context.Context // cancelled by Close
	stop context.CancelFunc

	checkMu   sync.Mutex // serialises checks; guards the five below
	version   string     // of the pair accepted from the source (ETag, manifest digest)
	digest    string     // of the bundle in use
	persisted string     // digest of the last-known-good on disk
	floor     floor      // the highest accepted bundle
	failures  failrun.Run

	lastSuccess atomic.Int64 // unix nanoseconds; 0 means never
	expires     atomic.Int64 // unix seconds (manifest precision) of the bundle in use; 0 means none
	started     atomic.Bool
	lifeMu      sync.Mutex // orders Start's goroutine launch with Close
	wg          sync.WaitGroup
	closeOnce   sync.Once
}

// NewFetcher validates cfg and registers the Fetcher's metrics. It does no
// I/O; call Start.
func NewFetcher(cfg FetcherConfig) (*Fetcher, error) {
	s, err := cfg.settings()
	if err != nil {
		return nil, wrap(fmt.Errorf("fetcher config: %w", err))
	}
	f := &Fetcher{cfg: s, logURL: s.Source.String()}
	if f.metrics, err = newMetrics(s.Registerer, f); err != nil {
		return nil, wrap(fmt.Errorf("registering metrics: %w", err))
	}
	f.ctx, f.stop = context.WithCancel(context.Background())
	return f, nil
}

// Start loads the first bundle and then polls every Interval until Close.
// It reads the highest accepted sequence from CacheDir, tries the server
// first and falls back to the last-known-good bundle in CacheDir (whose
// signature is verified again). If neither yields a fresh bundle, not older
// than the highest accepted, accepted by Validate and OnUpdate, it retries
// the server until StartTimeout; then it returns ErrNoBundle and does not
// poll. ctx bounds only this first load.
func (f *Fetcher) Start(ctx context.Context) error {
	if !f.started.CompareAndSwap(false, true) {
		return wrap(errors.New("fetcher already started"))
	}
	f.checkMu.Lock()
	err := f.loadFloor()
	f.checkMu.Unlock()
	if err != nil {
		return wrap(err)
	}
	ctx, cancel := f.bind(ctx)
	defer cancel()
	if err := f.firstLoad(ctx); err != nil {
		return wrap(err)
	}
	f.lifeMu.Lock()
	defer f.lifeMu.Unlock()
	if f.ctx.Err() != nil {
		return wrap(ErrClosed)
	}
	f.wg.Add(1)
	go f.poll()
	return nil
}

// CheckNow performs one check with the server, as a poll would.
func (f *Fetcher) CheckNow(ctx context.Context) error {
	if f.ctx.Err() != nil {
		return wrap(ErrClosed)
	}
	ctx, cancel := f.bind(ctx)
	defer cancel()
	if err := f.check(ctx); err != nil {
		return wrap(err)
	}
	return nil
}

// Close stops polling and waits for an in-flight check. It is idempotent.
func (f *Fetcher) Close() error {
	f.closeOnce.Do(func() {
		f.lifeMu.Lock()
		f.stop()
		f.lifeMu.Unlock()
		f.wg.Wait()
	})
	return nil
}

// LastSuccess is the time of the last successful check with the server (200
// or 304), or of the persisted last-known-good's last check; zero if none.
func (f *Fetcher) LastSuccess() time.Time {
	ns := f.lastSuccess.Load()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// Stale reports whether Fresh fails: the bundle in use is past its signed
// expiry, or more than MaxStaleness passed since LastSuccess (or there was
// never a successful check). It is on the decision path and allocates
// nothing.
func (f *Fetcher) Stale() bool {
	now := f.cfg.Clock()
	return f.expired(now) || f.unreached(now)
}

func (f *Fetcher) poll() {
	defer f.wg.Done()
	t := time.NewTicker(f.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(f.ctx, max(f.cfg.Interval, defaultClientTimeout))
			_ = f.check(ctx) // logged and counted by check
			cancel()
		}
	}
}

// bind returns a context cancelled with ctx or by Close.
func (f *Fetcher) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(f.ctx, cancel)
	return ctx, func() { stop(); cancel() }
}
