// Package fakecheck is the decision source of the edge adapters' tests
// (envoy, internal/forwardauth): a Checker that answers a fixed decision.
package fakecheck

import (
	"context"

	"github.com/tollgate-authz/tollgate/authz"
)

// Recorder returns Decision (or panics, with Panics) and keeps the last
// request in Got. It is not safe for concurrent Checks.
type Recorder struct {
	Got      *authz.Request
	Decision authz.Decision
	Panics   bool
}

// Check implements envoy.Checker and forwardauth.Checker.
func (r *Recorder) Check(_ context.Context, req *authz.Request) authz.Decision {
	r.Got = req
	if r.Panics {
		panic("boom")
	}
	return r.Decision
}
