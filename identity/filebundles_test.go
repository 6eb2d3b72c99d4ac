package identity

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func spiffeBundleJSON(t *testing.T, ca *testca.CA) []byte {
	t.Helper()
	b := spiffebundle.FromX509Bundle(ca.X509Bundle())
	b.SetJWTAuthorities(ca.JWTBundle().JWTAuthorities())
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestNewFileBundles(t *testing.T) {
	dir := t.TempDir()
	ca, other := testca.New(t, "example.org"), testca.New(t, "other.org")
	pemPath := writeFile(t, dir, "x509.pem", ca.X509BundlePEM())
	jwksPath := writeFile(t, dir, "jwks.json", ca.JWKS())
	sbPath := writeFile(t, dir, "other.json", spiffeBundleJSON(t, other))
	garbage := writeFile(t, dir, "garbage.pem", []byte("not a bundle"))
	empty := writeFile(t, dir, "empty.json", []byte(`{"keys":[]}`))
	tests := []struct {
		name   string
		specs  []BundleFile
		errHas string // "" means success
	}{
		{"PEM, JWKS and SPIFFE bundle", []BundleFile{{TrustDomain: "example.org", X509PEM: pemPath, JWKS: jwksPath}, {TrustDomain: "other.org", SPIFFEBundle: sbPath}}, ""},
		{"no specs", nil, "no trust bundle files"},
		{"bad trust domain", []BundleFile{{TrustDomain: "Bad Domain", X509PEM: pemPath}}, "bundles[0]"},
		{"no files", []BundleFile{{TrustDomain: "example.org"}}, "no bundle file"},
		{"SPIFFE bundle and PEM", []BundleFile{{TrustDomain: "example.org", X509PEM: pemPath, SPIFFEBundle: sbPath}}, "not both"},
		{"duplicate trust domain", []BundleFile{{TrustDomain: "example.org", X509PEM: pemPath}, {TrustDomain: "example.org", JWKS: jwksPath}}, "already configured in bundles[0]"},
		{"missing file", []BundleFile{{TrustDomain: "example.org", X509PEM: filepath.Join(dir, "nope.pem")}}, "nope.pem"},
		{"garbage PEM", []BundleFile{{TrustDomain: "example.org", X509PEM: garbage}}, "garbage.pem"},
		{"empty JWKS", []BundleFile{{TrustDomain: "example.org", JWKS: empty}}, "empty.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fb, err := NewFileBundles(tc.specs)
			if tc.errHas == "" {
				if err != nil {
					t.Fatal(err)
				}
				checkBundles(t, fb, ca, other)
				return
			}
			if err == nil || !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want ErrInvalidConfig mentioning %q", err, tc.errHas)
			}
		})
	}
}

func checkBundles(t *testing.T, fb *FileBundles, cas ...*testca.CA) {
	t.Helper()
	for _, ca := range cas {
		xb, err := fb.GetX509BundleForTrustDomain(ca.TrustDomain())
		if err != nil || !xb.Equal(ca.X509Bundle()) {
			t.Fatalf("X.509 bundle for %s: %v", ca.TrustDomain(), err)
		}
		jb, err := fb.GetJWTBundleForTrustDomain(ca.TrustDomain())
		if err != nil || !jb.Equal(ca.JWTBundle()) {
			t.Fatalf("JWT bundle for %s: %v", ca.TrustDomain(), err)
		}
	}
	if _, err := fb.GetX509BundleForTrustDomain(spiffeid.RequireTrustDomainFromString("unknown.org")); !errors.Is(err, ErrNoBundle) {
		t.Fatalf("unknown domain: err = %v, want ErrNoBundle", err)
	}
}

func TestFileBundlesReload(t *testing.T) {
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	jwks := writeFile(t, dir, "jwks.json", ca.JWKS())
	fb, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", X509PEM: writeFile(t, dir, "x.pem", ca.X509BundlePEM()), JWKS: jwks}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name        string
		write       func() []byte
		wantChanged bool
		wantErr     bool
	}{
		{"unchanged", nil, false, false},
		{"rotated key", func() []byte { old := ca.JWTKeyID(); ca.RotateJWTKey(); ca.DropJWTKey(old); return ca.JWKS() }, true, false},
		{"broken file keeps old bundles", func() []byte { return []byte("{") }, false, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if s.write != nil {
				writeFile(t, dir, "jwks.json", s.write())
			}
			changed, err := fb.Reload()
			if changed != s.wantChanged || (err != nil) != s.wantErr {
				t.Fatalf("Reload = %v, %v; want changed=%v err=%v", changed, err, s.wantChanged, s.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "jwks.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			jb, _ := fb.GetJWTBundleForTrustDomain(ca.TrustDomain())
			if !jb.Equal(ca.JWTBundle()) {
				t.Fatal("JWT bundle is not the rotated one")
			}
		})
	}
}

func TestFileBundlesWithVerifier(t *testing.T) {
	dir := t.TempDir()
	ca := testca.New(t, "example.org")
	fb, err := NewFileBundles([]BundleFile{{TrustDomain: "example.org", SPIFFEBundle: writeFile(t, dir, "b.json", spiffeBundleJSON(t, ca))}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(Config{X509Bundles: fb, JWTBundles: fb, JWTAudiences: testAud, TrustDomains: []spiffeid.TrustDomain{ca.TrustDomain()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Credentials{{PeerCertificate: ca.NewX509SVID("/a").EnvoyLeaf()}, {Authorization: "Bearer " + ca.NewJWTSVID("/a", testAud)}} {
		if _, err := v.Verify(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
}
