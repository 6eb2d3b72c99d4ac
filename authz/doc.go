// Package authz makes Tollgate's decision for one request.
//
// An Engine verifies the caller's SPIFFE identity (through an Identifier),
// normalises the request path (NormalizePath), finds the route in the app
// team's Manifest, maps the request to a Cedar request and asks IAM's
// policies (through Policies). It allows only on an explicit, error-free
// permit: every missing input, error or ambiguity is a denial.
//
// # Separation of authorship
//
// App teams write the manifest: for each route of their service, the Cedar
// action and resource it is. A manifest cannot grant anything; keys such
// as permit, forbid or principal, and Cedar policy text, are rejected with
// ErrGrantInManifest. IAM writes the Cedar policies (package policy).
//
// # Route matching
//
// Path templates have literal segments, {name} (exactly one segment) and,
// last only, {name...} (one or more segments). Matching is case sensitive
// and runs on the normalised path. At the first segment where two matching
// templates differ, a literal beats {name}, which beats {name...}; a route
// that lists the request method beats one accepting any method. gRPC
// routes (/pkg.Service/Method, or /pkg.Service/* for every method) match
// only gRPC calls (POST, content-type application/grpc*) and take
// precedence over path routes; they offer {service} and {method}
// captures to the resource id template.
//
// # Cedar request
//
// The principal is Workload::"<spiffe id>" with attributes trust_domain,
// path and, for IDs of the exact form /ns/<namespace>/sa/<account>,
// namespace and service_account. The action is Action::"<name>" (or the
// full UID written in the manifest). The resource is the route's type with
// the id rendered from its captures. The context holds method, path
// (normalised), host (lower-case, no port), scheme, tls, time,
// source_address (an ipaddr, omitted when unknown), the configured
// Signals, and for JWT-SVID callers the configured claims as context.jwt.
//
// # Observability
//
// Every Check writes one INFO "decision" line to the configured logger and
// counts tollgate_decisions_total{decision, action, code, trust_domain}
// and tollgate_check_duration_seconds. Neither ever holds a header,
// credential, query string, body or claim value.
package authz
