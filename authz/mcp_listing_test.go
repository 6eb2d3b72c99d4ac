package authz

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// listed are tools as a tools/list result names them, with their pins.
func listed(names ...string) []mcp.Tool {
	out := make([]mcp.Tool, len(names))
	for i, n := range names {
		out[i] = mcp.ToolWithPin(n, pinFor(n))
	}
	return out
}

func pinFor(name string) string {
	p, err := mcp.PinOf([]byte(`{"name":"` + name + `","description":"d"}`))
	if err != nil {
		panic(err)
	}
	return p
}

func kept(l Listing, names []mcp.Tool) []string {
	var out []string
	for i, k := range l.Keep[0] {
		if k {
			out = append(out, names[i].Name)
		}
	}
	return out
}

// TestFilterToolsPerCaller: the same policies show two callers different
// tools; a tool is shown exactly when a tools/call of it could be
// permitted, and a permit that reads arguments needs context.mcp.listing.
func TestFilterToolsPerCaller(t *testing.T) {
	var log bytes.Buffer
	e := newMCPEngine(t, &log, nil)
	tools := listed("search_issues", "create_issue", "delete_repo")
	for _, tc := range []struct {
		caller string
		want   []string
	}{
		{agent, []string{"search_issues"}},
		{"spiffe://example.org/ns/ai/sa/other", nil},
	} {
		l := e.FilterTools(context.Background(), req(tc.caller, "POST", "/mcp"), [][]mcp.Tool{tools})
		if !l.Decision.Allowed() || l.Decision.Code != CodeMCPListing {
			t.Fatalf("%s: listing %+v", tc.caller, l.Decision)
		}
		if got := kept(l, tools); !slices.Equal(got, tc.want) {
			t.Errorf("%s sees %v, want %v", tc.caller, got, tc.want)
		}
		if l.Hidden[HiddenPolicy] != 3-len(tc.want) {
			t.Errorf("%s: hidden %v", tc.caller, l.Hidden)
		}
	}
	if !strings.Contains(log.String(), `"code":"mcp_listing"`) || !strings.Contains(log.String(), "1 of 3 tools shown") {
		t.Errorf("no decision line for the listing: %s", log.String())
	}

	b, _ := os.ReadFile("testdata/mcp.cedar")
	pol := loadPolicies(t, string(b)+`
@id("listing-shows-create") permit (principal, action == Action::"github.create_issue", resource)
when { context.mcp has listing && context.mcp.listing };`)
	m, _ := manifest.Load("testdata/mcp.manifest.yaml")
	e2, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: pol, Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	l := e2.FilterTools(context.Background(), req(agent, "POST", "/mcp"), [][]mcp.Tool{tools})
	if got := kept(l, tools); !slices.Equal(got, []string{"search_issues", "create_issue"}) {
		t.Errorf("with a listing permit the agent sees %v", got)
	}
}

// TestFilterToolsFailsClosed: without a verified caller or an MCP route,
// nothing is shown.
func TestFilterToolsFailsClosed(t *testing.T) {
	e := newMCPEngine(t, nil, nil)
	tools := [][]mcp.Tool{listed("search_issues")}
	for name, r := range map[string]*Request{
		"no identity": req("", "POST", "/mcp"),
		"expired":     req("expired", "POST", "/mcp"),
		"not mcp":     req(agent, "GET", "/orders/1"),
		"no route":    req(agent, "POST", "/nope"),
		"nil":         nil,
	} {
		l := e.FilterTools(context.Background(), r, tools)
		if l.Decision.Allowed() || l.Keep != nil || l.Decision.Code.Outcome() == Allow {
			t.Errorf("%s: %+v", name, l)
		}
	}
}

var pinnedManifest = readFixture("manifest/testdata/pinned.manifest.yaml")

func pinnedEngine(t *testing.T, reg prometheus.Registerer, searchPin string) (*Engine, string) {
	t.Helper()
	b, _ := os.ReadFile("testdata/mcp.cedar")
	pol := loadPolicies(t, string(b)+`
@id("agent-creates") permit (principal == Workload::"`+agent+`", action == Action::"github.create_issue", resource);`)
	e, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: pol, Manifest: pinnedManifestWith(t, searchPin), Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	return e, searchPin
}

