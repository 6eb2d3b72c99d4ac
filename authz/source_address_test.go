package authz

import (
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestSourceAddressIPv4MappedIsIPv4: a dual-stack listener (nginx
// `listen [::]:80 ipv6only=off`, or another ext_authz client) reports an
// IPv4 peer as ::ffff:10.0.0.1. Cedar refuses that spelling (the
// attribute was absent, so a forbid guarded by `context has
// source_address` did not fire) and reads ::ffff:a00:1 as an IPv6 address
// outside ip("10.0.0.0/8"): a forbid on that range was escaped by the
// very peer it names. Both are the IPv4 address; zones stay refused.
func TestSourceAddressIPv4MappedIsIPv4(t *testing.T) {
	ten := mustIP(t, "10.0.0.1")
	for _, tt := range []struct {
		in   string
		want types.Value // nil: absent
	}{
		{"::ffff:10.0.0.1", ten},
		{"::ffff:a00:1", ten},
		{"0:0:0:0:0:ffff:0a00:0001", ten},
		{"10.0.0.1", ten},
		{"fe80::1%eth0", nil},
		{"::ffff:10.0.0.1%eth0", nil},
		{"010.0.0.1", nil},
		{"10.0.0.1/8", nil},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseSourceAddress(tt.in)
			switch {
			case tt.want == nil && ok:
				t.Fatalf("got %v, want absent", got)
			case tt.want != nil && (!ok || !got.Equal(tt.want)):
				t.Fatalf("got %v (%v), want %v", got, ok, tt.want)
			}
		})
	}
}
