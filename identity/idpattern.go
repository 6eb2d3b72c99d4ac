package identity

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// IDPattern names SPIFFE IDs: one exact ID, or, written with a "/*"
// suffix, every ID under a path of a trust domain
// ("spiffe://example.org/ns/shop/*" matches spiffe://example.org/ns/shop/sa/x
// but not spiffe://example.org/ns/shop or spiffe://example.org/ns/shopper).
// The zero IDPattern matches nothing.
type IDPattern struct {
	id     spiffeid.ID // the exact ID, or the base of a prefix
	prefix bool
}

// ErrBadPattern is wrapped by ParseIDPattern's errors.
var ErrBadPattern = errors.New("bad SPIFFE ID pattern")

// ParseIDPattern parses an exact SPIFFE ID or a "/*"-suffixed prefix. A
// "*" anywhere else, and a SPIFFE ID that does not parse, is an error
// wrapping ErrBadPattern.
func ParseIDPattern(s string) (IDPattern, error) {
	base, prefix := strings.CutSuffix(s, "/*")
	id, err := spiffeid.FromString(base)
	if err != nil {
		return IDPattern{}, fmt.Errorf("identity: %w %.128q: %w (write an exact SPIFFE ID, or a path prefix ending in /*)", ErrBadPattern, s, err)
	}
	if !prefix && id.Path() == "" {
		return IDPattern{}, fmt.Errorf("identity: %w %.128q: it names a trust domain, not a workload: write %s/* for every workload in it", ErrBadPattern, s, s)
	}
	return IDPattern{id: id, prefix: prefix}, nil
}

// Matches reports whether id is the pattern's ID, or under its prefix.
func (p IDPattern) Matches(id spiffeid.ID) bool {
	switch {
	case p.id.IsZero() || id.IsZero():
		return false
	case !p.prefix:
		return id == p.id
	}
	// Paths of parsed SPIFFE IDs have no empty or dot segments, so a
	// string prefix ending in "/" is a path prefix.
	return id.TrustDomain() == p.id.TrustDomain() && strings.HasPrefix(id.Path(), p.id.Path()+"/")
}

// IsZero reports whether p is the zero IDPattern.
func (p IDPattern) IsZero() bool { return p.id.IsZero() }

// TrustDomain is the trust domain the pattern's IDs are in.
func (p IDPattern) TrustDomain() spiffeid.TrustDomain { return p.id.TrustDomain() }

// String is the pattern as written.
func (p IDPattern) String() string {
	if p.prefix {
		return p.id.String() + "/*"
	}
	return p.id.String()
}
