package config

import (
	"errors"
	"strings"
	"testing"
)

// TestAdminUI: admin.ui is off by default, on with true, and only a YAML
// boolean is accepted, with an error naming file, line and key.
func TestAdminUI(t *testing.T) {
	withKey := func(v string) string { return good + "admin:\n  ui: " + v + "\n" }
	cfg, err := Parse("c.yaml", []byte(good))
	if err != nil || cfg.Admin.UI {
		t.Fatalf("default: %v, %v; want false", cfg.Admin.UI, err)
	}
	cfg, err = Parse("c.yaml", []byte(withKey("true")))
	if err != nil || !cfg.Admin.UI {
		t.Fatalf("true: %+v, %v", cfg.Admin, err)
	}
	line := strings.Count(good, "\n") + 2
	for _, v := range []string{"yes", "on", `"true"`, "1", "[true]"} {
		_, err := Parse("c.yaml", []byte(withKey(v)))
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c.yaml:"+itoa(line)+":") ||
			!strings.Contains(err.Error(), "admin.ui") {
			t.Errorf("%s: err = %v; want c.yaml:%d naming admin.ui", v, err, line)
		}
	}
	if _, err := Parse("c.yaml", []byte(good+"admin:\n  iu: true\n")); err == nil || !strings.Contains(err.Error(), "ui") {
		t.Errorf("unknown key admin.iu: err = %v", err)
	}
}

func itoa(n int) string {
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// TestAdminUIWarnsOffLoopback: the page shows recent decisions, so on an
// admin listener other hosts can reach it loads with a warning naming
// file, line and key; on loopback there is none.
func TestAdminUIWarnsOffLoopback(t *testing.T) {
	on := good + "admin:\n  ui: true\n"
	cfg, err := Parse("c.yaml", []byte(on))
	if err != nil || len(cfg.Warnings) != 0 {
		t.Fatalf("loopback: %v, warnings %q", err, cfg.Warnings)
	}
	open := strings.Replace(on, "admin: 127.0.0.1:9192", "admin: 0.0.0.0:9192", 1)
	cfg, err = Parse("c.yaml", []byte(open))
	if err != nil {
		t.Fatal(err)
	}
	want := "c.yaml:" + itoa(strings.Count(good, "\n")+2) + ": admin.ui: "
	if len(cfg.Warnings) != 1 || !strings.HasPrefix(cfg.Warnings[0], want) || !strings.Contains(cfg.Warnings[0], "0.0.0.0:9192") {
		t.Errorf("warnings = %q, want one starting %q", cfg.Warnings, want)
	}
	cfg, err = Parse("c.yaml", []byte(strings.Replace(good, "admin: 127.0.0.1:9192", "admin: 0.0.0.0:9192", 1)))
	if err != nil || len(cfg.Warnings) != 0 {
		t.Errorf("ui off: %v, warnings %q", err, cfg.Warnings)
	}
}
