package config

import (
	"path/filepath"
	"time"
)

// validateShadow checks policy.shadow: a directory or a signed bundle,
// validated like the enforced source, with a cache of its own.
func (c *Config) validateShadow(f *fileErrs) {
	sh := c.Policy.Shadow
	if sh == nil {
		return
	}
	switch {
	case sh.Dir == "" && sh.Bundle == nil:
		f.add("policy.shadow", "set dir or bundle")
	case sh.Dir != "" && sh.Bundle != nil:
		f.add("policy.shadow", "set dir or bundle, not both")
	}
	if sh.ReloadInterval < 0 {
		f.add("policy.shadow.reload_interval", "must not be negative")
	}
	b := sh.Bundle
	if b == nil {
		return
	}
	validateBundle(f, "policy.shadow.bundle", b)
	if e := c.Policy.Bundle; e != nil && b.CacheDir != "" && filepath.Clean(e.CacheDir) == filepath.Clean(b.CacheDir) {
		f.add("policy.shadow.bundle.cache_dir", "must differ from policy.bundle.cache_dir: "+
			"a shared cache would mix the two sources' last known good bundles and highest sequences")
	}
}

// bundle is the shadow's bundle source, or nil.
func (sh *PolicyShadow) bundle() *PolicyBundle {
	if sh == nil {
		return nil
	}
	return sh.Bundle
}

// applyDefaults fills a bundle source's defaults; nil is a no-op.
func (b *PolicyBundle) applyDefaults() {
	if b == nil {
		return
	}
	if b.Interval == 0 {
		b.Interval = 30 * time.Second
	}
	if b.StartTimeout == 0 {
		b.StartTimeout = 30 * time.Second
	}
	if b.OnStale == "" {
		b.OnStale = "deny"
	}
}
