package config

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestExtProc(t *testing.T) {
	with := func(block string) string { return good + "ext_proc:\n" + block }
	cfg, err := Parse("c.yaml", []byte(good))
	if err != nil || cfg.ExtProc.Enabled || cfg.ExtProc.MaxResponseBytes != 0 {
		t.Fatalf("default: %+v, %v; want off", cfg.ExtProc, err)
	}
	cfg, err = Parse("c.yaml", []byte(with("  enabled: true\n  max_response_bytes: 2097152\n")))
	if err != nil || !cfg.ExtProc.Enabled || cfg.ExtProc.MaxResponseBytes != 2<<20 {
		t.Fatalf("enabled: %+v, %v", cfg.ExtProc, err)
	}
	lines := strings.Count(good, "\n")
	for block, want := range map[string]string{
		"  enabled: yes\n": "ext_proc.enabled",
		"  enabled: true\n  max_response_bytes: 10\n":      "ext_proc.max_response_bytes",
		"  enabled: true\n  max_response_bytes: 4194304\n": "listen.limits.max_recv_bytes",
		"  enabled: true\n  max_reponse_bytes: 4096\n":     "max_reponse_bytes", //nolint:misspell // the typo under test
	} {
		_, err := Parse("c.yaml", []byte(with(block)))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "c.yaml:") {
			t.Errorf("%q: err = %v; want c.yaml:LINE naming %s", block, err, want)
		}
		if block == "  enabled: yes\n" && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c.yaml:"+strconv.Itoa(lines+2)+":")) {
			t.Errorf("enabled: yes: %v, want line %d", err, lines+2)
		}
	}
}
