package manifest

import (
	"strings"
	"testing"
)

func TestNearestRoutes(t *testing.T) {
	m, err := Parse("manifest.yaml", []byte(`service: orders
routes:
  - name: get-order
    match: { methods: [GET, HEAD], path: "/orders/{id}" }
    action: ReadOrder
    resource: { type: Order, id: "{id}" }
  - name: refund-order
    match: { method: POST, path: "/orders/{id}/refund" }
    action: RefundOrder
    resource: { type: Order, id: "{id}" }
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, first, why string
	}{
		{"DELETE", "/orders/7", "get-order", "method DELETE is not one of [GET HEAD]"},
		{"GET", "/orders/7/refund", "refund-order", "method GET is not one of [POST]"},
		{"GET", "/order/7", "get-order", `segment 1 is "order", the route wants "orders"`},
	}
	for _, tc := range tests {
		got := m.Nearest(tc.method, tc.path, 2)
		if len(got) == 0 || got[0].Route != tc.first || !strings.Contains(got[0].Why, tc.why) {
			t.Errorf("%s %s: %+v, want %s: %s", tc.method, tc.path, got, tc.first, tc.why)
		}
	}
}
