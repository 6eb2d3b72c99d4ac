package envoy

import "google.golang.org/protobuf/types/known/structpb"

// envoyMCPFilter is the metadata namespace of Envoy's MCP filter, which
// puts the JSON-RPC method, id and params it parsed there.
const envoyMCPFilter = "envoy.filters.http.mcp"

// nonStringMetadata stands for a params.name or params.uri that Envoy's
// MCP filter saw as something other than a string: it never equals what
// authz reads from a body, so the cross-check denies.
const nonStringMetadata = "\x00not a string\x00"

// flattenMCPParams adds the name and uri of the MCP filter's params as
// "envoy.filters.http.mcp.params.name" and ".uri", for authz to
// cross-check with the body it parses itself.
func flattenMCPParams(out map[string]string, params *structpb.Value) {
	for _, k := range []string{"name", "uri"} {
		v, ok := params.GetStructValue().GetFields()[k]
		if !ok {
			continue
		}
		out[envoyMCPFilter+".params."+k] = nonStringMetadata
		if s, isString := v.GetKind().(*structpb.Value_StringValue); isString {
			out[envoyMCPFilter+".params."+k] = s.StringValue
		}
	}
}
