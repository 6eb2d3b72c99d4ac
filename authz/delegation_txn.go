package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
)

// DefaultTxnHeader is the header of draft-ietf-oauth-transaction-tokens.
const DefaultTxnHeader = "txn-token"

var errBothTokens = errors.New("a request carries one subject credential, not both")

// TxnDelegation configures OAuth Transaction Tokens: the subject comes
// from a token the trust domain's token service minted for the
// transaction. The subject becomes the same entity as a subject token's
// (Delegation.EntityType) and its requesting workloads (req_wl, latest
// first) context.delegation.
type TxnDelegation struct {
	// Header is the (lower-case) request header (default txn-token).
	Header string
	// Verifier is a *subject.TxnVerifier.
	Verifier SubjectVerifier
	// Bind is the rule tying the token to the caller (subject.BindTxn).
	Bind subject.TxnBinding
	// TrustDomain is the token's trust domain: the caller must belong
	// to it under every rule.
	TrustDomain spiffeid.TrustDomain
	// Context is what reaches the Cedar context beyond the subject.
	Context TxnContext
}

var _ SubjectVerifier = (*subject.TxnVerifier)(nil)

// TxnContext is what a Txn-Token adds to the Cedar context, each only when
// configured: context.txn_id (String), context.txn_scope (Set<String>)
// and context.tctx (a record of the named tctx members, typed as JWT
// claims are).
type TxnContext struct {
	ID    bool
	Scope bool
	TCtx  []string
}

func (t *TxnDelegation) context() *TxnContext {
	if t == nil {
		return nil
	}
	c := t.Context
	return &c
}

func validateTxn(t *TxnDelegation, subjectHeader string) (*TxnDelegation, error) {
	c := *t
	c.Header = strings.ToLower(c.Header)
	if c.Header == "" {
		c.Header = DefaultTxnHeader
	}
	if _, err := subject.ParseTxnBinding(string(c.Bind)); err != nil {
		return nil, err
	}
	switch {
	case c.Verifier == nil:
		return nil, fmt.Errorf("txn-token delegation needs a verifier")
	case c.Header == subjectHeader:
		return nil, fmt.Errorf("the txn-token header %q is also the subject token header", c.Header)
	case c.TrustDomain.IsZero():
		return nil, fmt.Errorf("txn-token delegation needs the token's trust domain")
	}
	return &c, nil
}

// verifyTxn verifies a Txn-Token and binds it to the caller.
func (e *Engine) verifyTxn(ctx context.Context, raw string, id *identity.Identity) (*subject.Subject, error) {
	t := e.deleg.Txn
	s, err := t.Verifier.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	if s.Txn == nil {
		return nil, &subject.Error{Reason: subject.ReasonInvalid, Err: errors.New("the verifier returned no transaction")}
	}
	return s, subject.BindTxn(s, t.Bind, id.ID.MemberOf(t.TrustDomain), e.isCaller(id))
}

// addTxn adds the configured Txn-Token attributes (addTxnAttrs describes
// them; keep the two in step).
func addTxn(ctx types.RecordMap, txn *subject.Txn, c *TxnContext) {
	if c == nil {
		return
	}
	if c.ID {
		ctx["txn_id"] = types.String(txn.ID)
	}
	if c.Scope {
		ctx["txn_scope"] = stringSet(txn.Scope)
	}
	if len(c.TCtx) > 0 {
		ctx["tctx"] = claimsRecord(txn.TCtx, c.TCtx)
	}
}

// addTxnAttrs describes what addTxn builds: all absent on a request
// without a Txn-Token.
func addTxnAttrs(out map[string]ctxAttr, c *TxnContext) {
	if c.ID {
		out["txn_id"] = ctxAttr{fits: isType[resolved.StringType], want: "String"}
	}
	if c.Scope {
		out["txn_scope"] = ctxAttr{fits: isStringSet, want: "Set<String>"}
	}
	if len(c.TCtx) > 0 {
		out["tctx"] = claimsAttr(c.TCtx)
	}
}
