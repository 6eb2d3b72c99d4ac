package config

// validatePolicy checks the policy source: a directory or a signed bundle,
// the settle interval and the shadow set.
func (c *Config) validatePolicy(f *fileErrs) {
	p := c.Policy
	if p.Dir == "" && p.Bundle == nil {
		f.add("policy", "set dir or bundle")
	}
	if p.Dir != "" && p.Bundle != nil {
		f.add("policy", "set dir or bundle, not both")
	}
	if p.ReloadInterval < 0 || p.MaxExceptionWindow < 0 {
		f.add("policy", "durations must not be negative")
	}
	c.validateSettle(f)
	if b := p.Bundle; b != nil {
		validateBundle(f, "policy.bundle", b)
	}
	c.validateShadow(f)
}

// validateBundle checks a signed-bundle source at key prefix.
func validateBundle(f *fileErrs, prefix string, b *PolicyBundle) {
	validateBundleURL(f, prefix, b)
	if len(b.PublicKeys) == 0 {
		f.add(prefix+".public_keys", "at least one public key is required: unsigned bundles are never accepted")
	}
	if b.CacheDir == "" {
		f.add(prefix+".cache_dir", "required: the last known good bundle is kept there")
	}
	if b.StartTimeout < 0 {
		f.add(prefix+".start_timeout", "must not be negative")
	}
	if b.OnStale != "deny" && b.OnStale != "serve" {
		f.add(prefix+".on_stale", "must be deny or serve, not %q", b.OnStale)
	}
}

func (c *Config) validateSettle(f *fileErrs) {
	switch p := c.Policy; {
	case p.SettleInterval < 0:
		f.add("policy.settle_interval", "must not be negative")
	case p.SettleInterval > maxSettle:
		f.add("policy.settle_interval", "at most %s: every new policy version waits this long", maxSettle)
	case p.SettleInterval != 0 && p.Bundle != nil:
		f.add("policy.settle_interval", "applies only to policy.dir; a signed bundle is verified whole")
	}
}
