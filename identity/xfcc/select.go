package xfcc

import (
	"fmt"
	"slices"
)

// Index values for Selection.
const (
	// IndexLast selects the last element, the default. Every proxy that
	// appends adds its element at the end, so the last element is the one
	// written by the proxy closest to us, the hop we can authenticate.
	// Earlier elements were asserted by hops further away and, if the edge
	// did not sanitize the header, by the client itself.
	IndexLast = "last"
	// IndexFirst selects the first element: the original client as seen by
	// the first proxy. Use it only when the edge proxy sanitizes the header
	// (Envoy SANITIZE_SET) and every later hop appends, and set TrustedBy so
	// the whole chain of custody is checked.
	IndexFirst = "first"
)

// Selection says which element of a parsed header describes the client.
type Selection struct {
	// Index is IndexLast (also when empty) or IndexFirst. Any other value is
	// an error (ErrInvalidSelection), never a silent default.
	Index string
	// TrustedBy lists the SPIFFE IDs of trusted proxies. When non-empty, the
	// selected element and every element after it must each have a By value
	// equal to one of them, else Select fails with ErrUntrustedHop.
	TrustedBy []string
}

// Select picks the element that describes the client and returns it with its
// index in elems (counted from 0).
//
// By is only as trustworthy as the connection it arrived on: a client that
// reaches us directly can write any By it likes. TrustedBy therefore helps
// only when the caller has also authenticated the hop that sent the request
// (for example from Envoy's source.principal) as one of those proxies.
func Select(elems []Element, policy Selection) (Element, int, error) {
	if len(elems) == 0 {
		return Element{}, 0, wrap(ErrNoElement)
	}
	var i int
	switch policy.Index {
	case "", IndexLast:
		i = len(elems) - 1
	case IndexFirst:
		i = 0
	default:
		return Element{}, 0, fmt.Errorf("xfcc: %w: index %q, want %q or %q",
			ErrInvalidSelection, policy.Index, IndexLast, IndexFirst)
	}
	if len(policy.TrustedBy) > 0 {
		for j := i; j < len(elems); j++ {
			if !trustedBy(elems[j], policy.TrustedBy) {
				return Element{}, 0, fmt.Errorf("xfcc: %w: element %d (of %d) has no trusted By",
					ErrUntrustedHop, j+1, len(elems))
			}
		}
	}
	return elems[i], i, nil
}

// trustedBy reports whether one of e's By values is in trusted.
func trustedBy(e Element, trusted []string) bool {
	for _, by := range e.By {
		if slices.Contains(trusted, by) {
			return true
		}
	}
	return false
}
