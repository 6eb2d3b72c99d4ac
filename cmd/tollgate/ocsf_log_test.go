package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/ocsf"
	"github.com/tollgate-authz/tollgate/identity"
)

// TestReplayReportRefuseOCSF: replay and report read only the JSON decision
// line; given a log written with log.decision_format: ocsf they stop with
// exit 1 and an error naming the format and the file:line, rather than
// reading no decisions and reporting a clean result.
func TestReplayReportRefuseOCSF(t *testing.T) {
	pf := policyFlags{manifests: multiFlag{exampleManifest}}
	env, err := loadOffline(exampleDir, &pf)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	eng, err := authz.NewEngine(authz.Config{Identifier: trustedID{}, Policies: &recorder{snap: env.snap},
		Manifest: env.manifest, DecisionLog: slog.New(ocsf.NewHandler(&buf, nil, ocsf.Product{}))})
	if err != nil {
		t.Fatal(err)
	}
	eng.Check(context.Background(), &authz.Request{Method: "GET", Path: "/orders/42", Host: "orders.example.org",
		Scheme: "https", Headers: map[string]string{}, ContentLength: -1,
		Credentials: identity.Credentials{SourcePrincipal: frontendID}})
	log := filepath.Join(t.TempDir(), "ocsf.log")
	if err := os.WriteFile(log, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"replay", "--policies", exampleDir, log},
		{"report", "--policies", exampleDir, "--since", "30d", log},
	} {
		code, out, errOut := runCLI(t, args...)
		for _, want := range []string{log + ":1:", "OCSF event (class_uid 6003", "log.decision_format: ocsf"} {
			if code != exitError || !strings.Contains(errOut, want) {
				t.Errorf("%s: exit %d, stderr %q, stdout %q, want %q", args[0], code, errOut, out, want)
			}
		}
	}
}
