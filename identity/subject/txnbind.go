package subject

import "fmt"

// TxnBinding is the rule that ties a Txn-Token to the workload presenting
// it. The draft gives one fact about who may hold a token: req_wl, the
// workloads that requested it (or a replacement) from the token service.
type TxnBinding string

// The Txn-Token binding rules. Every rule also requires the caller to be
// in the token's trust domain.
const (
	// TxnBindChain: some req_wl entry names the caller (the default).
	TxnBindChain TxnBinding = "chain"
	// TxnBindRequester: the latest req_wl entry names the caller, the
	// workload the token service last issued the token to.
	TxnBindRequester TxnBinding = "requester"
	// TxnBindTrustDomain: any workload of the trust domain; req_wl is not
	// read. The token service's trust boundary is then the whole trust
	// domain, and a token leaked to any workload of it can be replayed.
	TxnBindTrustDomain TxnBinding = "trust_domain"
)

// ParseTxnBinding validates a binding rule name.
func ParseTxnBinding(s string) (TxnBinding, error) {
	switch b := TxnBinding(s); b {
	case TxnBindChain, TxnBindRequester, TxnBindTrustDomain:
		return b, nil
	}
	return "", fmt.Errorf("%w: txn-token binding %q is not chain, requester or trust_domain", ErrConfig, s)
}

// BindTxn checks that the Txn-Token s may be presented by the caller.
// inDomain reports whether the caller belongs to the token's trust
// domain; isCaller whether a req_wl value names the caller (its SPIFFE
// ID, or a client id mapped to it). A token without req_wl is unbound
// unless the rule is TxnBindTrustDomain.
func BindTxn(s *Subject, rule TxnBinding, inDomain bool, isCaller func(string) bool) error {
	if s.Txn == nil {
		return unbound("not a txn-token")
	}
	if !inDomain {
		return unbound("the caller is outside the token's trust domain")
	}
	req := s.Txn.Requesters
	switch rule {
	case TxnBindTrustDomain:
		return nil
	case TxnBindRequester:
		if len(req) > 0 && isCaller(req[len(req)-1]) {
			return nil
		}
		return unbound("the latest req_wl entry does not name the caller")
	case TxnBindChain:
		for _, r := range req {
			if isCaller(r) {
				return nil
			}
		}
		return unbound("no req_wl entry names the caller")
	}
	return unbound("unknown binding rule")
}

func unbound(why string) error {
	return &Error{Reason: ReasonUnbound, Err: fmt.Errorf("%w: %s", ErrUnbound, why)}
}
