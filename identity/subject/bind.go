package subject

import "fmt"

// Claim names a token claim that binds the token to the workload it was
// issued to.
type Claim string

// The binding claims.
const (
	// BindAct: the outermost actor of the RFC 8693 act chain (the party
	// presenting the token now).
	BindAct Claim = "act"
	// BindAZP: the authorized party.
	BindAZP Claim = "azp"
	// BindClientID: the OAuth client the token was issued to.
	BindClientID Claim = "client_id"
)

// ParseClaim validates a binding claim name.
func ParseClaim(s string) (Claim, error) {
	switch c := Claim(s); c {
	case BindAct, BindAZP, BindClientID:
		return c, nil
	}
	return "", fmt.Errorf("%w: binding claim %q is not act, azp or client_id", ErrConfig, s)
}

// Bind checks that s was issued to the caller. The first claim of order
// that the token carries decides: its value must name the caller
// (isCaller reports whether a value is the calling SPIFFE ID or a client
// id mapped to it). A token carrying none of them is unbound too, so a
// token without a binding can never be replayed by another workload. A
// token whose sub names the caller too is the caller's own and unbound:
// a workload is never its own subject.
func Bind(s *Subject, order []Claim, isCaller func(string) bool) error {
	for _, c := range order {
		v, ok := s.binding(c)
		if !ok {
			continue
		}
		if !isCaller(v) {
			return &Error{Reason: ReasonUnbound, Err: fmt.Errorf("%w: %s names another party", ErrUnbound, c)}
		}
		if isCaller(s.ID) {
			// The caller's own token (client_credentials: sub is the
			// client id): it acts for no one, and must not become a user.
			return &Error{Reason: ReasonUnbound, Err: fmt.Errorf("%w: sub names the caller itself", ErrUnbound)}
		}
		return nil
	}
	return &Error{Reason: ReasonUnbound, Err: fmt.Errorf("%w: the token carries none of %v", ErrUnbound, order)}
}

func (s *Subject) binding(c Claim) (string, bool) {
	switch c {
	case BindAct:
		if len(s.Actors) > 0 {
			return s.Actors[0], true
		}
	case BindAZP:
		return s.AZP, s.AZP != ""
	case BindClientID:
		return s.ClientID, s.ClientID != ""
	}
	return "", false
}
