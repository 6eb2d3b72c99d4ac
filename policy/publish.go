package policy

import "io"

// Source is the one shape of a policy source: a Watcher over a policy
// directory or a bundle.Fetcher over signed bundles. Each builds every new
// version with its Load, which verifies it (parsing, schema, exceptions
// and the caller's own checks, such as the app teams' manifests), and
// publishes only a verified Snapshot to its Store, labelled with its
// Version; a version that fails keeps the one in force. The Store is what
// decisions read, so no caller holds a half-checked snapshot.
type Source interface {
	// Ready is nil while decisions may be served from the source: a
	// snapshot was published and it is within the source's freshness
	// bound, if it has one.
	Ready() error
	// Stale reports that the published snapshot is past the source's
	// freshness bound (a signed bundle's expiry or max_staleness). A
	// directory is never stale. Store.DenyWhenStale acts on it.
	Stale() bool
	io.Closer
}

var _ Source = (*Watcher)(nil)

// Ready is nil once the Watcher's Store holds a snapshot.
func (w *Watcher) Ready() error {
	if w.store.Current() == nil {
		return wrap(ErrNoSnapshot)
	}
	return nil
}

// Stale is always false: a directory has no freshness bound.
func (w *Watcher) Stale() bool { return false }
