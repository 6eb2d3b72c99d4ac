package subject

import (
	"crypto"
	"encoding/json"
	"fmt"
	"os"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// loadJWKS reads a static JWKS file of public keys.
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
		ks.PublicKeys = append(ks.PublicKeys, crypto.PublicKey(k.Key))
	}
	if len(ks.PublicKeys) == 0 {
		return nil, fmt.Errorf("%w: jwks %s: no keys", ErrConfig, path)
	}
	return ks, nil
}
