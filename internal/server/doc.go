// Package server assembles a running Tollgate from a validated config:
// identity sources, the policy store and its watcher, the authz engine, the
// ext_authz gRPC listener, the optional HTTP authorization listener and the
// admin listener (/metrics, /healthz, /readyz).
//
// New blocks until the first policy snapshot and trust bundles are loaded,
// or fails and cleans up. Close is idempotent.
package server
