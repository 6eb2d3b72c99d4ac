package authzen

import (
	"encoding/json"
	"testing"
)

// TestAuthZENRefusesWhatTheEnvoyDoorRefuses: through the real binary, an
// evaluation describing a request the Envoy door refuses (a lower-case
// method, a userinfo host, a full-width path, a case variant of a route)
// or an MCP call whose body the door refuses (a __proto__ argument,
// argument names equal but for case) is decision false with code
// bad_query, never the permit the policies would give its parts.
func TestAuthZENRefusesWhatTheEnvoyDoorRefuses(t *testing.T) {
	d := startDoor(t)
	gw := d.client(d.svid(d.ca, "/ns/mcp/sa/gateway"), d.ca.X509Bundle())
	url := "https://" + d.addr + "/access/v1/evaluation"
	const read = `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/shop/sa/frontend"},
	  "action":{"name":"ReadOrder"},"resource":{"type":"Order","id":"42"},"context":`
	const create = `{"subject":{"type":"Workload","id":"spiffe://example.org/ns/ai/sa/agent"},
	  "action":{"name":"github.create_issue"},"resource":{"type":"Tool","id":"github/create_issue"},
	  "context":{"mcp":{"server":"github","method":"tools/call","tool":"create_issue","arguments":`
	tests := []struct {
		name, body, code string
	}{
		{"plain read", read + `{"method":"GET","host":"orders.example.org","path":"/orders/42"}}`, "permit"},
		{"method with a space", read + `{"method":"GET "}}`, "bad_query"},
		{"userinfo host", read + `{"method":"GET","host":"x@admin.example.org"}}`, "bad_query"},
		{"full-width path", read + `{"method":"GET","path":"/orders/\uff14\uff12"}}`, "bad_query"},
		{"case variant of a route", read + `{"method":"GET","path":"/ORDERS/42"}}`, "bad_query"},
		{"plain call", create + `{"repo":"acme/web"}}}}`, "permit"},
		{"__proto__ argument", create + `{"repo":"acme/web","__proto__":{"repo":"evil/web"}}}}}`, "bad_query"},
		{"case-variant arguments", create + `{"repo":"acme/web","REPO":"evil/web"}}}}`, "bad_query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := post(gw, url, tt.body)
			var got struct {
				Decision bool           `json:"decision"`
				Context  map[string]any `json:"context"`
			}
			if err != nil || status != 200 || json.Unmarshal(body, &got) != nil {
				t.Fatalf("%d %s %v", status, body, err)
			}
			if got.Decision != (tt.code == "permit") || got.Context["code"] != tt.code {
				t.Fatalf("got %s, want code %s", body, tt.code)
			}
		})
	}
}
