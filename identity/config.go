package identity

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spiffe/go-spiffe/v2/bundle/jwtbundle"
	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// DefaultCacheSize bounds each verification cache when Config.CacheSize is 0.
const DefaultCacheSize = 10000

// DefaultClockSkew is how far in the future a JWT nbf or iat may be when
// Config.ClockSkew is 0. Expiry is never given leeway.
const DefaultClockSkew = 30 * time.Second

// Config configures a Verifier. At least one source (X509Bundles,
// TrustSourcePrincipal or JWTBundles) must be enabled.
type Config struct {
	// X509Bundles verifies forwarded peer certificates; nil disables the
	// X.509 source (PeerCertificate is then ignored).
	X509Bundles x509bundle.Source
	// JWTBundles verifies JWT-SVIDs; nil disables the JWT source
	// (Authorization is then ignored).
	JWTBundles jwtbundle.Source
	// TrustDomains lists the accepted trust domains. Required.
	TrustDomains []spiffeid.TrustDomain
	// TrustSourcePrincipal accepts the proxy's source principal as an
	// identity. Enable it only when the proxy itself verified the client's
	// SVID against the same trust bundles.
	TrustSourcePrincipal bool
	// JWTAudiences are the accepted JWT-SVID audiences; a token must name
	// at least one. Required when JWTBundles is set.
	JWTAudiences []string
	// XFCC enables x-forwarded-client-cert from trusted hops; nil ignores
	// the header.
	XFCC *XFCCConfig
	// Clock returns the current time; nil means time.Now.
	Clock func() time.Time
	// ClockSkew is the leeway for JWT nbf and iat; 0 means DefaultClockSkew,
	// negative means none.
	ClockSkew time.Duration
	// CacheSize bounds each verification cache; 0 means DefaultCacheSize,
	// negative disables caching.
	CacheSize int
	// Logger receives debug logs of failures; nil discards them.
	Logger *slog.Logger
	// Registerer registers the tollgate_identity_* metrics; nil skips it.
	Registerer prometheus.Registerer
}

// validate checks cfg and returns a copy with defaults applied.
func (cfg Config) validate() (Config, error) {
	if len(cfg.TrustDomains) == 0 {
		return cfg, configErr("TrustDomains is empty: list at least one accepted trust domain")
	}
	for i, td := range cfg.TrustDomains {
		if td.IsZero() {
			return cfg, configErr("TrustDomains[%d] is the zero trust domain", i)
		}
	}
	if cfg.X509Bundles == nil && cfg.JWTBundles == nil && !cfg.TrustSourcePrincipal && cfg.XFCC == nil {
		return cfg, configErr("no identity source enabled: set X509Bundles, JWTBundles, TrustSourcePrincipal or XFCC")
	}
	if err := cfg.validateJWT(); err != nil {
		return cfg, err
	}
	if err := cfg.XFCC.validate(); err != nil {
		return cfg, err
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	switch {
	case cfg.ClockSkew == 0:
		cfg.ClockSkew = DefaultClockSkew
	case cfg.ClockSkew < 0:
		cfg.ClockSkew = 0
	}
	if cfg.CacheSize == 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// validateJWT enforces a non-empty audience list: go-spiffe's
// jwtsvid.ParseAndValidate skips the audience check when it is empty.
func (cfg Config) validateJWT() error {
	if cfg.JWTBundles == nil {
		return nil
	}
	if len(cfg.JWTAudiences) == 0 {
		return configErr("JWTAudiences is empty but JWTBundles is set: list the audiences Tollgate accepts")
	}
	for i, a := range cfg.JWTAudiences {
		if a == "" {
			return configErr("JWTAudiences[%d] is empty", i)
		}
	}
	return nil
}
