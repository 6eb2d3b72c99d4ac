package server

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/tollgate-authz/tollgate/internal/config"
)

// buildShadow starts the policy.shadow source, if configured: the same
// policySource as the enforced one (directory watcher or signed-bundle
// fetcher, every version checked against the manifests) over a config
// whose policy section is the shadow's, with the enforced source's
// loading rules. Its metrics are not registered: they would collide with
// the enforced source's, and the shadow's effect is measured by
// tollgate_shadow_disagreements_total. A shadow that cannot start is a
// startup error; later bad versions are refused and the last good one
// stays, as for the enforced source.
func (p *parts) buildShadow(ctx context.Context, cfg *config.Config) error {
	if cfg.Policy.Shadow == nil {
		return nil
	}
	src, err := newPolicySource(ctx, shadowConfig(cfg), p.logger.With(slog.String("policy_set", "shadow")), nil)
	if err != nil {
		return fmt.Errorf("server: policy.shadow: %w", err)
	}
	p.shadow = src
	return nil
}

// shadowConfig is cfg with policy.shadow as the policy source.
func shadowConfig(cfg *config.Config) *config.Config {
	sh, c := cfg.Policy.Shadow, *cfg
	c.Policy = config.Policy{
		Dir: sh.Dir, ReloadInterval: sh.ReloadInterval, Bundle: sh.Bundle,
		MaxExceptionWindow: cfg.Policy.MaxExceptionWindow, AllowEmpty: cfg.Policy.AllowEmpty,
		RequireSchema: cfg.Policy.RequireSchema,
	}
	if sh.Dir != "" {
		c.Policy.SettleInterval = cfg.Policy.SettleInterval // 0: the watcher's default
	}
	return &c
}
