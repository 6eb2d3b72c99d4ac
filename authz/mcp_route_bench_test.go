package authz

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"github.com/tollgate-authz/tollgate/policy"
)

// BenchmarkCheckMCP is an MCP tools/call Check with a 4 KiB body, next to
// a plain route Check on the same engine (docs/benchmarks.md, "## MCP"),
// without a decision log and, "_log", with tollgate serve's
// jsonw.Handler writing to io.Discard.
func BenchmarkCheckMCP(b *testing.B) {
	for _, log := range []bool{false, true} {
		e := newMCPEngine(b, nil, nil)
		e.policies = mcpStore(b) // as tollgate serve has them
		suffix := ""
		if log {
			e.log = slog.New(jsonw.NewHandler(io.Discard, nil))
			suffix = "_log"
		}
		benchCheckMCP(b, e, suffix)
	}
}

func benchCheckMCP(b *testing.B, e *Engine, suffix string) {
	m, err := os.ReadFile("testdata/mcp.manifest.yaml")
	if err != nil {
		b.Fatal(err)
	}
	big, err := manifest.Parse("mcp.manifest.yaml", []byte(strings.Replace(string(m), "max_body_bytes: 2048", "max_body_bytes: 65536", 1)))
	if err != nil {
		b.Fatal(err)
	}
	e.SetManifest(big)
	pad := strings.Repeat("x", 4096-len(call(1, "create_issue", `{"repo":"acme/web","body":""}`)))
	body := call(1, "create_issue", `{"repo":"acme/web","body":"`+pad+`"}`)
	if len(body) != 4096 {
		b.Fatalf("body is %d bytes", len(body))
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		r    *Request
	}{
		{"plain_route", req(agent, "GET", "/orders/42")},
		{"mcp_tools_call_4KiB", mcpReq("/mcp", body)},
		{"mcp_batch_4x1KiB", mcpReq("/mcp", "["+strings.Repeat(call(1, "search_issues", `{"q":"`+strings.Repeat("y", 940)+`"}`)+",", 3)+
			call(2, "search_issues", `{"q":"`+strings.Repeat("y", 940)+`"}`)+"]")},
	} {
		b.Run(tc.name+suffix, func(b *testing.B) {
			b.SetBytes(int64(len(tc.r.Body)))
			b.ReportAllocs()
			for b.Loop() {
				d := e.Check(ctx, tc.r)
				if !d.Allowed() {
					b.Fatal(d.Code, d.Detail)
				}
			}
		})
	}
}

// mcpStore is a policy.Store holding testdata/mcp.cedar.
func mcpStore(tb testing.TB) *policy.Store {
	tb.Helper()
	text, err := os.ReadFile("testdata/mcp.cedar")
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := policy.Load(fstest.MapFS{"mcp.cedar": &fstest.MapFile{Data: text}}, policy.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	st := policy.NewStore(nil)
	st.Swap(snap)
	return st
}
