package config

import (
	"errors"
	"strings"
	"testing"
)

func TestProxyNormalizesPath(t *testing.T) {
	withKey := func(v string) string {
		return strings.Replace(good, "  admin: 127.0.0.1:9192\n", "  admin: 127.0.0.1:9192\n  proxy_normalizes_path: "+v+"\n", 1)
	}
	cfg, err := Parse("c.yaml", []byte(good))
	if err != nil || cfg.Listen.ProxyNormalizesPath {
		t.Fatalf("default: %v, %v; want false", cfg.Listen.ProxyNormalizesPath, err)
	}
	cfg, err = Parse("c.yaml", []byte(withKey("true")))
	if err != nil || !cfg.Listen.ProxyNormalizesPath {
		t.Fatalf("true: %v, %v", cfg, err)
	}
	// Only a YAML boolean: "yes", "on" or a quoted string is a mistake.
	for _, v := range []string{"yes", "on", `"true"`, "1", "[true]"} {
		_, err := Parse("c.yaml", []byte(withKey(v)))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c.yaml:5:") ||
			!strings.Contains(err.Error(), "proxy_normalizes_path") {
			t.Errorf("%s: err = %v; want c.yaml:5 naming listen.proxy_normalizes_path", v, err)
		}
	}
}
