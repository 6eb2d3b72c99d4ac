package main

import (
	"strings"
	"testing"
)

// The offline tools read paths as serve would with the same config:
// listen.proxy_normalizes_path resolves "..", its absence refuses it.
func TestOfflineCheckProxyNormalizesPath(t *testing.T) {
	const qs = "../../examples/quickstart/"
	args := []string{"check", "--offline", "--policies", qs + "policies",
		"--spiffe-id", "spiffe://example.org/ns/misc/sa/x", "--path", "/public/../orders/7"}
	_, out, errOut := runCLI(t, append(args, "--config", qs+"tollgate.yaml")...)
	if !strings.Contains(out, `action:    Action::"ReadOrder"`) {
		t.Errorf("with proxy_normalizes_path: want a ReadOrder\n%s%s", out, errOut)
	}
	_, out, errOut = runCLI(t, append(args, "--manifest", qs+"manifest.yaml")...)
	if !strings.Contains(out+errOut, "not_normalized") {
		t.Errorf("without it: want not_normalized\n%s%s", out, errOut)
	}
}
