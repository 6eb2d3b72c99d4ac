package manifest

import "testing"

// FuzzParseManifest: manifests never panic the parser, and an accepted
// manifest always declares at least one route and action.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("routes:\n  - match: {method: GET, path: '/orders/{id}'}\n    action: A\n    resource: {type: T, id: '{id}'}\n"))
	f.Add([]byte("routes:\n  - match: {grpc: /a.B/*}\n    action: 'X::Action::\"y\"'\n    resource: {type: T, id: '{service}-{method}'}\n"))
	f.Add([]byte("permit(principal, action, resource);"))
	f.Add([]byte("path_case: insensitive\nroutes:\n  - match: {path: '/Admin/{r...}'}\n    action: A\n    resource: {type: T, id: '{r}'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		if len(m.Routes()) == 0 || len(m.Actions()) == 0 {
			t.Fatal("accepted a manifest without routes")
		}
	})
}
