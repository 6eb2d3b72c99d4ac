package identity

import (
	"crypto/sha256"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// cacheKind separates the X.509 and JWT caches (and their metrics).
type cacheKind int

const (
	cacheX509 cacheKind = iota
	cacheJWT
	cacheXFCC
	numCacheKinds
)

// cacheEntry is a successful verification, valid until expires and only
// for the bundle generation it was verified under.
type cacheEntry struct {
	id      Identity
	expires time.Time
	gen     uint64
}

// verifyCache is a bounded map from sha256(credential) to a verified
// Identity. When full, it drops an arbitrary entry. A nil *verifyCache is a
// disabled cache.
type verifyCache struct {
	mu      sync.RWMutex
	max     int
	entries map[[32]byte]cacheEntry
	gen     *atomic.Uint64 // shared bundle generation
}

func newVerifyCache(max int, gen *atomic.Uint64) *verifyCache {
	if max <= 0 {
		return nil
	}
	return &verifyCache{max: max, entries: make(map[[32]byte]cacheEntry), gen: gen}
}

// cacheKey hashes s without copying it.
func cacheKey(s string) [32]byte {
	// Read only, and only while s is alive: the hash does not keep the slice.
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(s), len(s))) //nolint:gosec // read-only view of s, see above
}

// verifyFunc verifies a credential at now. A zero expiry means "do not
// cache" (a result the cache must not keep, such as a URI-only XFCC).
type verifyFunc func(now time.Time) (id Identity, expires time.Time, err *Error)

// cached returns the cached identity for credential, or verifies it with
// fn and caches a success until its expiry. The bundle generation is read
// before fn runs, so a result verified against bundles that rotated in the
// meantime is never stored. Failures are never cached.
func (v *Verifier) cached(c *verifyCache, kind cacheKind, credential string, fn verifyFunc) (Identity, *Error) {
	now := v.cfg.Clock()
	key := cacheKey(credential)
	if id, ok := c.get(key, now); ok {
		v.m.cacheResult(kind, true)
		return id, nil
	}
	if c != nil {
		v.m.cacheResult(kind, false)
	}
	gen := v.gen.Load()
	id, expires, err := fn(now)
	if err != nil {
		return Identity{}, err
	}
	if !expires.IsZero() {
		c.put(key, id, expires, gen)
	}
	return id, nil
}

// get returns the entry for key if it is from the current generation and
// not expired at now.
func (c *verifyCache) get(key [32]byte, now time.Time) (Identity, bool) {
	if c == nil {
		return Identity{}, false
	}
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || e.gen != c.gen.Load() || !now.Before(e.expires) {
		return Identity{}, false
	}
	return e.id, true
}

// put stores id under key. gen must be the generation read before the
// verification started, so a result verified against old bundles is never
// served after InvalidateCache.
func (c *verifyCache) put(key [32]byte, id Identity, expires time.Time, gen uint64) {
	if c == nil || gen != c.gen.Load() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, exists := c.entries[key]; !exists && len(c.entries) >= c.max {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[key] = cacheEntry{id: id, expires: expires, gen: gen}
}

// reset drops every entry.
func (c *verifyCache) reset() {
	if c == nil {
		return
	}
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}

// len returns the number of entries (for tests).
func (c *verifyCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
