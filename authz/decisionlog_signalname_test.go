package authz

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestSecretSignalNamedLikeALoggedKeyLeaks is the attack: a secret signal
// whose name is a context key the decision log writes without asking the
// signals (here "mcp", which the mapper sets only on MCP routes) would be
// written in the clear on every other route. Such a name must be refused
// when the engine is built, like the mapper's other keys.
func TestSecretSignalNamedLikeALoggedKeyLeaks(t *testing.T) {
	const secret = "s3cr3t-signal-value"
	var buf bytes.Buffer
	cfg := testConfig(t, ordersPolicies(t))
	cfg.Signals = []Signal{{Name: "mcp", From: FromHeader, Key: "X-Session-Key", Type: TypeString, Secret: true}}
	cfg.DecisionLog = slog.New(slog.NewJSONHandler(&buf, nil))
	e, err := NewEngine(cfg)
	if err == nil {
		r := req(frontend, "GET", "/orders/42")
		r.Headers["x-session-key"] = secret
		e.Check(context.Background(), r)
		if strings.Contains(buf.String(), secret) {
			t.Fatalf("a secret signal named mcp was logged: %s", buf.String())
		}
		t.Fatal("a signal named mcp was accepted: it collides with the MCP context")
	}
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("err = %v, want ErrConfig", err)
	}
}

// TestLoggedKeysAreReservedSignalNames: every key the decision log writes
// without consulting the signals is a name no signal may take, so that
// `secret: true` always decides.
func TestLoggedKeysAreReservedSignalNames(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	e.mapper.signals = nil
	for _, k := range []string{"method", "path", "host", "scheme", "source_address", "time", "tls",
		"enforcement_point", "on_behalf_of", "delegation", "delegation_length", "txn_id", "txn_scope", "mcp"} {
		if !e.loggedKey(k) {
			t.Fatalf("%s is not logged; update this list", k)
		}
		if _, err := validateSignals([]Signal{{Name: k, From: FromHeader, Key: "x-a", Type: TypeString, Secret: true}}); err == nil {
			t.Errorf("signal name %q accepted, but the log writes context.%s whatever the signal says", k, k)
		}
	}
}
