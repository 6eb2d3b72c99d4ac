package authz

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
)

// SubjectVerifier verifies the token of the party a workload acts for.
// *subject.Verifier implements it.
type SubjectVerifier interface {
	Verify(ctx context.Context, raw string) (*subject.Subject, error)
}

var _ SubjectVerifier = (*subject.Verifier)(nil)

// EntityLookup reads IAM's entity data. policy.Store and policy.Snapshot
// implement it; the engine uses it (when its Policies do) to map client
// ids to workloads.
type EntityLookup interface {
	Entity(uid types.EntityUID) (types.Entity, bool)
}

// Defaults of Delegation.
const (
	DefaultSubjectType        types.EntityType = "User"
	DefaultClientIDsAttribute string           = "client_ids"
)

// Delegation configures subject tokens: the party a workload acts for.
type Delegation struct {
	// Header is the (lower-case) request header carrying the token.
	Header   string
	Verifier SubjectVerifier
	// Bind lists the binding claims in order; the first the token
	// carries must name the caller (subject.Bind).
	Bind []subject.Claim
	// Claims are copied, typed, into context.subject.
	Claims []string
	// LogClaims (a subset of Claims) are written to the decision log.
	LogClaims []string
	// EntityType is the subject's Cedar type (default User).
	EntityType types.EntityType
	// ClientIDsAttribute is the Workload attribute of IAM's entity data
	// listing the OAuth client ids of that workload (default client_ids).
	ClientIDsAttribute string
	// Entities is IAM's entity data, for ClientIDsAttribute; nil uses the
	// engine's Policies when they implement EntityLookup. Without either,
	// only the SPIFFE ID itself binds.
	Entities EntityLookup
	// Txn, when set, accepts OAuth Transaction Tokens too
	// (delegation_txn.go). Header, Verifier and Bind may then be left
	// empty, for Txn-Tokens only.
	Txn *TxnDelegation
}

// DelegationContext is what delegation adds to the Cedar context; the
// mapper and the policy checks derive from it.
type DelegationContext struct {
	EntityType types.EntityType
	Claims     []string
	// Txn is what Txn-Tokens add; nil when they are off.
	Txn *TxnContext
}

// Context is the part of d the Cedar context depends on.
func (d *Delegation) Context() *DelegationContext {
	if d == nil {
		return nil
	}
	return &DelegationContext{EntityType: d.EntityType, Claims: d.Claims, Txn: d.Txn.context()}
}

func validateDelegation(d *Delegation, pol Policies) (*Delegation, error) {
	if d == nil {
		return nil, nil
	}
	c := *d
	if lk, ok := pol.(EntityLookup); ok && c.Entities == nil {
		c.Entities = lk
	}
	c.Header = strings.ToLower(c.Header)
	switch {
	case c.Header == "" && c.Verifier == nil && c.Txn != nil:
		// Txn-Tokens only.
	case c.Header == "" || c.Verifier == nil:
		return nil, fmt.Errorf("delegation needs a header and a verifier")
	case len(c.Bind) == 0:
		return nil, fmt.Errorf("delegation needs at least one binding claim")
	}
	if c.Txn != nil {
		t, err := validateTxn(c.Txn, c.Header)
		if err != nil {
			return nil, err
		}
		c.Txn = t
	}
	if c.EntityType == "" {
		c.EntityType = DefaultSubjectType
	}
	if c.EntityType == WorkloadType {
		// The subject would overlay, or stand in for, a principal.
		return nil, fmt.Errorf("delegation entity type must not be %s", WorkloadType)
	}
	if c.ClientIDsAttribute == "" {
		c.ClientIDsAttribute = DefaultClientIDsAttribute
	}
	return &c, nil
}

// delegated is a verified, bound subject token.
type delegated struct {
	entity types.Entity
	actors []string
	claims map[string]any
	txn    *subject.Txn // set for a Txn-Token
}

