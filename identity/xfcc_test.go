package identity

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

var (
	envoyID    = spiffeid.RequireFromString("spiffe://example.org/envoy")
	strangerID = spiffeid.RequireFromString("spiffe://example.org/stranger")
)

func xfccEnv(t testing.TB, mutate func(*XFCCConfig)) *env {
	return newEnv(t, func(c *Config) {
		c.XFCC = &XFCCConfig{
			TrustedHops:      []spiffeid.ID{envoyID},
			TrustedAddresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
		}
		if mutate != nil {
			mutate(c.XFCC)
		}
	})
}

// elem is an XFCC element for svid as Envoy writes it (Cert and URI).
func elem(s *testca.X509SVID) xfcc.Element {
	return xfcc.Element{By: []string{envoyID.String()}, Cert: string(s.LeafPEM()), URI: []string{s.ID.String()}}
}

func header(elems ...xfcc.Element) string { return xfcc.Format(elems) }

func TestVerifyXFCC(t *testing.T) {
	e := xfccEnv(t, nil)
	client := e.ca.NewX509SVID("/client")
	admin := e.ca.NewX509SVID("/admin")
	inter := e.ca.NewIntermediate()
	deep := inter.NewX509SVID("/deep")
	chained := elem(deep)
	chained.Chain = string(deep.ChainPEM())
	uriOnly := xfcc.Element{By: []string{envoyID.String()}, URI: []string{"spiffe://example.org/client"}}
	mismatch := elem(client)
	mismatch.URI = []string{admin.ID.String()}
	hashed := elem(client)
	hashed.Hash = strings.Repeat("ab", 32)
	tests := []struct {
		name string
		c    Credentials
		want want
	}{
		{"trusted hop", Credentials{Hop: envoyID, XFCC: header(elem(client))}, want{id: "spiffe://example.org/client", source: SourceXFCC}},
		{"trusted address", Credentials{HopAddress: "10.1.2.3:40000", XFCC: header(elem(client))}, want{id: "spiffe://example.org/client", source: SourceXFCC}},
		{"untrusted hop is ignored", Credentials{Hop: strangerID, XFCC: header(elem(admin))}, want{reason: ReasonMissing, is: ErrNoIdentity}},
		{"untrusted address is ignored", Credentials{HopAddress: "192.168.1.1:1", XFCC: header(elem(admin))}, want{reason: ReasonMissing}},
		{"no hop is ignored", Credentials{XFCC: header(elem(admin))}, want{reason: ReasonMissing}},
		{"untrusted hop falls through to JWT", Credentials{Hop: strangerID, XFCC: header(elem(admin)), Authorization: "Bearer " + e.ca.NewJWTSVID("/jwt", testAud)}, want{id: "spiffe://example.org/jwt", source: SourceJWT}},
		{"spoofed element before the proxy's: last chosen", Credentials{Hop: envoyID, XFCC: header(xfcc.Element{By: []string{envoyID.String()}, URI: []string{admin.ID.String()}, Cert: string(admin.LeafPEM())}, elem(client))}, want{id: "spiffe://example.org/client", source: SourceXFCC}},
		{"several elements, last valid", Credentials{Hop: envoyID, XFCC: header(elem(admin), elem(e.ca.NewX509SVID("/mid")), elem(client))}, want{id: "spiffe://example.org/client", source: SourceXFCC}},
		{"malformed quoting from trusted hop denies", Credentials{Hop: envoyID, XFCC: `By="spiffe://example.org/envoy;URI=spiffe://example.org/client`}, want{reason: ReasonMalformed, is: ErrMalformed}},
		{"escaped quote outside quotes denies", Credentials{Hop: envoyID, XFCC: `Subject=a\"b;URI=spiffe://example.org/client`}, want{reason: ReasonMalformed}},
		{"malformed from untrusted hop is ignored", Credentials{Hop: strangerID, XFCC: `By="unterminated`}, want{reason: ReasonMissing}},
		{"URI only without AllowURIOnly", Credentials{Hop: envoyID, XFCC: header(uriOnly)}, want{reason: ReasonMissing, is: ErrNoIdentity}},
		{"no Cert and no URI", Credentials{Hop: envoyID, XFCC: `Subject="CN=x"`}, want{reason: ReasonMissing}},
		{"chain with intermediate", Credentials{Hop: envoyID, XFCC: header(chained)}, want{id: "spiffe://example.org/deep", source: SourceXFCC}},
		{"leaf without chain", Credentials{Hop: envoyID, XFCC: header(elem(deep))}, want{reason: ReasonIncompleteChain, is: ErrIncompleteChain}},
		{"foreign trust domain", Credentials{Hop: envoyID, XFCC: header(elem(e.other.NewX509SVID("/x")))}, want{reason: ReasonUntrustedDomain}},
		{"rogue CA", Credentials{Hop: envoyID, XFCC: header(elem(testca.New(t, "example.org").NewX509SVID("/client")))}, want{reason: ReasonBadSignature}},
		{"URI differs from Cert", Credentials{Hop: envoyID, XFCC: header(mismatch)}, want{reason: ReasonMalformed}},
		{"hash mismatch", Credentials{Hop: envoyID, XFCC: header(hashed)}, want{reason: ReasonMalformed}},
		{"peer certificate wins over XFCC", Credentials{Hop: envoyID, PeerCertificate: admin.EnvoyLeaf(), XFCC: header(elem(client))}, want{id: "spiffe://example.org/admin", source: SourceX509}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := e.verify(tc.c)
			tc.want.check(t, id, err)
		})
	}
}

