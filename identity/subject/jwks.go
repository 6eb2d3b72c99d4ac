package subject

import (
	"crypto"
	"encoding/json"
	"fmt"
	"os"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// loadJWKS reads a static JWKS file of public keys. A key whose use is
// not "sig" (when set) is skipped, as discovery's keyset skips it.
func loadJWKS(path string) (*oidc.StaticKeySet, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("%w: jwks %s: %w", ErrConfig, path, err)
	}
	ks := &oidc.StaticKeySet{}
	for _, k := range set.Keys {
		if !k.Valid() || !k.IsPublic() {
			return nil, fmt.Errorf("%w: jwks %s: key %q is not a valid public key", ErrConfig, path, k.KeyID)
		}
		if k.Use != "" && k.Use != "sig" {
			continue // not a signing key (use: enc), as discovery's keys
		}
		ks.PublicKeys = append(ks.PublicKeys, crypto.PublicKey(k.Key))
	}
	if len(ks.PublicKeys) == 0 {
		return nil, fmt.Errorf("%w: jwks %s: no signing keys", ErrConfig, path)
	}
	return ks, nil
}
