package authz

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// FuzzSignals reads random header values as the three signal types and a
// random source address. Whatever is accepted must read the same to an
// upstream: a long is the canonical decimal of its number, a bool is exactly true or false, a string holds no comma
// (no repeated header), and a source address is never an IPv4-mapped or
// zoned IPv6 address.
func FuzzSignals(f *testing.F) {
	for _, s := range []string{"10", "+1", "-0", "01", "1e3", "0x10", " 1", "١", "true", "True", "dev,prod", "", "::ffff:10.0.0.1", "fe80::1%eth0"} {
		f.Add(s, "x-risk")
	}
	f.Add("99", "x_risk")
	sigs := []Signal{
		{Name: "n", From: FromHeader, Key: "x-risk", Type: TypeLong},
		{Name: "b", From: FromHeader, Key: "x-canary", Type: TypeBool},
		{Name: "s", From: FromHeader, Key: "x-env", Type: TypeString},
	}
	f.Fuzz(func(t *testing.T, raw, extra string) {
		r := &Request{Headers: map[string]string{"x-risk": raw, "x-canary": raw, "x-env": raw, strings.ToLower(extra): raw}}
		for i := range sigs {
			ctx := types.RecordMap{}
			if err := addSignals(ctx, sigs[i:i+1], r); err != nil {
				continue
			}
			checkSignal(t, sigs[i].Type, r.Headers[sigs[i].Key], ctx[types.String(sigs[i].Name)])
			if underscoreSpelling(r.Headers, sigs[i].Key) {
				t.Fatalf("accepted %s with an underscore spelling %q", sigs[i].Key, extra)
			}
		}
		if ip, ok := parseSourceAddress(raw); ok {
			a, err := netip.ParseAddr(ip.String())
			if err != nil || a.Is4In6() || a.Zone() != "" {
				t.Fatalf("source %q read as %v", raw, ip)
			}
		}
	})
}

func checkSignal(t *testing.T, typ, raw string, v types.Value) {
	t.Helper()
	switch typ {
	case TypeLong:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || strconv.FormatInt(n, 10) != raw || v != types.Long(n) {
			t.Fatalf("long %q read as %v", raw, v)
		}
	case TypeBool:
		if raw != "true" && raw != "false" || v != types.Boolean(raw == "true") {
			t.Fatalf("bool %q read as %v", raw, v)
		}
	case TypeString:
		if strings.Contains(raw, ",") || v != types.String(raw) {
			t.Fatalf("string %q read as %v", raw, v)
		}
	}
}