func pinnedManifestWith(t *testing.T, searchPin string) *manifest.Manifest {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.yaml")
	text := strings.NewReplacer("PIN_SEARCH", searchPin, "PIN_CREATE", pinFor("create_issue")).Replace(pinnedManifest)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestToolDrift: a listed tool whose definition does not match its pin is
// hidden and counted, and its calls are denied until the pin changes; a
// pinned tool still needs a permit, and an unpinned one is hidden.
func TestToolDrift(t *testing.T) {
	reg := prometheus.NewRegistry()
	e, _ := pinnedEngine(t, reg, pinFor("search_issues"))
	callSearch := func() Decision {
		r := mcpReq("/mcp", call(1, "search_issues", `{}`))
		return e.Check(context.Background(), r)
	}
	if d := callSearch(); !d.Allowed() {
		t.Fatalf("before drift: %+v", d)
	}
	tools := listed("search_issues", "create_issue", "delete_repo")
	tools[0] = mcp.ToolWithPin("search_issues", pinFor("search_issues_v2")) // the server changed the definition
	l := e.FilterTools(context.Background(), req(agent, "POST", "/mcp"), [][]mcp.Tool{tools})
	if got := kept(l, tools); !slices.Equal(got, []string{"create_issue"}) {
		t.Fatalf("shown %v, want only create_issue", got)
	}
	if l.Hidden[HiddenDrift] != 1 || l.Hidden[HiddenUnpinned] != 1 || !slices.Equal(l.Drifted, []string{"search_issues"}) {
		t.Fatalf("hidden %v drifted %v", l.Hidden, l.Drifted)
	}
	if v := testutil.MustValue(t, reg, "tollgate_mcp_tool_drift_total", map[string]string{"tool": "search_issues"}); v != 1 {
		t.Fatalf("drift counter %v", v)
	}
	d := callSearch()
	if d.Allowed() || d.Code != CodeMCPToolDrift || d.MCP == nil || d.MCP.RPCCode != mcp.CodePermissionDenied {
		t.Fatalf("a drifted tool's call: %+v", d)
	}
	// Updating the pin clears the drift; the permit still decides.
	e.SetManifest(pinnedManifestWith(t, pinFor("search_issues_v2")))
	if d := callSearch(); !d.Allowed() {
		t.Fatalf("after the pin update: %+v", d)
	}
	l = e.FilterTools(context.Background(), req("spiffe://example.org/ns/ai/sa/other", "POST", "/mcp"), [][]mcp.Tool{tools})
	if got := kept(l, tools); len(got) != 0 {
		t.Fatalf("a pin granted %v to a caller without a permit", got)
	}
}

func TestContextShapeKnowsListing(t *testing.T) {
	m, err := manifest.LoadAll("../examples/mcp/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mcpAttr := ContextShape(PolicyCheck{Manifest: m}).Context.Attrs["mcp"]
	if a := mcpAttr.Attrs["listing"]; a == nil || a.Type != "Bool" {
		t.Fatalf("context.mcp.listing in the shape: %+v", a)
	}
}

// TestToolDriftIsPerServer: drift is a property of the server's tool, not
// of the route a listing came through. A second route to the same server
// with the same pin must not keep serving calls to a tool seen drifted.
func TestToolDriftIsPerServer(t *testing.T) {
	b, _ := os.ReadFile("testdata/mcp.cedar")
	pol := loadPolicies(t, string(b))
	two := strings.NewReplacer("PIN_SEARCH", pinFor("search_issues"), "PIN_CREATE", pinFor("create_issue")).Replace(pinnedManifest) + `
  - name: github-mcp-v2
    match: { path: /v2/mcp }
    mcp:
      server: github
      mode: per_tool
      tools: [search_issues, create_issue]
      pins:
        search_issues: ` + pinFor("search_issues") + `
        create_issue: ` + pinFor("create_issue") + "\n"
	path := filepath.Join(t.TempDir(), "m.yaml")
	if err := os.WriteFile(path, []byte(two), 0o600); err != nil {
		t.Fatal(err)
	}
	m, err := manifest.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: pol, Manifest: m})
	if err != nil {
		t.Fatal(err)
	}
	tools := listed("search_issues")
	tools[0] = mcp.ToolWithPin("search_issues", pinFor("search_issues_v2"))
	e.FilterTools(context.Background(), req(agent, "POST", "/v2/mcp"), [][]mcp.Tool{tools})
	for _, p := range []string{"/v2/mcp", "/mcp"} {
		if d := e.Check(context.Background(), mcpReq(p, call(1, "search_issues", `{}`))); d.Allowed() || d.Code != CodeMCPToolDrift {
			t.Errorf("a call through %s to a tool seen drifted through /v2/mcp: %s %s", p, d.Code, d.Detail)
		}
	}
}
