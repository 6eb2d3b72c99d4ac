package server

import (
	"context"
	"fmt"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// buildTxn builds the Txn-Token verifier (running OIDC discovery when the
// keys are not a static file) and the engine's settings; nil when
// identity.delegation.txn_token is not set.
func buildTxn(ctx context.Context, t *config.TxnToken) (*authz.TxnDelegation, error) {
	if t == nil {
		return nil, nil
	}
	wrap := func(err error) error { return fmt.Errorf("server: identity.delegation.txn_token: %w", err) }
	td, err := spiffeid.TrustDomainFromString(t.TrustDomain)
	if err != nil {
		return nil, wrap(err)
	}
	bind, err := subject.ParseTxnBinding(t.Bind)
	if err != nil {
		return nil, wrap(err)
	}
	v, err := subject.NewTxn(ctx, subject.TxnConfig{Issuer: t.Issuer, JWKSFile: t.JWKS, Audience: t.Audience,
		Algs: t.Algorithms, MaxLifetime: t.MaxLifetime})
	if err != nil {
		return nil, wrap(err)
	}
	return &authz.TxnDelegation{Header: t.Header, Verifier: v, Bind: bind, TrustDomain: td, Context: *txnContext(t)}, nil
}

// txnContext is what Txn-Tokens add to the Cedar context.
func txnContext(t *config.TxnToken) *authz.TxnContext {
	if t == nil {
		return nil
	}
	return &authz.TxnContext{ID: t.ContextTxnID, Scope: t.ContextScope, TCtx: t.TCtxClaims}
}
