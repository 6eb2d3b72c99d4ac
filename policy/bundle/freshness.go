package bundle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/policy"
)

// highestFile, in CacheDir, records the highest accepted sequence and the
// digest accepted at that sequence: "<sequence> sha256:<hex>\n". It is
// written before the bundle is enforced and cached, so a crash can leave it
// ahead of the last-known-good (which is then refused: fail closed), never
// behind the bundle in force.
const highestFile = "highest"

// floor is the highest accepted bundle: nothing older, and nothing else at
// the same sequence, is accepted after it.
type floor struct {
	sequence uint64
	digest   string
}

// maxCreatedSkew is how far ahead of Tollgate's clock a bundle's "created"
// may be. Further ahead, its validity counted from now would exceed
// MaxValidity (a signing host with a wrong clock could publish a bundle
// fresh for years), so it is refused.
const maxCreatedSkew = time.Hour

// checkFresh refuses a bundle that is expired, created in the future,
// older than the floor, or a different bundle at the floor's sequence.
func (f *Fetcher) checkFresh(m *Manifest, digest string) error {
	now := f.cfg.Clock()
	if !now.Before(m.Expires) {
		return fail(resultExpired, "check freshness", fmt.Errorf("%w: version %s (sequence %d) expired at %s",
			ErrExpired, m.Version, m.Sequence, m.Expires.UTC().Format(time.RFC3339)))
	}
	if m.Created.After(now.Add(maxCreatedSkew)) {
		return fail(resultExpired, "check freshness", fmt.Errorf("%w: version %s (sequence %d) was created at %s, more than %s ahead of this clock: its validity would exceed %s",
			ErrExpired, m.Version, m.Sequence, m.Created.UTC().Format(time.RFC3339), maxCreatedSkew, MaxValidity))
	}
	switch fl := f.floor; {
	case m.Sequence < fl.sequence:
		return fail(resultRollback, "check freshness", fmt.Errorf("%w: version %s has sequence %d, lower than the accepted %d",
			ErrRollback, m.Version, m.Sequence, fl.sequence))
	case m.Sequence == fl.sequence && digest != fl.digest:
		return fail(resultRollback, "check freshness", fmt.Errorf("%w: version %s has sequence %d, already accepted with digest %s",
			ErrRollback, m.Version, m.Sequence, fl.digest))
	}
	return nil
}

var _ policy.Source = (*Fetcher)(nil)

// Ready is nil while decisions may be served from the bundle: the Store
// holds an accepted snapshot and the bundle is Fresh.
func (f *Fetcher) Ready() error {
	if f.cfg.Store.Current() == nil {
		return wrap(policy.ErrNoSnapshot)
	}
	return f.Fresh()
}

// Fresh returns nil while the bundle in use may be relied on, else why
// not: its signed expiry passed, or the server was not reached
// successfully (200 or 304) within MaxStaleness, or never.
func (f *Fetcher) Fresh() error {
	now := f.cfg.Clock()
	if f.expired(now) {
		return wrap(fmt.Errorf("%w: the policy bundle in use expired at %s", ErrExpired, f.Expires().UTC().Format(time.RFC3339)))
	}
	if !f.unreached(now) {
		return nil
	}
	last := f.LastSuccess()
	if last.IsZero() {
		return wrap(errors.New("policy bundle is stale: the bundle server was never reached"))
	}
	return wrap(fmt.Errorf("policy bundle is stale: the bundle server was not reached for %s (max_staleness %s)",
		now.Sub(last).Truncate(time.Second), f.cfg.MaxStaleness))
}

// expired reports whether the bundle in use is past its signed expiry.
func (f *Fetcher) expired(now time.Time) bool {
	exp := f.expires.Load()
	return exp != 0 && now.Unix() >= exp
}

// unreached reports whether no check succeeded within MaxStaleness.
func (f *Fetcher) unreached(now time.Time) bool {
	last := f.lastSuccess.Load()
	return last == 0 || now.Sub(time.Unix(0, last)) > f.cfg.MaxStaleness
}

// Expires is the signed expiry of the bundle in use; zero if none.
func (f *Fetcher) Expires() time.Time {
	if sec := f.expires.Load(); sec != 0 {
		return time.Unix(sec, 0)
	}
	return time.Time{}
}

// loadFloor reads the persisted floor; a missing file is no floor, an
// unreadable or malformed one is an error (never silently "no floor").
func (f *Fetcher) loadFloor() error {
	if f.cfg.CacheDir == "" {
		return nil
	}
	path := filepath.Join(f.cfg.CacheDir, highestFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	seq, digest, ok := strings.Cut(strings.TrimSuffix(string(data), "\n"), " ")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil || n == 0 || !validDigest(digest) {
		return fmt.Errorf("%s: %w: want \"<sequence> sha256:<hex>\"; remove the cache directory only if you mean to forget which bundles were accepted",
			path, ErrInvalid)
	}
	f.floor = floor{sequence: n, digest: digest}
	return nil
}

// raiseFloor makes next the floor, persisting it first in CacheDir; on
// error the floor is unchanged. Call with checkMu held.
func (f *Fetcher) raiseFloor(next floor) error {
	if next == f.floor {
		return nil
	}
	if dir := f.cfg.CacheDir; dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		old := f.floor
		f.floor = next
		if err := f.storeFloor(dir); err != nil {
			f.floor = old
			return err
		}
	}
	f.floor = next
	return nil
}

// storeFloor persists the floor.
func (f *Fetcher) storeFloor(dir string) error {
	line := strconv.FormatUint(f.floor.sequence, 10) + " " + f.floor.digest + "\n"
	return writeAtomic(dir, highestFile, []byte(line))
}
