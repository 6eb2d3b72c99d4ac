package subject

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// Refresh bounds of remoteKeys.
const (
	// MinKeyRefresh: a token naming a key the cache lacks refreshes the
	// JWKS at most this often, so forged tokens cannot make Tollgate
	// fetch the issuer's keys once per request.
	MinKeyRefresh = 30 * time.Second
	// MaxKeyAge: keys older than this are refetched (rotation without a
	// new kid).
	MaxKeyAge    = 15 * time.Minute
	maxJWKSBytes = 1 << 20
)

var _ oidc.KeySet = (*remoteKeys)(nil)

// remoteKeys is an issuer's JWKS, cached and refreshed with the bounds
// above. go-oidc's RemoteKeySet refetches on every signature it cannot
// verify, which an attacker controls.
type remoteKeys struct {
	url    string
	client *http.Client
	now    func() time.Time

	mu       sync.Mutex
	keys     []jose.JSONWebKey
	tried    time.Time // last fetch attempt
	fetched  time.Time // last successful fetch
	fetching bool
}

func newRemoteKeys(ctx context.Context, url string, client *http.Client, now func() time.Time) (*remoteKeys, error) {
	r := &remoteKeys{url: url, client: client, now: now}
	keys, err := r.fetch(ctx)
	if err != nil {
		return nil, err
	}
	r.keys, r.tried, r.fetched = keys, now(), now()
	return r, nil
}

// VerifySignature implements oidc.KeySet.
func (r *remoteKeys) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(raw, joseAlgs())
	if err != nil {
		return nil, fmt.Errorf("parsing jwt: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("want exactly one signature")
	}
	kid := jws.Signatures[0].Header.KeyID
	for _, k := range r.keysFor(ctx, kid) {
		if kid != "" && k.KeyID != kid {
			continue
		}
		if payload, err := jws.Verify(k); err == nil {
			return payload, nil
		}
	}
	return nil, errors.New("no key of the issuer verifies the signature")
}

// keysFor returns the cached keys, refreshing them first when they are
// old, or when kid is unknown and the last attempt is MinKeyRefresh ago.
// One caller fetches; the others go on with the cached keys meanwhile, so
// a slow issuer never stalls every request.
func (r *remoteKeys) keysFor(ctx context.Context, kid string) []jose.JSONWebKey {
	r.mu.Lock()
	now := r.now()
	stale := now.Sub(r.fetched) > MaxKeyAge
	if r.fetching || (!stale && hasKey(r.keys, kid)) || now.Sub(r.tried) < MinKeyRefresh {
		keys := r.keys
		r.mu.Unlock()
		return keys
	}
	r.fetching, r.tried = true, now
	r.mu.Unlock()
	keys, err := r.fetch(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fetching = false
	if err == nil { // on failure the cached keys stay in use
		r.keys, r.fetched = keys, r.now()
	}
	return r.keys
}

func hasKey(keys []jose.JSONWebKey, kid string) bool {
	for _, k := range keys {
		if kid == "" || k.KeyID == kid {
			return true
		}
	}
	return false
}

// fetch reads the JWKS; r.mu is not held.
func (r *remoteKeys) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("jwks: %s answered %s", r.url, resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	keys := set.Keys[:0]
	for _, k := range set.Keys {
		if k.Valid() && k.IsPublic() && (k.Use == "" || k.Use == "sig") {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("jwks: %s holds no public signing keys", r.url)
	}
	return keys, nil
}

func joseAlgs() []jose.SignatureAlgorithm {
	out := make([]jose.SignatureAlgorithm, len(AllowedAlgs))
	for i, a := range AllowedAlgs {
		out[i] = jose.SignatureAlgorithm(a)
	}
	return out
}
