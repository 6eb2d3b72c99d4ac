package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadManifests(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := write("src/c.yaml", mustRead(t, "testdata/manifests/c.yaml"))
	write("cedar/c.yaml", mustRead(t, "testdata/manifests/c.yaml"))
	write("cedar/grant.cedar", `@id("x") permit (principal, action, resource);`)
	smuggled := write("smuggle.yaml", "service: x\nnotes: |\n  permit (principal, action, resource);\nroutes: []\n")
	tests := []struct {
		name    string
		paths   []string
		wantErr []string
		is      error
	}{
		{"two files merge", []string{"testdata/manifests/a.yaml", filepath.Dir(src)}, nil, nil},
		{"duplicate route across files", []string{"testdata/manifests/a.yaml", "testdata/manifests/b.yaml"},
			[]string{"b.yaml:3", `route "get-order" at testdata/manifests/a.yaml:3`}, ErrInvalid},
		{"cedar file in a manifest source", []string{filepath.Join(dir, "cedar")},
			[]string{"grant.cedar", "manifest sources may only declare"}, ErrGrant},
		{"policy text in a manifest", []string{smuggled}, []string{"smuggle.yaml:3"}, ErrGrant},
		{"nothing", nil, []string{"no manifest source"}, ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadAll(tt.paths...)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got := m.Actions(); strings.Join(got, ",") != "ReadInvoice,ReadOrder" {
					t.Fatalf("actions %v", got)
				}
				if _, err := m.Match("GET", "/invoices/3", false); err != nil {
					t.Fatalf("merged route not matched: %v", err)
				}
				if r := m.Routes()[1]; r.File != src {
					t.Fatalf("route file %q, want %q", r.File, src)
				}
				return
			}
			if err == nil || !errors.Is(err, tt.is) {
				t.Fatalf("err %v, want %v", err, tt.is)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
