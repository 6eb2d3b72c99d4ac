package manifest

import "testing"

// TestRawSpaceAndQueryControlRefused: a raw space or control character
// anywhere in the request target, query included, is refused. Forwarded
// on an HTTP/1 request line, "GET /public/x /admin/x HTTP/1.1" splits
// where each upstream parser chooses; Tollgate would have authorized
// /public/x. (The canonical path may hold a decoded space: only the raw
// target is checked.)
func TestRawSpaceAndQueryControlRefused(t *testing.T) {
	m, err := Parse("tricks.yaml", []byte(trickManifest))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, in string
		grpc     bool
		want     string
	}{
		{"space in path", "/public/x /admin/users", false, "bad_path:space"},
		{"space in query", "/public/x? /admin/users", false, "bad_path:space"},
		{"tab in query", "/public/x?a=\tb", false, "bad_path:control_char"},
		{"newline in query", "/public/x?a=b\r\nx-injected: 1", false, "bad_path:control_char"},
		{"NUL in query", "/public/x?a=\x00", false, "bad_path:control_char"},
		{"DEL in query", "/public/x?a=\x7f", false, "bad_path:control_char"},
		{"escaped space", "/public/a%20b?a=%20b&c=d+e", false, "catch-all"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, proxyNorm := range []bool{false, true} {
				if got := tollgateReading(m.Lookup("GET", tt.in, tt.grpc, proxyNorm, nil)); got != tt.want {
					t.Fatalf("proxy normalises %v: Tollgate reads %s, want %s", proxyNorm, got, tt.want)
				}
			}
		})
	}
}
