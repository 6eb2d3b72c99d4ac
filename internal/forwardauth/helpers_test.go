package forwardauth

import (
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/testutil/fakecheck"
)

// allowDecision is the engine's allow for spiffe://example.org/web.
func allowDecision() authz.Decision {
	d := authz.Allowed(&identity.Identity{ID: spiffeid.RequireFromString("spiffe://example.org/web")})
	d.ID = "d-1"
	return d
}

// recorder is a Checker that returns a fixed decision and keeps the request.
type recorder = fakecheck.Recorder
