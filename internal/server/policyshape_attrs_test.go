package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/policy"
)

func policySourceWith(t *testing.T, cedarText string, log *slog.Logger) (*policySource, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.cedar"), []byte(cedarText), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := newPolicySource(context.Background(), policyDirConfig(t, dir, false), log, prometheus.NewRegistry())
	if err == nil {
		t.Cleanup(func() { _ = s.close() })
	}
	return s, err
}

// serve refuses, like validate, a forbid that reads a principal attribute
// no Workload has: it could never fire.
func TestPolicySourceRefusesForbidOnUnknownPrincipalAttribute(t *testing.T) {
	_, err := policySourceWith(t, `@id("no-contractors") forbid (principal, action, resource)
when { principal has departmnt && principal.departmnt == "contractors" };`, slog.New(slog.DiscardHandler))
	if !errors.Is(err, policy.ErrNeverProduced) || !strings.Contains(err.Error(), "principal.departmnt") {
		t.Fatalf("newPolicySource: %v, want ErrNeverProduced naming principal.departmnt", err)
	}
}

// A permit that reads such an attribute never applies (a denial): serve
// loads the version and logs the warning.
func TestPolicySourceLogsPermitOnUnknownPrincipalAttribute(t *testing.T) {
	var buf bytes.Buffer
	_, err := policySourceWith(t, `@id("ns") permit (principal, action, resource) when { principal.namspace == "shop" };`,
		slog.New(slog.NewJSONHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"level":"WARN"`, `"msg":"policy warning"`, `policy @id(\"ns\")`, "did you mean namespace?"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, buf.String())
		}
	}
}
