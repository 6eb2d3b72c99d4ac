package bundle

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// stepError is a failed check step with its metric result.
type stepError struct {
	result string
	step   string
	err    error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }

func fail(result, step string, err error) *stepError {
	return &stepError{result: result, step: step, err: err}
}

// check performs one conditional fetch, counts and logs its outcome.
func (f *Fetcher) check(ctx context.Context) error {
	_, err := f.checkResult(ctx)
	return err
}

// checkResult is check, with the result it counted (see metrics.go).
func (f *Fetcher) checkResult(ctx context.Context) (string, error) {
	f.checkMu.Lock()
	defer f.checkMu.Unlock()
	result, err := f.fetch(ctx)
	if err != nil {
		var se *stepError
		if errors.As(err, &se) {
			result = se.result
		}
		f.logFailure(result, err)
		err = fmt.Errorf("fetch from %s: %w", f.logURL, err)
	} else if n, d, ok := f.failures.Recover(f.cfg.Clock()); ok {
		f.cfg.Logger.Info("policy bundle checks succeed again", "url", f.logURL, "result", result,
			"failed_checks", n, "failing_for", d.Round(time.Millisecond).String())
	}
	f.metrics.fetches.WithLabelValues(result).Inc()
	return result, err
}

// fetch asks the source for the pair, verifies and applies it if it changed.
func (f *Fetcher) fetch(ctx context.Context) (string, error) {
	got, err := f.cfg.Source.Fetch(ctx, f.version)
	if err != nil {
		se := sourceFailure(err)
		return se.result, se
	}
	if got.Unchanged {
		f.recordSuccess()
		return resultNotModified, nil
	}
	if err := f.accept(got.Archive, got.Signature, "server"); err != nil {
		return resultContent, err
	}
	f.version = got.Version
	if err := f.persist(got.Archive, got.Signature); err != nil {
		f.cfg.Logger.Error("policy bundle accepted but not saved as last-known-good",
			"cache_dir", f.cfg.CacheDir, "error", err)
	} else {
		f.persisted = f.digest
	}
	f.recordSuccess()
	return resultOK, nil
}

// accept verifies and opens a bundle, builds its snapshot with Load and
// publishes it to the Store, unless it is the bundle already in use.
func (f *Fetcher) accept(archive, sig []byte, source string) error {
	if err := verify(archive, sig, f.cfg.PublicKeys); err != nil {
		return fail(resultSignature, "verify signature", err)
	}
	digest := digestOf(archive)
	if digest == f.digest {
		return nil
	}
	fsys, m, err := openArchive(archive, f.cfg.Limits)
	if err != nil {
		return fail(resultContent, "open", err)
	}
	if err := f.checkFresh(m, digest); err != nil {
		return err
	}
	snap, err := f.cfg.Load(fsys, m)
	if err == nil && snap == nil {
		err = errors.New("no snapshot")
	}
	if err != nil {
		return fail(resultContent, "validate version "+m.Version, err)
	}
	// The floor is on disk before the bundle is enforced: a restart must
	// refuse whatever is older than a bundle that was ever in force.
	if err := f.raiseFloor(floor{sequence: m.Sequence, digest: digest}); err != nil {
		return fail(resultContent, "save the highest accepted sequence", err)
	}
	f.cfg.Store.Swap(snap.WithVersion(m.Version))
	f.digest = digest
	f.expires.Store(m.Expires.Unix())
	f.cfg.Logger.Info("policy bundle updated", "source", source, "version", m.Version, "sequence", m.Sequence,
		"digest", digest, "hash", snap.Hash(), "policies", snap.Len(), "created", m.Created.Format(time.RFC3339), "expires", m.Expires.Format(time.RFC3339))
	return nil
}

func (f *Fetcher) recordSuccess() {
	now := f.cfg.Clock()
	f.lastSuccess.Store(now.UnixNano())
	if err := f.touchCache(now); err != nil {
		f.cfg.Logger.Warn("could not record the check time in the cache", "cache_dir", f.cfg.CacheDir, "error", err)
	}
}

// logFailure logs a failed check at ERROR when a run of failures starts or
// its error changes, and at DEBUG while it repeats. Call with checkMu held.
func (f *Fetcher) logFailure(result string, err error) {
	level := slog.LevelDebug
	loud, n := f.failures.Fail(result+": "+err.Error(), f.cfg.Clock())
	if loud {
		level = slog.LevelError
	}
	f.cfg.Logger.Log(context.Background(), level, "policy bundle check failed; keeping the current version",
		"url", f.logURL, "result", result, "error", err, "failed_checks", n)
}
