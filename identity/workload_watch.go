package identity

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
)

// start launches the X.509 and JWT watchers and the freshness probe.
func (w *WorkloadAPI) start() {
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.run(func() { _ = w.client.WatchX509Context(ctx, x509Watcher{w}) })
	w.run(func() { _ = w.client.WatchJWTBundles(ctx, jwtWatcher{w}) })
	if w.cfg.MaxBundleAge > 0 {
		w.run(func() { w.probe(ctx, w.cfg.MaxBundleAge/3) })
	}
}

func (w *WorkloadAPI) run(fn func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		fn()
	}()
}

// probe re-fetches the JWT bundles every interval. The agent only pushes
// on change, so a successful fetch is what tells a quiet agent from a
// gone one.
func (w *WorkloadAPI) probe(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		fctx, cancel := context.WithTimeout(ctx, every)
		set, err := w.client.FetchJWTBundles(fctx)
		cancel()
		if err != nil {
			w.watchError("jwt_probe", err)
			continue
		}
		w.updateJWT(set)
	}
}

type x509Watcher struct{ w *WorkloadAPI }

func (x x509Watcher) OnX509ContextUpdate(c *workloadapi.X509Context) {
	w := x.w
	w.update(func(s *bundleSets) { s.x509 = c.Bundles })
	if len(c.SVIDs) > 0 {
		w.svid.Store(c.DefaultSVID())
	}
	w.gotX509.Store(true)
	w.checkFirst()
}

func (x x509Watcher) OnX509ContextWatchError(err error) { x.w.watchError("x509", err) }

type jwtWatcher struct{ w *WorkloadAPI }

func (j jwtWatcher) OnJWTBundlesUpdate(set *jwtbundle.Set) { j.w.updateJWT(set) }

func (j jwtWatcher) OnJWTBundlesWatchError(err error) { j.w.watchError("jwt", err) }

func (w *WorkloadAPI) updateJWT(set *jwtbundle.Set) {
	w.update(func(s *bundleSets) { s.jwt = set })
	w.gotJWT.Store(true)
	w.checkFirst()
}

// update swaps in a copy of the bundle sets changed by fn, records the
// time and notifies subscribers when any bundle differs.
func (w *WorkloadAPI) update(fn func(*bundleSets)) {
	w.mu.Lock()
	old := w.sets.Load()
	next := &bundleSets{x509: old.x509, jwt: old.jwt}
	fn(next)
	w.sets.Store(next)
	w.last.Store(w.cfg.Clock().UnixNano())
	w.mu.Unlock()
	if !next.equal(old) {
		w.cfg.Logger.Info("trust bundles updated from the workload API",
			"x509_trust_domains", next.x509.Len(), "jwt_trust_domains", next.jwt.Len())
		w.notify()
	}
}

func (w *WorkloadAPI) checkFirst() {
	if w.gotX509.Load() && w.gotJWT.Load() {
		w.once.Do(func() { close(w.first) })
	}
}

// watchError records and logs a Workload API error. go-spiffe retries.
func (w *WorkloadAPI) watchError(stream string, err error) {
	msg := err.Error()
	w.lastErr.Store(&msg)
	w.cfg.Logger.LogAttrs(context.Background(), slog.LevelWarn, "workload API watch failed; keeping the last bundles and retrying",
		slog.String("stream", stream), slog.String("socket", w.cfg.Socket), slog.String("error", msg))
}

// register adds tollgate_identity_bundle_age_seconds.
func (w *WorkloadAPI) register() error {
	if w.cfg.Registerer == nil {
		return nil
	}
	g := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "tollgate", Subsystem: "identity", Name: "bundle_age_seconds",
		Help: "Seconds since trust bundles last arrived from the workload API (0 before the first).",
	}, func() float64 { return w.age().Seconds() })
	if err := w.cfg.Registerer.Register(g); err != nil {
		return fmt.Errorf("identity: register metrics: %w", err)
	}
	return nil
}

type constantBackoff time.Duration

func (b constantBackoff) NewBackoff() workloadapi.Backoff { return b }
func (b constantBackoff) Next() time.Duration             { return time.Duration(b) }
func (b constantBackoff) Reset()                          {}

// dialBackoff bounds gRPC's reconnection backoff (120 s by default), so a
// restarted agent is found again within about ten retry intervals.
func dialBackoff(retry time.Duration) grpc.DialOption {
	cfg := backoff.DefaultConfig
	cfg.BaseDelay = retry
	cfg.MaxDelay = 10 * retry
	return grpc.WithConnectParams(grpc.ConnectParams{Backoff: cfg, MinConnectTimeout: 10 * retry})
}
