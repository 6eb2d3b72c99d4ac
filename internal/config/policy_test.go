package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPolicySettleAndAllowEmpty(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.SettleInterval != 2*time.Second || cfg.Policy.AllowEmpty {
		t.Errorf("defaults: settle_interval %v, allow_empty %v", cfg.Policy.SettleInterval, cfg.Policy.AllowEmpty)
	}
	set := strings.Replace(good, "  reload_interval: 1s", "  reload_interval: 1s\n  settle_interval: 250ms\n  allow_empty: true", 1)
	if cfg, err = Parse("c.yaml", []byte(set)); err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.SettleInterval != 250*time.Millisecond || !cfg.Policy.AllowEmpty {
		t.Errorf("set: settle_interval %v, allow_empty %v", cfg.Policy.SettleInterval, cfg.Policy.AllowEmpty)
	}
	tests := map[string]struct{ line, want string }{
		"  settle_interval: -1s":  {"c.yaml:15:", "policy.settle_interval: must not be negative"},
		"  settle_interval: 10m":  {"c.yaml:15:", "policy.settle_interval: at most 5m0s"},
		"  settle_interval: soon": {"c.yaml:15:", ""},
		"  allow_empty: maybe":    {"c.yaml:15:", ""},
	}
	for line, tt := range tests {
		t.Run(line, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(strings.Replace(good, "  reload_interval: 1s", "  reload_interval: 1s\n"+line, 1)))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.line) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %s %s", err, tt.line, tt.want)
			}
		})
	}
}
