package identity

import (
	"errors"
	"testing"
)

// TestVerifyAsserted: a SPIFFE ID asserted by a verified caller (an
// AuthZEN subject) is held to the source principal's rule: well formed and
// of an accepted trust domain, whatever sources are enabled.
func TestVerifyAsserted(t *testing.T) {
	const src Source = "authzen"
	on := newEnv(t, func(c *Config) { c.TrustSourcePrincipal = true })
	off := newEnv(t, nil)
	tests := []struct {
		name string
		e    *env
		id   string
		want want
	}{
		{"trusted", off, "spiffe://example.org/ns/a", want{id: "spiffe://example.org/ns/a", source: src}},
		{"trusted with principal mode", on, "spiffe://example.org/ns/a", want{id: "spiffe://example.org/ns/a", source: src}},
		{"foreign trust domain", off, "spiffe://other.org/ns/a", want{reason: ReasonUntrustedDomain, is: ErrUntrustedDomain}},
		{"foreign with principal mode", on, "spiffe://other.org/ns/a", want{reason: ReasonUntrustedDomain, is: ErrUntrustedDomain}},
		{"not a SPIFFE ID", off, "web.example.org", want{reason: ReasonMalformed, is: ErrMalformed}},
		{"empty", off, "", want{reason: ReasonMalformed, is: ErrMalformed}},
		{"upper-case trust domain", off, "spiffe://EXAMPLE.org/ns/a", want{reason: ReasonMalformed, is: ErrMalformed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := tc.e.v.VerifyAsserted(tc.id, src)
			tc.want.check(t, id, err)
			if err != nil {
				var ie *Error
				if !errors.As(err, &ie) || ie.Source != src {
					t.Errorf("error source %q, want %q", ie.Source, src)
				}
			}
		})
	}
}
