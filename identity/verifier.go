package identity

import (
	"context"
	"log/slog"
	"sync/atomic"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// Verifier verifies Credentials into an Identity. It is safe for concurrent
// use. Create it with NewVerifier.
type Verifier struct {
	cfg     Config
	trusted map[spiffeid.TrustDomain]struct{}
	m       *metrics
	gen     atomic.Uint64
	x509    *verifyCache
	jwt     *verifyCache
	xfcc    *verifyCache
}

// NewVerifier validates cfg and returns a ready Verifier. Configuration
// errors wrap ErrInvalidConfig.
func NewVerifier(cfg Config) (*Verifier, error) {
	cfg, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, err
	}
	v := &Verifier{cfg: cfg, m: m, trusted: make(map[spiffeid.TrustDomain]struct{}, len(cfg.TrustDomains))}
	for _, td := range cfg.TrustDomains {
		v.trusted[td] = struct{}{}
	}
	v.x509 = newVerifyCache(cfg.CacheSize, &v.gen)
	v.jwt = newVerifyCache(cfg.CacheSize, &v.gen)
	v.xfcc = newVerifyCache(cfg.CacheSize, &v.gen)
	return v, nil
}

// Verify returns the identity proven by the strongest credential present in
// c. A present but invalid credential is an error (no fallback to weaker
// sources); no credential at all is ReasonMissing wrapping ErrNoIdentity.
// Errors are always *Error.
func (v *Verifier) Verify(ctx context.Context, c Credentials) (Identity, error) {
	id, err := v.verify(ctx, c)
	if err != nil {
		v.m.failure(err)
		v.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "identity verification failed",
			slog.String("source", string(err.Source)), slog.String("reason", string(err.Reason)))
		return Identity{}, err
	}
	v.m.success(id.Source)
	return id, nil
}

func (v *Verifier) verify(ctx context.Context, c Credentials) (Identity, *Error) {
	if ctx.Err() != nil {
		return Identity{}, fail("", ReasonInternal, ctx.Err(), "")
	}
	if c.PeerCertificate != "" && v.cfg.X509Bundles != nil {
		return v.verifyPeerCert(c.PeerCertificate)
	}
	if c.SourcePrincipal != "" && v.cfg.TrustSourcePrincipal {
		return v.verifyPrincipal(c.SourcePrincipal)
	}
	if id, ok, err := v.verifyXFCC(c); ok || err != nil {
		return id, err
	}
	if token, ok, err := bearerToken(c.Authorization); v.cfg.JWTBundles != nil && (ok || err != nil) {
		if err != nil {
			return Identity{}, err
		}
		return v.verifyJWT(token)
	}
	if c.SourcePrincipal != "" {
		return Identity{}, fail("", ReasonMissing, ErrPrincipalIgnored, "")
	}
	return Identity{}, fail("", ReasonMissing, ErrNoIdentity, "")
}

// InvalidateCache forgets every cached verification. Call it whenever the
// trust bundles change (e.g. FileBundles.Reload reports a change).
func (v *Verifier) InvalidateCache() {
	v.gen.Add(1)
	v.x509.reset()
	v.jwt.reset()
	v.xfcc.reset()
}

// trustedDomain reports whether td is in Config.TrustDomains.
func (v *Verifier) trustedDomain(td spiffeid.TrustDomain) bool {
	_, ok := v.trusted[td]
	return ok
}
