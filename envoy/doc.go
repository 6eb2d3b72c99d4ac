// Package envoy is Tollgate's edge for Envoy: it speaks Envoy's ext_authz
// v3 gRPC protocol and translates between the wire and authz.Request /
// authz.Decision. The answer to a denial (Deny) is built here once and is
// also what the forward-auth listener (internal/forwardauth: nginx, Caddy,
// Traefik, Envoy's http_service) answers.
//
// Domain outcomes become HTTP statuses and gRPC codes only here. A denial is
// always a CheckResponse carrying a denied status, never a transport error,
// so Envoy's failure_mode_allow can never turn a denial into an allow.
package envoy
