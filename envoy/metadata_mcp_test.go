package envoy

import (
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	"google.golang.org/protobuf/types/known/structpb"
)

// TestFlattenEnvoyMCPMetadata: the name and uri in the params that Envoy's
// MCP filter (envoy.filters.http.mcp) parsed reach authz, so it can
// cross-check them with the body; a non-string one never matches a body.
func TestFlattenEnvoyMCPMetadata(t *testing.T) {
	params := func(k string, v *structpb.Value) *structpb.Value {
		return structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{k: v, "arguments": structpb.NewStringValue("a")}})
	}
	for _, tt := range []struct {
		name   string
		params *structpb.Value
		key    string
		want   string
	}{
		{"tool name", params("name", structpb.NewStringValue("search")), "envoy.filters.http.mcp.params.name", "search"},
		{"resource uri", params("uri", structpb.NewStringValue("repo://a")), "envoy.filters.http.mcp.params.uri", "repo://a"},
		{"numeric name", params("name", structpb.NewNumberValue(1)), "envoy.filters.http.mcp.params.name", nonStringMetadata},
	} {
		t.Run(tt.name, func(t *testing.T) {
			md := flattenMetadata(&corev3.Metadata{FilterMetadata: map[string]*structpb.Struct{
				"envoy.filters.http.mcp": {Fields: map[string]*structpb.Value{
					"method": structpb.NewStringValue("tools/call"), "params": tt.params,
				}},
			}})
			if md["envoy.filters.http.mcp.method"] != "tools/call" || md[tt.key] != tt.want {
				t.Fatalf("flattened %q", md)
			}
			if _, ok := md["envoy.filters.http.mcp.params.arguments"]; ok {
				t.Errorf("flattened more of params than name and uri: %q", md)
			}
		})
	}
}
