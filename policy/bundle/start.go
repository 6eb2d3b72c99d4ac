package bundle

import (
	"context"
	"fmt"
	"time"
)

// DefaultStartTimeout bounds how long Start retries the server when there
// is no usable last-known-good bundle.
const DefaultStartTimeout = 30 * time.Second

// Retry delays at start: the first retry comes quickly (a server starting
// alongside Tollgate), later ones back off to at most maxStartRetry.
const (
	firstStartRetry = 200 * time.Millisecond
	maxStartRetry   = 5 * time.Second
)

// firstLoad tries the server, then the last-known-good copy (verified
// again), then the server again with backoff until StartTimeout. Every
// bundle it accepts passes the same signature, sequence, expiry and content
// checks as a poll.
func (f *Fetcher) firstLoad(ctx context.Context) error {
	result, err := f.checkResult(ctx)
	if err == nil {
		return nil
	}
	f.cfg.Logger.Warn(startMessage(result)+"; trying last-known-good", "url", f.logURL, "result", result, "error", err)
	lerr := f.loadLastKnownGood()
	if lerr == nil {
		return nil
	}
	deadline := time.Now().Add(f.cfg.StartTimeout)
	delay := firstStartRetry
	for time.Now().Add(delay).Before(deadline) {
		f.cfg.Logger.Info("no usable last-known-good bundle; retrying the policy bundle server",
			"url", f.logURL, "retry_in", delay, "start_timeout", f.cfg.StartTimeout, "last_known_good", lerr.Error())
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w: server: %w; last-known-good: %w; %w", ErrNoBundle, err, lerr, ctx.Err())
		case <-time.After(delay):
		}
		if result, err = f.checkResult(ctx); err == nil {
			return nil
		}
		f.cfg.Logger.Warn(startMessage(result)+"; will retry", "url", f.logURL, "result", result, "error", err)
		delay = min(2*delay, maxStartRetry, f.cfg.Interval)
	}
	return fmt.Errorf("%w within start_timeout %s: server: %w; last-known-good: %w",
		ErrNoBundle, f.cfg.StartTimeout, err, lerr)
}

// startMessage names what the server did at start, so an operator can tell
// an unreachable server from one whose bundle was refused.
func startMessage(r string) string {
	switch r {
	case resultNetwork:
		return "policy bundle server unavailable at start"
	case resultStatus:
		return "policy bundle server answered with an error status at start"
	}
	return "policy bundle server answered but its bundle was refused at start"
}
