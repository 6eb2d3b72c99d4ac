package identity

import (
	"testing"
)

func TestVerifyPrincipal(t *testing.T) {
	on := newEnv(t, func(c *Config) { c.TrustSourcePrincipal = true })
	off := newEnv(t, nil)
	tests := []struct {
		name string
		e    *env
		c    Credentials
		want want
	}{
		{"trusted principal", on, Credentials{SourcePrincipal: "spiffe://example.org/ns/a"}, want{id: "spiffe://example.org/ns/a", source: SourcePrincipal}},
		{"untrusted domain", on, Credentials{SourcePrincipal: "spiffe://other.org/ns/a"}, want{reason: ReasonUntrustedDomain, is: ErrUntrustedDomain}},
		{"not a SPIFFE ID", on, Credentials{SourcePrincipal: "web.example.org"}, want{reason: ReasonMalformed, is: ErrMalformed}},
		{"principal mode disabled", off, Credentials{SourcePrincipal: "spiffe://example.org/ns/a"}, want{reason: ReasonMissing, is: ErrPrincipalIgnored}},
		{"nothing at all", off, Credentials{}, want{reason: ReasonMissing, is: ErrNoIdentity}},
		{"certificate beats principal", on, Credentials{
			PeerCertificate: on.ca.NewX509SVID("/cert").EnvoyLeaf(), SourcePrincipal: "spiffe://example.org/ns/a",
		}, want{id: "spiffe://example.org/cert", source: SourceX509}},
		{"invalid certificate does not fall back to principal", on, Credentials{
			PeerCertificate: "garbage", SourcePrincipal: "spiffe://example.org/ns/a",
		}, want{reason: ReasonMalformed}},
		{"principal beats JWT", on, Credentials{
			SourcePrincipal: "spiffe://example.org/ns/a", Authorization: "Bearer x",
		}, want{id: "spiffe://example.org/ns/a", source: SourcePrincipal}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := tc.e.verify(tc.c)
			tc.want.check(t, id, err)
		})
	}
}
