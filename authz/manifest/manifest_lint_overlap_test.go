package manifest

import (
	"testing"
)

// All manifests share one path space, and the more specific route decides.
// A team whose manifest declares a more specific route than another
// team's (an exact gRPC method under the other's /pkg.Service/*, a path
// under its catch-all) maps the other team's requests to its own action.
// Tollgate cannot tell a hijack from a hand-over, so it shows it.
func TestWarningsCrossManifestOverlap(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []string
	}{
		{"grpc method under another's wildcard",
			"routes:\n  - match: { grpc: /orders.Orders/* }\n    action: ManageOrders\n    resource: { type: Service, id: orders }\n",
			"routes:\n  - match: { grpc: /orders.Orders/DeleteOrder }\n    action: ReadReport\n    resource: { type: Report, id: all }\n",
			[]string{"b.yaml:2", "a.yaml:2", "/orders.Orders/DeleteOrder", "/orders.Orders/*"}},
		{"path under another's catch-all",
			"routes:\n  - match: { path: \"/admin/{rest...}\" }\n    action: Admin\n    resource: { type: Service, id: admin }\n",
			"routes:\n  - match: { method: DELETE, path: \"/admin/users/{id}\" }\n    action: ReadReport\n    resource: { type: Report, id: all }\n",
			[]string{"b.yaml:2", "a.yaml:2", "/admin/users/{id}", "/admin/{rest...}"}},
		{"literal beats another's param",
			"routes:\n  - match: { method: GET, path: \"/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n",
			"routes:\n  - match: { method: GET, path: \"/orders/export\" }\n    action: ReadReport\n    resource: { type: Report, id: all }\n",
			[]string{"b.yaml:2", "a.yaml:2", "/orders/export", "/orders/{id}"}},
		{"disjoint paths",
			"routes:\n  - match: { method: GET, path: \"/orders/{id}\" }\n    action: ReadOrder\n    resource: { type: Order, id: \"{id}\" }\n",
			"routes:\n  - match: { method: GET, path: \"/reports/{id}\" }\n    action: ReadReport\n    resource: { type: Report, id: \"{id}\" }\n",
			nil},
		{"disjoint methods",
			"routes:\n  - match: { method: GET, path: /x }\n    action: ReadX\n    resource: { type: X, id: x }\n",
			"routes:\n  - match: { method: POST, path: /x }\n    action: WriteX\n    resource: { type: X, id: x }\n",
			nil},
		{"other services",
			"routes:\n  - match: { grpc: /orders.Orders/* }\n    action: ManageOrders\n    resource: { type: Service, id: orders }\n",
			"routes:\n  - match: { grpc: /reports.Reports/Get }\n    action: ReadReport\n    resource: { type: Report, id: all }\n",
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := twoFileWarnings(t, tt.a, tt.b)
			if tt.want == nil {
				if len(ws) != 0 {
					t.Fatalf("warnings %q, want none", ws)
				}
				return
			}
			for _, w := range ws {
				if containsAll(w, tt.want) {
					return
				}
			}
			t.Fatalf("warnings %q, want one naming %q", ws, tt.want)
		})
	}
}
