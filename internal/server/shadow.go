package server

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
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
func (p *parts) buildShadow(ctx context.Context, cfg *config.Config, reg prometheus.Registerer) error {
	if cfg.Policy.Shadow == nil {
		return nil
	}
	src, err := newPolicySource(ctx, shadowConfig(cfg), p.logger.With(slog.String("policy_set", "shadow")), nil)
	if err != nil {
		return fmt.Errorf("server: policy.shadow: %w", err)
	}
	p.shadow = src
	if reg != nil {
		if err := reg.Register(shadowInfo{src.store}); err != nil {
			return fmt.Errorf("server: register tollgate_shadow_policy_info: %w", err)
		}
	}
	return nil
}

var shadowInfoDesc = prometheus.NewDesc("tollgate_shadow_policy_info",
	"Set to 1 for the shadow (candidate) policy snapshot; absent while none is loaded.", []string{"version", "hash"}, nil)

// shadowInfo reads the shadow store's snapshot at scrape time.
type shadowInfo struct{ store *policy.Store }

func (shadowInfo) Describe(ch chan<- *prometheus.Desc) { ch <- shadowInfoDesc }

func (s shadowInfo) Collect(ch chan<- prometheus.Metric) {
	if cur := s.store.Current(); cur != nil {
		ch <- prometheus.MustNewConstMetric(shadowInfoDesc, prometheus.GaugeValue, 1, cur.Version(), cur.Hash())
	}
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
