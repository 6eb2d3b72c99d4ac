package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// withLimits puts a listen.limits block (lines 5 on) into the good config.
func withLimits(block string) string {
	return strings.Replace(good, "  admin: 127.0.0.1:9192\n", "  admin: 127.0.0.1:9192\n  limits:\n"+block, 1)
}

func TestLimitsDefaults(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{
		MaxRecvBytes: 4 << 20, MaxConcurrentStreams: 1024, MaxHeaderBytes: 128 << 10,
		KeepaliveMinTime: 10 * time.Second, KeepaliveTime: time.Minute, KeepaliveTimeout: 20 * time.Second,
		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute,
	}
	if cfg.Listen.Limits != want {
		t.Errorf("defaults\n got %+v\nwant %+v", cfg.Listen.Limits, want)
	}
}

func TestLimitsSet(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(withLimits("    max_recv_bytes: 1048576\n    max_concurrent_streams: 8\n    read_header_timeout: 1s\n    read_timeout: 2s\n")))
	if err != nil {
		t.Fatal(err)
	}
	l := cfg.Listen.Limits
	if l.MaxRecvBytes != 1<<20 || l.MaxConcurrentStreams != 8 || l.ReadTimeout != 2*time.Second || l.WriteTimeout != 30*time.Second {
		t.Errorf("limits %+v", l)
	}
}

func TestLimitsErrors(t *testing.T) {
	tests := []struct {
		name, block string
		want        []string
	}{
		{"zero streams", "    max_concurrent_streams: 0\n", []string{"c.yaml:6:", "listen.limits.max_concurrent_streams", "positive"}},
		{"negative timeout", "    read_timeout: -1s\n", []string{"c.yaml:6:", "listen.limits.read_timeout"}},
		{"explicit zero timeout", "    write_timeout: 0s\n", []string{"c.yaml:6:", "listen.limits.write_timeout"}},
		{"tiny recv", "    max_recv_bytes: 100\n", []string{"c.yaml:6:", "listen.limits.max_recv_bytes", "at least"}},
		{"huge recv", "    max_recv_bytes: 4294967296\n", []string{"c.yaml:6:", "listen.limits.max_recv_bytes", "at most"}},
		{"huge header", "    max_header_bytes: 1073741824\n", []string{"c.yaml:6:", "listen.limits.max_header_bytes"}},
		{"header timeout over read", "    read_header_timeout: 1m\n    read_timeout: 10s\n", []string{"c.yaml:6:", "listen.limits.read_header_timeout", "read_timeout"}},
		{"keepalive timeout zero", "    keepalive_timeout: 0s\n", []string{"c.yaml:6:", "listen.limits.keepalive_timeout"}},
		{"unknown key", "    max_streams: 5\n", []string{"c.yaml:6:", `unknown key "max_streams"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(withLimits(tt.block)))
			if err == nil {
				t.Fatal("expected an error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}
