package server

import (
	"context"
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// buildDelegation builds the subject token verifier (running OIDC
// discovery for issuers without a static JWKS) and the engine's
// delegation settings; nil when identity.delegation is not set.
func buildDelegation(ctx context.Context, d *config.Delegation, entities authz.EntityLookup) (*authz.Delegation, error) {
	if d == nil {
		return nil, nil
	}
	txn, err := buildTxn(ctx, d.TxnToken)
	if err != nil {
		return nil, err
	}
	out := &authz.Delegation{Claims: d.Claims, LogClaims: d.LogClaims, EntityType: types.EntityType(d.EntityType),
		ClientIDsAttribute: d.ClientIDsAttribute, Entities: entities, Txn: txn}
	if len(d.Issuers) == 0 { // Txn-Tokens only
		return out, nil
	}
	sc := subject.Config{}
	for _, is := range d.Issuers {
		sc.Issuers = append(sc.Issuers, subject.Issuer{URL: is.Issuer, Audiences: is.Audiences, JWKSFile: is.JWKS, Algs: is.Algorithms,
			Types: is.TokenTypes})
	}
	v, err := subject.New(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("server: identity.delegation: %w", err)
	}
	bind := make([]subject.Claim, 0, len(d.Bind))
	for _, b := range d.Bind {
		c, err := subject.ParseClaim(b)
		if err != nil {
			return nil, fmt.Errorf("server: identity.delegation: %w", err)
		}
		bind = append(bind, c)
	}
	out.Header, out.Verifier, out.Bind = d.Header, v, bind
	return out, nil
}

// DelegationContext is what identity.delegation adds to the Cedar
// context, for the policy checks (serve and the offline tools).
func DelegationContext(d *config.Delegation) *authz.DelegationContext {
	if d == nil {
		return nil
	}
	return &authz.DelegationContext{EntityType: types.EntityType(d.EntityType), Claims: d.Claims, Txn: txnContext(d.TxnToken)}
}
