package identity

import (
	"context"
	"testing"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

var benchCaches = []struct {
	name string
	size int
}{{"cached", 0}, {"uncached", -1}}

func benchVerify(b *testing.B, cacheSize int, creds func(*env) Credentials) {
	e := newEnv(b, func(cfg *Config) { cfg.CacheSize = cacheSize })
	c := creds(e)
	ctx := context.Background()
	if _, err := e.v.Verify(ctx, c); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.v.Verify(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyX509(b *testing.B) {
	for _, bc := range benchCaches {
		b.Run(bc.name, func(b *testing.B) {
			benchVerify(b, bc.size, func(e *env) Credentials {
				return Credentials{PeerCertificate: e.ca.NewX509SVID("/svc").EnvoyLeaf()}
			})
		})
	}
}

func BenchmarkVerifyJWT(b *testing.B) {
	for _, bc := range benchCaches {
		b.Run(bc.name, func(b *testing.B) {
			benchVerify(b, bc.size, func(e *env) Credentials {
				return Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)}
			})
		})
	}
}

func BenchmarkVerifyXFCC(b *testing.B) {
	for _, bc := range benchCaches {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, func(cfg *Config) {
				cfg.CacheSize = bc.size
				cfg.XFCC = &XFCCConfig{TrustedHops: []spiffeid.ID{envoyID}}
			})
			c := Credentials{Hop: envoyID, XFCC: header(elem(e.ca.NewX509SVID("/svc")))}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.v.Verify(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
