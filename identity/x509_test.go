package identity

import (
	"crypto/x509"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func TestVerifyX509(t *testing.T) {
	e := newEnv(t, nil)
	inter := e.ca.NewIntermediate()
	rogue := testca.New(t, "example.org") // same trust domain, unknown key
	past := time.Now().Add(-2 * time.Hour)
	valid := e.ca.NewX509SVID("/svc").EnvoyLeaf()
	tests := []struct {
		name string
		cert string
		want want
	}{
		{"valid leaf", valid, want{id: "spiffe://example.org/svc", source: SourceX509}},
		{"leaf with intermediate chain", inter.NewX509SVID("/i").EnvoyChain(), want{id: "spiffe://example.org/i", source: SourceX509}},
		{"leaf without its intermediate", inter.NewX509SVID("/i").EnvoyLeaf(), want{reason: ReasonIncompleteChain, is: ErrIncompleteChain}},
		{"two URI SANs", e.ca.NewX509SVID("/a", testca.WithExtraURI("spiffe://example.org/b")).EnvoyLeaf(), want{reason: ReasonNotSVID, is: ErrNotSVID}},
		{"no URI SAN", e.ca.NewX509SVID("/a", testca.WithURIs()).EnvoyLeaf(), want{reason: ReasonNotSVID}},
		{"non-SPIFFE URI", e.ca.NewX509SVID("/a", testca.WithURIs("https://example.org/a")).EnvoyLeaf(), want{reason: ReasonNotSVID}},
		{"CA certificate as leaf", e.ca.NewX509SVID("/a", testca.AsCA()).EnvoyLeaf(), want{reason: ReasonNotSVID}},
		{"expired", e.ca.NewX509SVID("/a", testca.WithValidity(past, past.Add(time.Hour))).EnvoyLeaf(), want{reason: ReasonExpired, is: ErrExpired}},
		{"not yet valid", e.ca.NewX509SVID("/a", testca.WithValidity(time.Now().Add(time.Hour), time.Now().Add(2*time.Hour))).EnvoyLeaf(), want{reason: ReasonNotYetValid}},
		{"untrusted trust domain", e.other.NewX509SVID("/a").EnvoyLeaf(), want{reason: ReasonUntrustedDomain, is: ErrUntrustedDomain}},
		{"trusted domain without bundle", testca.New(t, "nobundle.org").NewX509SVID("/a").EnvoyLeaf(), want{reason: ReasonUntrustedDomain, is: ErrNoBundle}},
		{"forged by a CA with the root's name", rogue.NewX509SVID("/a").EnvoyLeaf(), want{reason: ReasonBadSignature, is: ErrBadSignature}},
		{"garbage", "hello", want{reason: ReasonMalformed, is: ErrMalformed}},
		{"bad URL encoding", "%zz", want{reason: ReasonMalformed}},
		{"not a certificate block", url.QueryEscape("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), want{reason: ReasonMalformed}},
		{"trailing garbage", valid + "junk", want{reason: ReasonMalformed}},
		{"corrupt DER", url.QueryEscape("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), want{reason: ReasonMalformed}},
		{"oversized", strings.Repeat("A", maxPEMLen*3+1), want{reason: ReasonMalformed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := e.verify(Credentials{PeerCertificate: tc.cert})
			tc.want.check(t, id, err)
		})
	}
}

func TestVerifyX509Chain(t *testing.T) {
	e := newEnv(t, nil)
	inter := e.ca.NewIntermediate()
	svid := inter.NewX509SVID("/xfcc")
	tests := []struct {
		name  string
		chain []*x509.Certificate
		want  want
	}{
		{"leaf and intermediate", svid.Chain(), want{id: "spiffe://example.org/xfcc", source: SourceX509}},
		{"leaf only", svid.Chain()[:1], want{reason: ReasonIncompleteChain}},
		{"empty", nil, want{reason: ReasonMalformed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := e.v.VerifyX509Chain(tc.chain)
			tc.want.check(t, id, err)
		})
	}
}

func TestVerifyX509SetsExpiry(t *testing.T) {
	e := newEnv(t, nil)
	svid := e.ca.NewX509SVID("/svc")
	id, err := e.verify(Credentials{PeerCertificate: svid.EnvoyLeaf()})
	if err != nil {
		t.Fatal(err)
	}
	if !id.ExpiresAt.Equal(svid.Leaf.NotAfter) {
		t.Fatalf("ExpiresAt = %v, want leaf NotAfter %v", id.ExpiresAt, svid.Leaf.NotAfter)
	}
}