// delegate verifies and binds the request's subject token or Txn-Token.
// Neither header: no subject (nil, true). A present but refused token
// denies the request, and so do both headers at once: which one speaks
// for the request would be the client's choice.
func (e *Engine) delegate(ctx context.Context, r *Request, id *identity.Identity, d *Decision, st *checkState) (*delegated, bool) {
	dc := e.deleg
	if dc == nil {
		return nil, true
	}
	raw, present := "", false
	if dc.Header != "" {
		raw, present = r.Headers[dc.Header]
	}
	txnRaw, txnPresent, txnHeader := "", false, ""
	if dc.Txn != nil {
		txnHeader = dc.Txn.Header
		txnRaw, txnPresent = r.Headers[txnHeader]
	}
	var s *subject.Subject
	var err error
	switch {
	case underscoreSpelling(r.Headers, dc.Header, txnHeader):
		err = &subject.Error{Reason: subject.ReasonInvalid, Err: errUnderscoreHeader}
	case present && txnPresent:
		err = &subject.Error{Reason: subject.ReasonInvalid, Err: errBothTokens}
	case txnPresent:
		s, err = e.verifyTxn(ctx, txnRaw, id)
	case present:
		if s, err = dc.Verifier.Verify(ctx, raw); err == nil {
			err = subject.Bind(s, dc.Bind, e.isCaller(id))
		}
	default:
		return nil, true
	}
	if err != nil {
		refuseDelegation(d, err)
		return nil, false
	}
	dl := &delegated{entity: types.Entity{UID: types.NewEntityUID(dc.EntityType, types.String(s.ID))},
		actors: s.Actors, claims: s.Claims, txn: s.Txn}
	d.Subject, d.Delegation = uidString(dl.entity.UID), append([]string(nil), s.Actors...)
	if s.Txn != nil {
		d.Txn = s.Txn.ID
	}
	st.subjectClaims = loggedClaims(s.Claims, dc.LogClaims)
	return dl, true
}

func refuseDelegation(d *Decision, err error) {
	reason := subject.ReasonOf(err)
	msg := "subject token refused: "
	switch {
	case errors.Is(err, errBothTokens):
		msg = "both a subject token and a Txn-Token: "
	case errors.Is(err, errUnderscoreHeader):
		msg = "a subject token header spelled with underscores: "
	}
	d.settle(Denied(delegationCode(reason), msg+string(reason)))
}

// isCaller reports whether a binding value names the caller: its SPIFFE
// ID, or a client id that IAM's entity data lists for its Workload.
func (e *Engine) isCaller(id *identity.Identity) func(string) bool {
	me := id.ID.String()
	return func(v string) bool {
		if v == me {
			return true
		}
		if e.deleg.Entities == nil {
			return false
		}
		w, ok := e.deleg.Entities.Entity(types.NewEntityUID(WorkloadType, types.String(me)))
		if !ok {
			return false
		}
		return hasClientID(w, e.deleg.ClientIDsAttribute, v)
	}
}

func hasClientID(w types.Entity, attr, v string) bool {
	val, ok := w.Attributes.Get(types.String(attr))
	if !ok {
		return false
	}
	switch x := val.(type) {
	case types.String:
		return string(x) == v
	case types.Set:
		return x.Contains(types.String(v))
	}
	return false
}

// addDelegation adds the subject to the context: on_behalf_of, the actor
// chain as a set (delegation) and its length, and the configured claims.
func addDelegation(ctx types.RecordMap, dl *delegated, claims []string, txn *TxnContext) {
	actors := make([]types.Value, len(dl.actors))
	for i, a := range dl.actors {
		actors[i] = types.String(a)
	}
	ctx["on_behalf_of"] = dl.entity.UID
	ctx["delegation"] = types.NewSet(actors...)
	ctx["delegation_length"] = types.Long(len(dl.actors))
	if len(claims) > 0 {
		ctx["subject"] = claimsRecord(dl.claims, claims)
	}
	if dl.txn != nil {
		addTxn(ctx, dl.txn, txn)
	}
}

// loggedClaims keeps the claims marked safe to log, scalars only.
func loggedClaims(claims map[string]any, names []string) map[string]any {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string]any, len(names))
	for _, n := range names {
		switch v := claims[n].(type) {
		case string, bool, float64:
			out[n] = v
		}
	}
	return out
}
