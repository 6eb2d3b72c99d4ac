// Package authzen serves the OpenID AuthZEN Authorization API 1.0 Access
// Evaluation API for enforcement points that are not proxies (an MCP
// server's middleware, a workflow engine, a job runner):
//
//	POST /access/v1/evaluation             one decision
//	POST /access/v1/evaluations            a batch, with defaults and options.evaluations_semantic
//	GET  /.well-known/authzen-configuration the PDP metadata
//
// The enforcement point is authenticated by its X.509-SVID (the listener
// requires one, see internal/server) and must be on the allow-list. What
// it asks is an authz.Query: the subject, action, resource and context
// are its assertions, mapped by authz onto the request types the
// manifests produce and decided by the same engine, policies, decision
// log and metrics as the Envoy door.
//
// Answers follow the specification: a decision is always HTTP 200 with
// {"decision": bool, "context": {...}}, the context naming the decision
// id, code, reason and determining policies; a body that is not a
// well-formed request is HTTP 400 with an error message string.
package authzen
