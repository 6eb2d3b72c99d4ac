package subject

import (
	"slices"
	"strings"
)

// Txn is what a Transaction Token carries beyond its subject.
type Txn struct {
	// ID is the txn claim: the transaction, across the whole call chain.
	ID string
	// Scope is the scope claim, split on spaces.
	Scope []string
	// Requesters is req_wl: the workloads that requested the token from
	// the token service, in the order it recorded them (the first
	// requester first, then each workload that obtained a replacement).
	Requesters []string
	// TCtx is the tctx claim (the transaction context), or nil.
	TCtx map[string]any
}

// TxnFromPayload reads a verified Txn-Token's JSON payload. It checks the
// shape only: sub, txn and scope non-empty strings; tctx and rctx, when
// present, objects; req_wl, when present, a comma-separated string (the
// current draft, top level) or, as earlier drafts put it in rctx, a
// string or a list of strings. When both are present they must agree.
// At most MaxActors requesters. The requesters become Actors, the latest
// first, so context.delegation reads like an act chain.
func TxnFromPayload(payload []byte) (*Subject, error) {
	claims, err := decodeClaims(payload)
	if err != nil {
		return nil, err
	}
	s := &Subject{Claims: claims, Txn: &Txn{}}
	s.Issuer, _ = claims["iss"].(string)
	for name, dst := range map[string]*string{"sub": &s.ID, "txn": &s.Txn.ID} {
		v, ok := claims[name].(string)
		if !ok || v == "" {
			return nil, fail(ReasonInvalid, "%s is missing or not a string", name)
		}
		*dst = v
	}
	scope, ok := claims["scope"].(string)
	if s.Txn.Scope = strings.Fields(scope); !ok || len(s.Txn.Scope) == 0 {
		return nil, fail(ReasonInvalid, "scope is missing or not a string")
	}
	rctx, err := optionalObject(claims, "rctx")
	if err != nil {
		return nil, err
	}
	if s.Txn.TCtx, err = optionalObject(claims, "tctx"); err != nil {
		return nil, err
	}
	if s.Txn.Requesters, err = requesters(claims, rctx); err != nil {
		return nil, err
	}
	s.Actors = make([]string, len(s.Txn.Requesters))
	for i, r := range s.Txn.Requesters {
		s.Actors[len(s.Actors)-1-i] = r
	}
	return s, nil
}

func optionalObject(claims map[string]any, name string) (map[string]any, error) {
	v, present := claims[name]
	if !present {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fail(ReasonInvalid, "%s is not an object", name)
	}
	return m, nil
}

// requesters reads req_wl from the top level and from rctx.
func requesters(claims, rctx map[string]any) ([]string, error) {
	top, topOK := claims["req_wl"]
	inner, innerOK := rctx["req_wl"]
	var a, b []string
	var err error
	if topOK {
		if a, err = workloadList(top); err != nil {
			return nil, err
		}
	}
	if innerOK {
		if b, err = workloadList(inner); err != nil {
			return nil, err
		}
	}
	if topOK && innerOK && !slices.Equal(a, b) {
		return nil, fail(ReasonInvalid, "req_wl and rctx.req_wl disagree")
	}
	if topOK {
		return a, nil
	}
	return b, nil
}

// workloadList reads "a,b" or ["a","b"]; entries are trimmed of spaces
// and must not be empty.
func workloadList(v any) ([]string, error) {
	var parts []string
	switch x := v.(type) {
	case string:
		parts = strings.Split(x, ",")
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fail(ReasonInvalid, "req_wl holds a non-string")
			}
			parts = append(parts, s)
		}
	default:
		return nil, fail(ReasonInvalid, "req_wl is not a string or a list of strings")
	}
	if len(parts) == 0 || len(parts) > MaxActors {
		return nil, fail(ReasonInvalid, "req_wl names no workload or more than %d", MaxActors)
	}
	for i, p := range parts {
		if parts[i] = strings.TrimSpace(p); parts[i] == "" {
			return nil, fail(ReasonInvalid, "req_wl has an empty entry")
		}
	}
	return parts, nil
}
