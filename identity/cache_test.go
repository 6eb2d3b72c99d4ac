package identity

import (
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func TestCacheHitReturnsSameResult(t *testing.T) {
	e := newEnv(t, nil)
	creds := map[string]Credentials{
		"x509": {PeerCertificate: e.ca.NewX509SVID("/svc").EnvoyLeaf()},
		"jwt":  {Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)},
	}
	for kind, c := range creds {
		t.Run(kind, func(t *testing.T) {
			first, err := e.verify(c)
			if err != nil {
				t.Fatal(err)
			}
			second, err := e.verify(c)
			if err != nil {
				t.Fatal(err)
			}
			if first.ID != second.ID || first.Source != second.Source || !first.ExpiresAt.Equal(second.ExpiresAt) {
				t.Fatalf("cached %+v != first %+v", second, first)
			}
			if hits := e.counter(t, "tollgate_identity_cache_total", map[string]string{"cache": kind, "result": "hit"}); hits != 1 {
				t.Fatalf("hits = %v, want 1", hits)
			}
			if misses := e.counter(t, "tollgate_identity_cache_total", map[string]string{"cache": kind, "result": "miss"}); misses != 1 {
				t.Fatalf("misses = %v, want 1", misses)
			}
		})
	}
}

func TestCacheNeverServesExpired(t *testing.T) {
	e := newEnv(t, nil)
	exp := time.Now().Add(10 * time.Minute)
	svid := e.ca.NewX509SVID("/svc", testca.WithValidity(time.Now().Add(-time.Minute), exp))
	tests := []struct {
		name string
		c    Credentials
	}{
		{"x509", Credentials{PeerCertificate: svid.EnvoyLeaf()}},
		{"jwt", Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud, testca.WithExpiry(exp))}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.now.Store(nil)
			if _, err := e.verify(tc.c); err != nil {
				t.Fatal(err)
			}
			e.setNow(exp.Add(time.Second))
			_, err := e.verify(tc.c)
			want{reason: ReasonExpired}.check(t, Identity{}, err)
		})
	}
}

func TestInvalidateCacheAfterKeyRotation(t *testing.T) {
	e := newEnv(t, nil)
	oldKID := e.ca.JWTKeyID()
	c := Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)}
	if _, err := e.verify(c); err != nil {
		t.Fatal(err)
	}
	e.ca.RotateJWTKey()
	e.ca.DropJWTKey(oldKID)
	e.jwt.Add(e.ca.JWTBundle())
	if _, err := e.verify(c); err != nil {
		t.Fatalf("before InvalidateCache the cached result stands: %v", err)
	}
	e.v.InvalidateCache()
	_, err := e.verify(c)
	want{reason: ReasonBadSignature, is: ErrBadSignature}.check(t, Identity{}, err)
	fresh := Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)}
	if _, err := e.verify(fresh); err != nil {
		t.Fatalf("token from the new key: %v", err)
	}
}

func TestCacheIsBounded(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CacheSize = 2 })
	for i := 0; i < 5; i++ {
		if _, err := e.verify(Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.v.jwt.len(); n != 2 {
		t.Fatalf("cache holds %d entries, want 2", n)
	}
}

func TestCacheDisabled(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CacheSize = -1 })
	c := Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", testAud)}
	for i := 0; i < 2; i++ {
		if _, err := e.verify(c); err != nil {
			t.Fatal(err)
		}
	}
	if hits := e.counter(t, "tollgate_identity_cache_total", map[string]string{"cache": "jwt", "result": "hit"}); hits != 0 {
		t.Fatalf("hits = %v with cache disabled", hits)
	}
}

func TestCacheDoesNotStoreFailures(t *testing.T) {
	e := newEnv(t, nil)
	c := Credentials{Authorization: "Bearer " + e.ca.NewJWTSVID("/svc", []string{"other"})}
	for i := 0; i < 2; i++ {
		_, err := e.verify(c)
		want{reason: ReasonWrongAudience}.check(t, Identity{}, err)
	}
	if n := e.v.jwt.len(); n != 0 {
		t.Fatalf("cache holds %d entries after failures", n)
	}
}
