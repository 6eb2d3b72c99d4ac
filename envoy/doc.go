// Package envoy is Tollgate's edge: it speaks Envoy's ext_authz v3 gRPC
// protocol (and the plain-HTTP authorization mode) and translates between
// the wire and authz.Request / authz.Decision.
//
// Domain outcomes become HTTP statuses and gRPC codes only here. A denial is
// always a CheckResponse carrying a denied status, never a transport error,
// so Envoy's failure_mode_allow can never turn a denial into an allow.
package envoy
