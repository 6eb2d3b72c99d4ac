package ocsf

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

const (
	frontend = "spiffe://example.org/ns/shop/sa/frontend"
	agent    = "spiffe://example.org/ns/ai/sa/agent"
	tp       = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	secret   = "SECRET-TOKEN-VALUE"
)

// trustProxy trusts the source principal the proxy forwarded (tests only).
type trustProxy struct{}

func (trustProxy) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	id, err := spiffeid.FromString(c.SourcePrincipal)
	if err != nil {
		return identity.Identity{}, &identity.Error{Reason: identity.ReasonMalformed, Err: err}
	}
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, nil
}

// engine is a real authz.Engine whose decision log is an OCSF Handler.
func engine(t *testing.T, manifestPath string, pol authz.Policies, out *bytes.Buffer) *authz.Engine {
	t.Helper()
	m, err := manifest.Load(manifestPath)
	if err != nil {
		t.Fatal(err)
	}
	e, err := authz.NewEngine(authz.Config{Identifier: trustProxy{}, Policies: pol, Manifest: m,
		DecisionLog: slog.New(NewHandler(out, nil, Product{Version: "v0.0.0-test"}))})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func loadDir(t *testing.T, dir string) authz.Policies {
	t.Helper()
	s, err := policy.LoadDir(dir, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mcpPolicies(t *testing.T) authz.Policies {
	dir := t.TempDir()
	b, err := os.ReadFile("../testdata/mcp.cedar")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mcp.cedar"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return loadDir(t, dir)
}

func httpReq(principal, path string) *authz.Request {
	return &authz.Request{Method: "GET", Path: path, Host: "orders.example.org", Scheme: "https",
		SourceAddress: "10.0.0.7",
		Headers:       map[string]string{"authorization": "Bearer " + secret, "cookie": "session=" + secret},
		Credentials:   identity.Credentials{SourcePrincipal: principal, Authorization: "Bearer " + secret}}
}

func mcpReq(body string) *authz.Request {
	r := httpReq(agent, "/mcp")
	r.Method, r.Body, r.ContentLength = "POST", []byte(body), int64(len(body))
	r.Headers["content-type"] = "application/json"
	return r
}

type eventCase struct {
	name     string
	engine   func(*testing.T, *bytes.Buffer) *authz.Engine
	req      *authz.Request
	status   int    // status_id
	disp     string // disposition
	policies []string
	trace    string
}

func eventCases() []eventCase {
	orders := func(t *testing.T, b *bytes.Buffer) *authz.Engine {
		return engine(t, "../testdata/orders.manifest.yaml", loadDir(t, "../testdata/policies"), b)
	}
	noPolicy := func(t *testing.T, b *bytes.Buffer) *authz.Engine {
		return engine(t, "../testdata/orders.manifest.yaml", policy.NewStore(nil), b)
	}
	mcpEngine := func(t *testing.T, b *bytes.Buffer) *authz.Engine {
		return engine(t, "../testdata/mcp.manifest.yaml", mcpPolicies(t), b)
	}
	traced := httpReq(frontend, "/orders/42?token="+secret)
	traced.Headers["traceparent"] = tp
	meta := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","arguments":{"q":"` + secret + `"},"_meta":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}}`
	deny := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_repo","arguments":{"repo":"acme/x"}}}`
	return []eventCase{
		{name: "allow", engine: orders, req: httpReq(frontend, "/orders/42?token="+secret), status: 1, disp: "Allowed", policies: []string{"frontend-reads-orders"}},
		{name: "deny by forbid", engine: orders, req: httpReq(frontend, "/orders/13"), status: 2, disp: "Unauthorized", policies: []string{"no-order-13"}},
		{name: "bad path", engine: orders, req: httpReq(frontend, "/orders%2F42"), status: 2, disp: "Rejected"},
		{name: "unauthenticated", engine: orders, req: httpReq("not-a-spiffe-id", "/orders/42"), status: 2, disp: "Blocked"},
		{name: "error: no policy loaded", engine: noPolicy, req: httpReq(frontend, "/orders/42"), status: 2, disp: "Error"},
		{name: "traceparent header", engine: orders, req: traced, status: 1, disp: "Allowed", policies: []string{"frontend-reads-orders"}, trace: "4bf92f3577b34da6a3ce929d0e0e4736"},
		{name: "mcp allow with _meta trace", engine: mcpEngine, req: mcpReq(meta), status: 1, disp: "Allowed", policies: []string{"agent-reads"}, trace: "0af7651916cd43dd8448eb211c80319c"},
		{name: "mcp deny", engine: mcpEngine, req: mcpReq(deny), status: 2, disp: "Unauthorized"},
	}
}

func TestEventsValid(t *testing.T) {
	s := loadSchema(t)
	for _, tt := range eventCases() {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			before := time.Now().UnixMilli()
			d := tt.engine(t, &buf).Check(context.Background(), tt.req)
			line := buf.Bytes()
			if bytes.Count(line, []byte("\n")) != 1 {
				t.Fatalf("want one line, got %q", line)
			}
			if err := s.validate(line); err != nil {
				t.Fatalf("invalid OCSF event: %v\n%s", err, line)
			}
			if strings.Contains(string(line), secret) {
				t.Fatalf("event leaks a secret: %s", line)
			}
			var ev event
			if err := json.Unmarshal(line, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.StatusID != tt.status || ev.Disposition != tt.disp || ev.Metadata.UID != d.ID ||
				ev.StatusCode != d.Code.String() || ev.Time < before || ev.Time > time.Now().UnixMilli() {
				t.Fatalf("event does not describe the decision %+v:\n%s", d, line)
			}
			var jl struct {
				Msg        string `json:"msg"`
				DecisionID string `json:"decision_id"`
				Outcome    string `json:"outcome"`
			}
			if err := json.Unmarshal(ev.Unmapped.Tollgate, &jl); err != nil || jl.Msg != "decision" ||
				jl.DecisionID != d.ID || jl.Outcome != d.Outcome.String() {
				t.Fatalf("unmapped.tollgate is not the decision line (%v): %s", err, ev.Unmapped.Tollgate)
			}
			var got []string
			for _, a := range ev.Authorizations {
				got = append(got, a.Policy.UID)
			}
			if strings.Join(got, ",") != strings.Join(tt.policies, ",") || strings.Join(d.Policies, ",") != strings.Join(tt.policies, ",") {
				t.Fatalf("authorizations %v, decision %v, want %v", got, d.Policies, tt.policies)
			}
			var trace string
			if ev.Trace != nil {
				trace = ev.Trace.UID
			}
			if trace != tt.trace || ev.Metadata.CorrelationUID != tt.trace {
				t.Fatalf("trace %q correlation %q, want %q", trace, ev.Metadata.CorrelationUID, tt.trace)
			}
		})
	}
}

// event is the part of an OCSF event the tests read back.
type event struct {
	StatusID    int    `json:"status_id"`
	StatusCode  string `json:"status_code"`
	Disposition string `json:"disposition"`
	Time        int64  `json:"time"`
	Metadata    struct {
		UID            string `json:"uid"`
		CorrelationUID string `json:"correlation_uid"`
	} `json:"metadata"`
	Authorizations []struct {
		Policy struct {
			UID string `json:"uid"`
		} `json:"policy"`
	} `json:"authorizations"`
	Trace *struct {
		UID string `json:"uid"`
	} `json:"trace"`
	Unmapped struct {
		Tollgate json.RawMessage `json:"tollgate"`
	} `json:"unmapped"`
}
