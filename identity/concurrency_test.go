package identity

import (
	"sync"
	"testing"
)

// TestConcurrentVerifyAndInvalidate exercises the cache under -race: valid
// credentials keep verifying while the cache is invalidated concurrently.
func TestConcurrentVerifyAndInvalidate(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CacheSize = 4 })
	creds := []Credentials{
		{PeerCertificate: e.ca.NewX509SVID("/a").EnvoyLeaf()},
		{Authorization: "Bearer " + e.ca.NewJWTSVID("/b", testAud)},
		{Authorization: "Bearer " + e.ca.NewJWTSVID("/c", testAud)},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for i := 0; i < 50; i++ {
				if _, err := e.verify(creds[(w+i)%len(creds)]); err != nil {
					errs <- err
				}
				if i%10 == 0 {
					e.v.InvalidateCache()
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Verify: %v", err)
	}
}
