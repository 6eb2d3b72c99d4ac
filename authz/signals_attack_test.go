package authz

import (
	"context"
	"errors"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestSignalHeaderUnderscoreSpellingRefused: the forbid "low-risk-only"
// reads context.risk from X-Risk-Score. A client sending x_risk_score
// (or x-risk_score) leaves context.risk absent, so the guarded forbid
// does not fire, while CGI-style upstreams (Rack, PHP, WSGI) read it as
// X-Risk-Score. Such a request is denied (bad_signal), not decided without the signal.
func TestSignalHeaderUnderscoreSpellingRefused(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	for _, h := range []string{"x_risk_score", "x-risk_score", "x_risk-score"} {
		t.Run(h, func(t *testing.T) {
			r := req(frontend, "GET", "/orders/42")
			r.Headers[h] = "99"
			if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadSignal {
				t.Fatalf("got %s %q, want bad_signal", d.Code, d.Detail)
			}
		})
	}
	r := req(frontend, "GET", "/orders/42")
	r.Headers["x-risk-score"] = "10"
	if d := e.Check(context.Background(), r); !d.Allowed() {
		t.Fatalf("x-risk-score itself: %s %q", d.Code, d.Detail)
	}
}

// TestSignalHeaderRepeatedRefused: Envoy and the forward-auth edge join a
// repeated header with ",". With X-Environment sent twice (dev, then
// prod), context.environment was "dev,prod": the forbid on "prod" did not
// fire while an upstream reading the last (or first) value saw "prod". A
// header string signal holding a comma is denied (bad_signal); long and
// bool signals already refused it as not a number or boolean.
func TestSignalHeaderRepeatedRefused(t *testing.T) {
	cfg := testConfig(t, loadPolicies(t, readFixture("testdata/policies/orders.cedar")+
		`@id("not-prod") forbid (principal, action, resource) when { context has environment && context.environment == "prod" };`))
	cfg.Signals = append(cfg.Signals, Signal{Name: "environment", From: FromHeader, Key: "X-Environment", Type: TypeString})
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"dev,prod", "prod,dev", "dev, prod", ","} {
		t.Run(v, func(t *testing.T) {
			r := req(frontend, "GET", "/orders/42")
			r.Headers["x-environment"] = v
			if d := e.Check(context.Background(), r); d.Allowed() || d.Code != CodeBadSignal {
				t.Fatalf("got %s %q, want bad_signal", d.Code, d.Detail)
			}
		})
	}
	for v, allow := range map[string]bool{"dev": true, "prod": false} {
		r := req(frontend, "GET", "/orders/42")
		r.Headers["x-environment"] = v
		if d := e.Check(context.Background(), r); d.Allowed() != allow {
			t.Fatalf("%q: %s %q", v, d.Code, d.Detail)
		}
	}
}

// TestSignalLongCanonicalOnly: "010" is 10 to strconv but 8 to an upstream
// parsing with base 0 (C strtol, Python int(x, 0)), so a forbid on
// `context.risk < 9` was escaped while the upstream read 8; "+5" and "-0"
// are spellings some readers refuse. A long signal is the canonical
// decimal or a bad_signal denial.
func TestSignalLongCanonicalOnly(t *testing.T) {
	sigs := []Signal{{Name: "risk", From: FromHeader, Key: "x-risk", Type: TypeLong}}
	for raw, want := range map[string]types.Value{
		"0": types.Long(0), "10": types.Long(10), "-5": types.Long(-5), "9223372036854775807": types.Long(1<<63 - 1),
		"010": nil, "+5": nil, "-0": nil, "00": nil, "-05": nil, "1_000": nil, "0x10": nil, "1e3": nil, "١": nil, "": nil,
	} {
		t.Run(raw, func(t *testing.T) {
			ctx := types.RecordMap{}
			err := addSignals(ctx, sigs, &Request{Headers: map[string]string{"x-risk": raw}})
			switch {
			case want == nil && !errors.Is(err, errBadSignal):
				t.Fatalf("got %v (%v), want a bad signal", ctx["risk"], err)
			case want != nil && (err != nil || ctx["risk"] != want):
				t.Fatalf("got %v (%v), want %v", ctx["risk"], err, want)
			}
		})
	}
}

// TestSignalHeaderKeyRefusedByEngine: the engine applies the config's rule
// (SignalHeaderProblem) to the signals it is built with.
func TestSignalHeaderKeyRefusedByEngine(t *testing.T) {
	for _, key := range []string{"x-spiffe-id", "x_tollgate_decision_id", "Authorization", "x risk", ""} {
		cfg := testConfig(t, ordersPolicies(t))
		cfg.Signals = []Signal{{Name: "caller", From: FromHeader, Key: key, Type: TypeString}}
		if _, err := NewEngine(cfg); err == nil {
			t.Errorf("header signal %q accepted", key)
		}
	}
}

// TestSignalMetadataUnreadableRefused: a metadata value the edge could not
// read as a string, number or boolean (authz.MetadataUnreadable) is a
// bad_signal denial for every type, never an absent signal.
func TestSignalMetadataUnreadableRefused(t *testing.T) {
	for _, typ := range []string{TypeString, TypeLong, TypeBool} {
		sigs := []Signal{{Name: "env", From: FromMetadata, Key: "jwt.env", Type: typ}}
		err := addSignals(types.RecordMap{}, sigs, &Request{Metadata: map[string]string{"jwt.env": MetadataUnreadable}})
		if !errors.Is(err, errBadSignal) {
			t.Errorf("%s: err = %v, want a bad signal", typ, err)
		}
	}
}
