package manifest

import (
	"strings"
	"testing"
)

// FuzzParseManifest: manifests never panic the parser or the lint, an
// accepted manifest always declares at least one route and action, and
// none of its own actions (nor a per_tool namespace) is in the reserved
// mcp: namespace of the protocol defaults.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("routes:\n  - match: {method: GET, path: '/orders/{id}'}\n    action: A\n    resource: {type: T, id: '{id}'}\n"))
	f.Add([]byte("routes:\n  - match: {grpc: /a.B/*}\n    action: 'X::Action::\"y\"'\n    resource: {type: T, id: '{service}-{method}'}\n"))
	f.Add([]byte("permit(principal, action, resource);"))
	f.Add([]byte("path_case: insensitive\nroutes:\n  - match: {path: '/Admin/{r...}'}\n    action: A\n    resource: {type: T, id: '{r}'}\n"))
	f.Add([]byte("routes:\n  - match: {path: /mcp}\n    mcp: {server: s, mode: per_tool, action_prefix: 'mcp:', methods: {ping: {action: 'mcp:x'}}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		if len(m.Routes()) == 0 || len(m.Actions()) == 0 {
			t.Fatal("accepted a manifest without routes")
		}
		_ = m.Warnings()
		for _, r := range m.Rules() {
			for _, a := range r.declaredActions() {
				if strings.HasPrefix(string(a.ID), MCPProtocolPrefix) {
					t.Fatalf("accepted the reserved action %s", a)
				}
			}
			if p, ok := perToolPrefix(r); ok && reachesReserved(p) {
				t.Fatalf("accepted the per_tool prefix %q", p)
			}
		}
	})
}
