package policy

import (
	"context"
	"os"
	"time"
)

// DefaultSettle is how long a policy directory must read identically
// before a new version of it is swapped in, when no Settle is given.
const DefaultSettle = 2 * time.Second

// maxSettleRounds bounds the reads of one reload while the source keeps
// changing; the next poll tries again.
const maxSettleRounds = 3

// settledLoad reads the source and returns a snapshot of it once two reads
// Settle apart have the same content hash. A source whose content equals
// the snapshot in force (old) is returned as is, without waiting.
func (w *Watcher) settledLoad(old *Snapshot) (*Snapshot, error) {
	first, err := w.readHash()
	if err != nil {
		return nil, err
	}
	if old != nil && first == old.Hash() {
		return old, nil
	}
	for range maxSettleRounds {
		if !w.wait(w.ctx, w.settle) {
			return nil, wrap(detail(ErrClosed, "while waiting for the policy directory to settle"))
		}
		next, err := w.loadConsistent()
		if err != nil {
			return nil, err
		}
		if next.Hash() == first {
			return next, nil
		}
		w.log.Info("policy source changed during the settle interval; waiting again",
			"settle", w.settle.String(), "hash", next.Hash())
		first = next.Hash()
	}
	return nil, wrap(detail(ErrUnsettled, "it changed in each of %d settle intervals of %s; will retry",
		maxSettleRounds, w.settle))
}

// readHash is the content hash of the source: over the raw files of Dir
// (the same hash Load gives the snapshot), or a full load without Dir.
func (w *Watcher) readHash() (string, error) {
	if w.dir == "" {
		s, err := w.loadConsistent()
		if err != nil {
			return "", err
		}
		return s.Hash(), nil
	}
	root, err := sourceRoot(w.dir)
	if err != nil {
		return "", err
	}
	src, err := readSource(os.DirFS(root))
	if err != nil {
		return "", err
	}
	return src.hash, nil
}

// loadConsistent loads the source and refuses the result when the
// directory changed while it was read.
func (w *Watcher) loadConsistent() (*Snapshot, error) {
	before := w.fingerprint()
	next, err := w.load()
	if err == nil && w.fingerprint() != before {
		err = wrap(detail(ErrChangedDuringRead, "will retry"))
	}
	return next, err
}

// sleepCtx waits d, or returns false when ctx is done first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
