package authz

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// The shape the policy check uses and the context the mapper builds come
// from one description: every attribute the mapper sets on a plain request
// is in the shape, with the same type.
func TestContextShapeMatchesMapper(t *testing.T) {
	sh := ContextShape(PolicyCheck{})
	ctx := FixedContext("GET", "/", "example.org", time.Now())
	ctx["source_address"] = types.IPAddr{} // set when the proxy sends it
	for k, v := range ctx {
		a := sh.Context.Attrs[string(k)]
		if a == nil {
			t.Errorf("the mapper sets context.%s, the shape lacks it", k)
			continue
		}
		if want := shapeType(v); want != a.Type {
			t.Errorf("context.%s: shape type %s, mapper value %T", k, a.Type, v)
		}
	}
	if sh.EntityTypes != nil {
		t.Error("without manifests, entity types must be unknown (nil), not empty")
	}
}

// shapeType names a value's type as policy.Attr does.
func shapeType(v types.Value) string {
	switch v.(type) {
	case types.String:
		return "String"
	case types.Boolean:
		return "Bool"
	case types.Long:
		return "Long"
	case types.Datetime:
		return "datetime"
	case types.IPAddr:
		return "ipaddr"
	}
	return "?"
}

func TestContextShapeFromConfigAndManifests(t *testing.T) {
	m, err := manifest.LoadAll("../examples/mcp/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sh := ContextShape(PolicyCheck{Manifest: m, Signals: []Signal{{Name: "risk_score", Type: TypeLong}},
		JWTClaims: []string{"sub"}})
	keys := slices.Sorted(maps.Keys(sh.Context.Attrs))
	want := []string{"enforcement_point", "host", "jwt", "mcp", "method", "path", "risk_score", "scheme", "source_address", "time", "tls"}
	if !slices.Equal(keys, want) {
		t.Errorf("context keys %v, want %v", keys, want)
	}
	if sh.Context.Attrs["risk_score"].Type != "Long" || sh.Context.Attrs["jwt"].Attrs["sub"] == nil ||
		!sh.Context.Attrs["mcp"].Attrs["arguments"].Open {
		t.Errorf("signal, claim or mcp.arguments wrong: %+v", sh.Context.Attrs)
	}
	// Every action an MCP route can produce is in the shape, including the
	// protocol methods it does not map and client responses, so IAM's
	// baseline permit for them is never refused as unknown.
	for _, a := range []string{"ListTools", "ReadResource", manifest.MCPProtocolPrefix + "initialize",
		manifest.MCPProtocolPrefix + "notifications/initialized", manifest.MCPResponseAction} {
		if !sh.Actions[types.NewEntityUID("Action", types.String(a))] {
			t.Errorf("MCP method action %s missing from %v", a, sh.Actions)
		}
	}
	if !sh.EntityTypes["Tool"] || !sh.EntityTypes["McpResource"] || !sh.EntityTypes[WorkloadType] ||
		!slices.Contains(sh.ActionPrefixes, "github.") {
		t.Errorf("types %v prefixes %v", sh.EntityTypes, sh.ActionPrefixes)
	}
}

// TestContextShapeKnowsSessionActions: the actions of an MCP endpoint's
// GET and DELETE and of the 2026-07-28 protocol methods are ones requests
// can have, so IAM's baseline naming them passes the policy checks.
func TestContextShapeKnowsSessionActions(t *testing.T) {
	m, err := manifest.LoadAll("../examples/mcp/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sh := ContextShape(PolicyCheck{Manifest: m, NoConfig: true})
	for _, a := range []string{manifest.MCPStreamAction, manifest.MCPCloseAction, manifest.MCPResponseAction, "mcp:server/discover", "mcp:subscriptions/listen"} {
		if !sh.Actions[types.NewEntityUID("Action", types.String(a))] {
			t.Errorf("the shape does not know Action::%q", a)
		}
	}
}
