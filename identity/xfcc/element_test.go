package xfcc_test

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

func TestCertificates(t *testing.T) {
	const id = "spiffe://example.org/ns/default/sa/web"
	c := mintChain(t, id)
	other := mintChain(t, id)
	leafOnly := []*x509.Certificate{c.leaf}
	full := []*x509.Certificate{c.leaf, c.inter}
	tests := []struct {
		name    string
		elem    xfcc.Element
		want    []*x509.Certificate
		wantErr error
	}{
		{"cert only", xfcc.Element{Cert: c.leafPEM()}, leafOnly, nil},
		{"chain only", xfcc.Element{Chain: c.chainPEM()}, full, nil},
		{"cert and chain: leaf not repeated", xfcc.Element{Cert: c.leafPEM(), Chain: c.chainPEM()}, full, nil},
		{"matching hash", xfcc.Element{Hash: c.hash(), Chain: c.chainPEM()}, full, nil},
		{"matching upper-case hash", xfcc.Element{Hash: strings.ToUpper(c.hash()), Cert: c.leafPEM()}, leafOnly, nil},
		{"no certificate", xfcc.Element{URI: []string{id}}, nil, xfcc.ErrNoCertificate},
		{"hash of another cert", xfcc.Element{Hash: other.hash(), Cert: c.leafPEM()}, nil, xfcc.ErrHashMismatch},
		{"chain of another leaf", xfcc.Element{Cert: c.leafPEM(), Chain: other.chainPEM()}, nil, xfcc.ErrChainMismatch},
		{"two certs in Cert", xfcc.Element{Cert: c.chainPEM()}, nil, xfcc.ErrBadCertificate},
		{"not PEM", xfcc.Element{Cert: "hello"}, nil, xfcc.ErrBadCertificate},
		{"trailing garbage", xfcc.Element{Chain: c.chainPEM() + "junk"}, nil, xfcc.ErrBadCertificate},
		{"wrong block type", xfcc.Element{Cert: strings.ReplaceAll(c.leafPEM(), "CERTIFICATE", "PRIVATE KEY")}, nil, xfcc.ErrBadCertificate},
		{"bad DER", xfcc.Element{Cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}, nil, xfcc.ErrBadCertificate},
		{"whitespace only", xfcc.Element{Chain: " \n"}, nil, xfcc.ErrBadCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.elem.Certificates()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("Certificates = (%d certs, %v), want error %v", len(got), err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Certificates: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Certificates returned %d certs, want %d", len(got), len(tt.want))
			}
			for i := range got {
				if !got[i].Equal(tt.want[i]) {
					t.Errorf("certificate %d differs", i)
				}
			}
		})
	}
}

func TestSPIFFEID(t *testing.T) {
	tests := []struct {
		name    string
		uris    []string
		want    string
		wantErr error
	}{
		{"one spiffe URI", []string{"spiffe://example.org/web"}, "spiffe://example.org/web", nil},
		{"spiffe URI among others", []string{"https://web.example.org", "spiffe://example.org/web"}, "spiffe://example.org/web", nil},
		{"no URI", nil, "", xfcc.ErrNoSPIFFEID},
		{"no spiffe URI", []string{"https://web.example.org"}, "", xfcc.ErrNoSPIFFEID},
		{"two spiffe URIs", []string{"spiffe://example.org/web", "spiffe://example.org/admin"}, "", xfcc.ErrMultipleSPIFFEIDs},
		{"same spiffe URI twice", []string{"spiffe://example.org/web", "spiffe://example.org/web"}, "", xfcc.ErrMultipleSPIFFEIDs},
		{"second spiffe URI in other case", []string{"spiffe://example.org/web", "SPIFFE://example.org/admin"}, "", xfcc.ErrMultipleSPIFFEIDs},
		{"upper-case scheme", []string{"SPIFFE://example.org/web"}, "", xfcc.ErrInvalidSPIFFEID},
		{"invalid path", []string{"spiffe://example.org/a/../b"}, "", xfcc.ErrInvalidSPIFFEID},
		{"query not allowed", []string{"spiffe://example.org/web?x=1"}, "", xfcc.ErrInvalidSPIFFEID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xfcc.Element{URI: tt.uris}.SPIFFEID()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !got.IsZero() {
					t.Fatalf("SPIFFEID = (%v, %v), want error %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("SPIFFEID: %v", err)
			}
			if got != spiffeid.RequireFromString(tt.want) {
				t.Errorf("SPIFFEID = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzCertificates checks that PEM extraction from untrusted Cert and Chain
// values never panics and only succeeds with a non-empty, hash-consistent
// result.
func FuzzCertificates(f *testing.F) {
	c := mintChain(f, "spiffe://example.org/web")
	f.Add(c.leafPEM(), c.chainPEM(), c.hash())
	f.Add("", c.chainPEM(), "")
	f.Add(c.leafPEM(), "", "00")
	f.Add("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "x", "")
	f.Fuzz(func(t *testing.T, cert, chain, hash string) {
		certs, err := xfcc.Element{Cert: cert, Chain: chain, Hash: hash}.Certificates()
		if err != nil {
			if certs != nil {
				t.Fatal("certificates returned with an error")
			}
			return
		}
		if len(certs) == 0 {
			t.Fatal("success without certificates")
		}
		if hash != "" && !strings.EqualFold(hash, hashOf(certs[0])) {
			t.Fatal("success with a mismatching hash")
		}
	})
}
