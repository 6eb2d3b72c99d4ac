package authz

import (
	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/identity"
)

// PrincipalEntity is the Cedar principal the engine builds for a verified
// identity: Workload::"<spiffe id>" with trust_domain and path (and
// namespace and service_account for /ns/<ns>/sa/<sa> paths). Offline tools
// use it so their requests match serve's.
func PrincipalEntity(id identity.Identity) types.Entity { return principalEntity(&id) }

// principalAttrs are the attributes principalEntity can set (held in step
// by TestPrincipalAttrsMatchMapper); the policy shape check reads them.
func principalAttrs() []string {
	return []string{"trust_domain", "path", "namespace", "service_account"}
}
