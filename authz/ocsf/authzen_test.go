package ocsf

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
)

const pep = "spiffe://example.org/ns/mcp/sa/gateway"

// TestEventsAuthZEN: an AuthZEN evaluation's event names the enforcement
// point that asked as src_endpoint.uid (the caller, as a proxy's client
// is for a Check) and the asserted subject as the actor, and is valid.
func TestEventsAuthZEN(t *testing.T) {
	s := loadSchema(t)
	v, err := identity.NewVerifier(identity.Config{TrustSourcePrincipal: true,
		TrustDomains: []spiffeid.TrustDomain{spiffeid.RequireTrustDomainFromString("example.org")}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load("../testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e, err := authz.NewEngine(authz.Config{Identifier: v, Policies: loadDir(t, "../testdata/policies"), Manifest: m,
		DecisionLog: slog.New(NewHandler(&buf, nil, Product{Version: "v0.0.0-test"}))})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, subject, actor, code string
	}{
		{"allow", frontend, frontend, "permit"},
		{"foreign subject", "spiffe://partner.org/ns/shop/sa/frontend", "", "identity_untrusted_domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf.Reset()
			d := e.Evaluate(context.Background(), &authz.Query{Caller: spiffeid.RequireFromString(pep), TraceParent: tp,
				Subject:  authz.QueryEntity{Type: "Workload", ID: tt.subject},
				Action:   authz.QueryAction{Name: "ReadOrder"},
				Resource: authz.QueryEntity{Type: "Order", ID: "42"}})
			if d.Code.String() != tt.code {
				t.Fatalf("code %s (%s)", d.Code, d.Detail)
			}
			line := buf.Bytes()
			if err := s.validate(line); err != nil {
				t.Fatalf("invalid OCSF event: %v\n%s", err, line)
			}
			var ev struct {
				Actor struct {
					User struct {
						UID string `json:"uid"`
					} `json:"user"`
				} `json:"actor"`
				Src struct {
					UID string `json:"uid"`
					IP  string `json:"ip"`
				} `json:"src_endpoint"`
				Trace struct {
					UID string `json:"uid"`
				} `json:"trace"`
			}
			if err := json.Unmarshal(line, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Src.UID != pep || ev.Actor.User.UID != tt.actor || ev.Trace.UID != "4bf92f3577b34da6a3ce929d0e0e4736" {
				t.Fatalf("src_endpoint %+v actor %+v trace %+v:\n%s", ev.Src, ev.Actor, ev.Trace, line)
			}
		})
	}
}
