package manifest

import (
	"fmt"
	"testing"
)

// TestRouteClashSameAnswerAnyLayout checks that whether two routes clash
// does not depend on the file layout: both in one manifest, or one in each
// of two manifests served together.
func TestRouteClashSameAnswerAnyLayout(t *testing.T) {
	tests := []struct {
		name  string
		a, b  string // match bodies
		clash bool
	}{
		{"grpc route and any-method path route", `{ grpc: /pkg.Svc/Get }`, `{ path: /pkg.Svc/Get }`, false},
		{"grpc route and POST path route", `{ grpc: /pkg.Svc/Get }`, `{ method: POST, path: /pkg.Svc/Get }`, false},
		{"same grpc method", `{ grpc: /pkg.Svc/Get }`, `{ grpc: /pkg.Svc/Get }`, true},
		{"grpc wildcard and method", `{ grpc: /pkg.Svc/* }`, `{ grpc: /pkg.Svc/Get }`, false},
		{"same path and method", `{ method: GET, path: /a }`, `{ method: GET, path: /a }`, true},
		{"same shape, other capture name", `{ method: GET, path: "/a/{x}" }`, `{ method: GET, path: "/a/{y}" }`, true},
		{"overlapping method lists", `{ methods: [GET, PUT], path: /a }`, `{ methods: [PUT], path: /a }`, true},
		{"both any method", `{ path: /a }`, `{ path: /a }`, true},
		{"any method and one method", `{ path: /a }`, `{ method: GET, path: /a }`, false},
		{"different methods", `{ method: GET, path: /a }`, `{ method: POST, path: /a }`, false},
		{"different paths", `{ method: GET, path: /a }`, `{ method: GET, path: /b }`, false},
	}
	route := func(name, match string) string {
		return fmt.Sprintf("  - name: %s\n    match: %s\n    action: Read\n    resource: { type: Thing, id: t }\n", name, match)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			one := "service: s\nroutes:\n" + route("ra", tt.a) + route("rb", tt.b)
			_, errOne := Parse("one.yaml", []byte(one))
			ma, err := Parse("a.yaml", []byte("service: s\nroutes:\n"+route("ra", tt.a)))
			if err != nil {
				t.Fatal(err)
			}
			mb, err := Parse("b.yaml", []byte("service: s\nroutes:\n"+route("rb", tt.b)))
			if err != nil {
				t.Fatal(err)
			}
			_, errSplit := mergeManifests([]*Manifest{ma, mb})
			if (errOne != nil) != tt.clash {
				t.Errorf("one file: clash=%v, want %v (err %v)", errOne != nil, tt.clash, errOne)
			}
			if (errSplit != nil) != tt.clash {
				t.Errorf("two files: clash=%v, want %v (err %v)", errSplit != nil, tt.clash, errSplit)
			}
		})
	}
}