func TestVerifyXFCCOptions(t *testing.T) {
	uri := xfcc.Element{URI: []string{"spiffe://example.org/client"}}
	tests := []struct {
		name   string
		mutate func(*XFCCConfig)
		header func(e *env) string
		want   want
	}{
		{"URI only with AllowURIOnly", func(x *XFCCConfig) { x.AllowURIOnly = true },
			func(*env) string { return header(uri) }, want{id: "spiffe://example.org/client", source: SourceXFCC}},
		{"URI only, foreign domain", func(x *XFCCConfig) { x.AllowURIOnly = true },
			func(*env) string { return `URI=spiffe://other.org/x` }, want{reason: ReasonUntrustedDomain}},
		{"URI only, not SPIFFE", func(x *XFCCConfig) { x.AllowURIOnly = true },
			func(*env) string { return `URI=https://example.org/x` }, want{reason: ReasonNotSVID}},
		{"first element", func(x *XFCCConfig) { x.Element = xfcc.IndexFirst },
			func(e *env) string { return header(elem(e.ca.NewX509SVID("/origin")), elem(e.ca.NewX509SVID("/mid"))) },
			want{id: "spiffe://example.org/origin", source: SourceXFCC}},
		{"first element behind an untrusted hop", func(x *XFCCConfig) { x.Element = xfcc.IndexFirst },
			func(e *env) string {
				mid := elem(e.ca.NewX509SVID("/mid"))
				mid.By = []string{"spiffe://example.org/not-a-proxy"}
				return header(elem(e.ca.NewX509SVID("/origin")), mid)
			},
			want{reason: ReasonUntrustedHop}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := xfccEnv(t, tc.mutate)
			id, err := e.verify(Credentials{Hop: envoyID, XFCC: tc.header(e)})
			tc.want.check(t, id, err)
		})
	}
}

func TestVerifyXFCCIgnoredIsCounted(t *testing.T) {
	e := xfccEnv(t, nil)
	h := header(elem(e.ca.NewX509SVID("/client")))
	for range 2 {
		_, _ = e.verify(Credentials{Hop: strangerID, XFCC: h})
	}
	if got := e.counter(t, "tollgate_identity_xfcc_ignored_total", map[string]string{"reason": "untrusted_hop"}); got != 2 {
		t.Fatalf("untrusted_hop = %v, want 2", got)
	}
	d := newEnv(t, nil)
	_, _ = d.verify(Credentials{Hop: envoyID, XFCC: h})
	if got := d.counter(t, "tollgate_identity_xfcc_ignored_total", map[string]string{"reason": "disabled"}); got != 1 {
		t.Fatalf("disabled = %v, want 1", got)
	}
}

func TestVerifyXFCCCacheInvalidated(t *testing.T) {
	e := xfccEnv(t, nil)
	c := Credentials{Hop: envoyID, XFCC: header(elem(e.ca.NewX509SVID("/client")))}
	for range 2 {
		if _, err := e.verify(c); err != nil {
			t.Fatal(err)
		}
	}
	if e.v.xfcc.len() != 1 {
		t.Fatalf("cache len = %d, want 1", e.v.xfcc.len())
	}
	// Drop example.org from the bundle set: the cached result must go.
	e.x509.Remove(e.ca.TrustDomain())
	e.v.InvalidateCache()
	_, err := e.verify(c)
	want{reason: ReasonUntrustedDomain}.check(t, Identity{}, err)
}

func TestXFCCConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		x    XFCCConfig
	}{
		{"no trusted hop", XFCCConfig{}},
		{"zero hop", XFCCConfig{TrustedHops: []spiffeid.ID{{}}}},
		{"bad element", XFCCConfig{TrustedHops: []spiffeid.ID{envoyID}, Element: "middle"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := tc.x
			_, err := Config{TrustDomains: []spiffeid.TrustDomain{envoyID.TrustDomain()}, XFCC: &x}.validate()
			if err == nil {
				t.Fatal("want error")
			}
		})
	}
}

// FuzzVerifyXFCC feeds arbitrary headers from a trusted hop: Verify must
// never panic and must return a bounded *Error, or an identity of a trusted
// domain proven by a certificate (AllowURIOnly is off).
func FuzzVerifyXFCC(f *testing.F) {
	e := xfccEnv(f, nil)
	s := e.ca.NewIntermediate().NewX509SVID("/i")
	el := elem(s)
	el.Chain = string(s.ChainPEM())
	f.Add(header(el))
	f.Add(header(elem(e.ca.NewX509SVID("/svc")), elem(s)))
	f.Add(`By=spiffe://example.org/envoy;URI=spiffe://example.org/x`)
	f.Add(`Subject="a\"b";DNS=x,Hash=zz`)
	f.Fuzz(func(t *testing.T, h string) {
		id, err := e.verify(Credentials{Hop: envoyID, XFCC: h})
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || !slices.Contains(allReasons, ie.Reason) || id.ID != (spiffeid.ID{}) {
				t.Fatalf("error %v is not a bounded *Error without identity", err)
			}
			return
		}
		if id.Source != SourceXFCC || id.ExpiresAt.IsZero() || !e.v.trustedDomain(id.ID.TrustDomain()) {
			t.Fatalf("unexpected success %+v", id)
		}
	})
}
