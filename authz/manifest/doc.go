// Package manifest is the app teams' manifest language: which Cedar action
// and resource each route of a service is. It decodes manifests strictly
// (Load, LoadAll, Parse: errors name file, line and
// key), validates and compiles them, and finds the route of a request
// (Manifest.Lookup, on the path as NormalizePath or ResolvePath reads it).
//
// The compiled form is what package authz's engine reads: a Rule per
// route (its Cedar action, resource type and ResourceFor the captured
// values), an MCPRule per MCP endpoint (MCPRule.Target says how one
// JSON-RPC message is authorized) and an MCPMethod per methods entry.
// They are immutable once compiled and safe for concurrent use.
//
// # Separation of authorship
//
// App teams write the manifest: for each route of their service, the Cedar
// action and resource it is. A manifest cannot grant anything; keys such
// as permit, forbid or principal, and Cedar policy text, are rejected with
// ErrGrant. IAM writes the Cedar policies (package policy).
//
// # Route matching
//
// Path templates have literal segments, {name} (exactly one segment) and,
// last only, {name...} (one or more segments). Matching runs on the
// normalised path, case sensitive unless the manifest declares
// path_case: insensitive. A path the upstream could read differently is
// refused rather than guessed at (see NormalizePath and ResolvePath). At
// the first segment where two matching templates differ, a literal beats
// {name}, which beats {name...}. The most specific template decides: a
// route of it that lists the request method beats one accepting any
// method, HEAD is served by a GET route, and a method it does not accept
// is denied, never passed on to a weaker template. gRPC
// routes (/pkg.Service/Method, or /pkg.Service/* for every method) match
// only gRPC calls (POST, content-type application/grpc*) and take
// precedence over path routes; they offer {service} and {method}
// captures to the resource id template.
package manifest
