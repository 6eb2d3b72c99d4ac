package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// quickstartConfig writes a copy of the quickstart config into a temp dir,
// with paths made absolute and edit applied, and returns its path.
func quickstartConfig(t *testing.T, edit func(string) string) string {
	t.Helper()
	data, err := os.ReadFile("../../examples/quickstart/tollgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("../../examples/quickstart")
	s := strings.NewReplacer("x509_pem: bundle.pem", "x509_pem: "+filepath.Join(abs, "bundle.pem"),
		"dir: policies", "dir: "+filepath.Join(abs, "policies"),
		"  - manifest.yaml", "  - "+filepath.Join(abs, "manifest.yaml")).Replace(string(data))
	p := filepath.Join(t.TempDir(), "tollgate.yaml")
	if err := os.WriteFile(p, []byte(edit(s)), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestValidateConfigChecksWhatServeChecks: validate --config fails on each
// file serve would fail to load before listening, naming the key.
func TestValidateConfigChecksWhatServeChecks(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(string) string
		want []string
	}{
		{"bundle file missing", replace("quickstart/bundle.pem", "quickstart/missing.pem"),
			[]string{"identity.bundles", "missing.pem"}},
		{"bundle file not PEM", func(s string) string {
			return strings.Replace(s, "x509_pem: ", "x509_pem: "+notPEM+" #", 1)
		}, []string{"identity.bundles", "not.pem"}},
		{"federation CA file missing", replace("  trust_source_principal: true",
			"  trust_source_principal: true\n  federation:\n    - { trust_domain: example.org, url: 'https://b.example', profile: https_web, ca_file: "+
				filepath.Join(dir, "ca.pem")+" }"),
			[]string{"identity.federation[0].ca_file", "ca.pem"}},
		{"decision log directory missing", replace("decisions: stdout", "decisions: "+filepath.Join(dir, "no", "such", "d.log")),
			[]string{"log.decisions", "no/such"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := quickstartConfig(t, tt.edit)
			code, out, errOut := runCLI(t, "validate", "--config", cfg)
			if code != exitError {
				t.Fatalf("exit %d, want %d\n%s%s", code, exitError, out, errOut)
			}
			for _, w := range append(tt.want, "tollgate.yaml:") {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(errOut, "FAIL: policies") {
				t.Errorf("a config problem blamed on the policies:\n%s", errOut)
			}
		})
	}
}

// TestValidateConfigAlone: --config without DIR validates the config's
// policy.dir, and a good config passes.
func TestValidateConfigAlone(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "--config", quickstartConfig(t, func(s string) string { return s }))
	if code != exitOK || !strings.Contains(out, "ok:") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// TestValidateSummaryIsConsistent: without a schema the summary does not
// say the routes "fit the schema".
func TestValidateSummaryIsConsistent(t *testing.T) {
	code, out, errOut := runCLI(t, "validate", "testdata/explain/policies", "--config", "testdata/explain/tollgate.yaml")
	if code != exitOK || !strings.Contains(out, "no schema") {
		t.Fatalf("exit %d (want a pass without a schema)\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, "fit the schema") {
		t.Errorf("says there is no schema, then that routes fit it: %s", out)
	}
}

func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// TestValidateGovernanceExample: the governance config is valid once the
// public key it names exists (its README creates it before validating),
// and refused, naming the key, while it does not.
func TestValidateGovernanceExample(t *testing.T) {
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	dir, abs := t.TempDir(), func(p string) string { a, _ := filepath.Abs(p); return a }
	cfg := strings.NewReplacer("x509_pem: bundle.pem", "x509_pem: "+abs("../../examples/governance/bundle.pem"),
		"keys/bundle-signing.pub", filepath.Join(dir, "bundle-signing.pub"), "cache_dir: .cache", "cache_dir: "+dir,
		"  - manifest.yaml", "  - "+abs(exampleManifest)).Replace(string(data))
	file := filepath.Join(dir, "tollgate.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "validate", exampleDir, "--config", file)
	if code != exitError || !strings.Contains(errOut, "policy.bundle.public_keys") || !strings.Contains(errOut, "FAIL: config") {
		t.Fatalf("missing key: exit %d\n%s%s", code, out, errOut)
	}
	if code, o, e := runCLI(t, "bundle", "keygen", "--out", dir); code != exitOK {
		t.Fatalf("keygen: %s%s", o, e)
	}
	code, out, errOut = runCLI(t, "validate", exampleDir, "--config", file)
	for _, want := range []string{"ok: ", "version 2025-01.1", "3 policies", "schema-valid", "3 routes fit the schema"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("exit %d, output lacks %q\n%s%s", code, want, out, errOut)
		}
	}
}

// TestValidatePrintsConfigWarnings: a deprecated key loads, and validate
// says so with file, line and the new name.
func TestValidatePrintsConfigWarnings(t *testing.T) {
	cfg := quickstartConfig(t, replace("  trust_source_principal: true",
		"  trust_source_principal: true\n  xfcc: { trusted_addresses: [127.0.0.1/32] }"))
	code, out, errOut := runCLI(t, "validate", "--config", cfg)
	if code != exitOK || !strings.Contains(errOut, "warning: ") || !strings.Contains(errOut, "tollgate.yaml:") ||
		!strings.Contains(errOut, "identity.xfcc.trusted_proxies") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}
