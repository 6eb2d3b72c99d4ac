package authz

import (
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity"
)

// FixedContext is the context the mapper builds for an HTTPS request with
// no signals and no JWT claims: the attributes every request has. Offline
// tools that start from a Cedar request (tollgate test) lay a case's own
// context over it, so the case is a request Tollgate could build.
func FixedContext(method, path, host string, now time.Time) types.RecordMap {
	var m mapper
	ctx, _ := m.context(&Request{Method: method, Host: host, Scheme: "https", TLS: true},
		&identity.Identity{}, nil, path, now, 0) // no signals: it cannot fail
	return ctx
}
