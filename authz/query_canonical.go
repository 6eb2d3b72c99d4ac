package authz

import (
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// canonicalAttr refuses a context.path, host, scheme or method that is not
// in the form the Envoy door gives policies: the door's path is
// NormalizePath's (or, behind a normalising proxy, ResolvePath's)
// canonical form, its host normalizeHost's, its scheme lower case. Policies
// are written against that form, so another spelling of the same request
// ("//admin", "ADMIN.example.org", "HTTP") would slip past a forbid. What
// the door refuses (malformed: a method that is not an upper-case token, a
// host that is not a host and port; a path with a raw space or a
// compatibility character) is refused here too.
func canonicalAttr(key string, v any, at func() string) error {
	s, isString := v.(string)
	if !isString {
		return nil // queryValue refused it
	}
	var ok bool
	switch key {
	case "path":
		ok = canonicalPath(s)
	case "host":
		ok = validHost(s) && normalizeHost(s) == s
	case "method":
		ok = manifest.IsMethodToken(s)
	case "scheme":
		// Envoy's :scheme and the forward-auth styles' scheme are only these.
		ok = s == "http" || s == "https"
	default:
		return nil
	}
	if !ok {
		return fmt.Errorf("%s: not in the normal form the Envoy door gives policies for context.%s (normalized path: "+
			"no query, raw space, control or compatibility character, dot or empty segments, trailing slash or "+
			"needless escapes; host: lower case, no port, userinfo or "+
			"trailing dot; scheme: http or https; method: an upper-case token)", at(), key)
	}
	return nil
}

// canonicalPath reports whether p is a path the Envoy door can give
// policies: its own normal form.
func canonicalPath(p string) bool {
	if manifest.RefusedPath(p) != "" {
		return false
	}
	if n, err := manifest.NormalizePath(p); err == nil && n == p {
		return true
	}
	n, err := manifest.ResolvePath(p)
	return err == nil && n == p
}

// queryMethods are the methods a context.path without a context.method is
// routed with.
var queryMethods = [...]string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// checkPathRoute refuses a context.path the Envoy door's router refuses as
// ambiguous_case (a case variant such as /ADMIN/users of a route that a
// case-insensitive upstream serves for it), routed with context.method, or
// with each common method when the query gives none.
func (qs *queryShape) checkPathRoute(ctx types.RecordMap) error {
	p, ok := ctx["path"].(types.String)
	if !ok {
		return nil
	}
	methods := queryMethods[:]
	if m, ok := ctx["method"].(types.String); ok {
		methods = []string{string(m)}
	}
	for _, m := range methods {
		if qs.manifest.Lookup(m, string(p), false, true, nil).BadPath == manifest.PathAmbiguousCase {
			return fmt.Errorf("context.path: a case variant of a route's path, which the Envoy door refuses (ambiguous_case)")
		}
	}
	return nil
}

// checkResourceID refuses the id of a resource an HTTP route produces when
// it holds a compatibility character: the Envoy door refuses every path
// that would capture one (compat_char), and an NFKC-normalising upstream
// reads Order::"１３" as 13. MCP names come from a body, not a path, and
// keep their own rules (checkMCPNames).
func (qs *queryShape) checkResourceID(action, res types.EntityUID) error {
	if qs.mcpActions[action] || qs.isToolCall(action, res) || !manifest.CompatChar(string(res.ID)) {
		return nil
	}
	return fmt.Errorf("resource.id: a compatibility character (not in NFKC form, or a best-fit separator), which the Envoy door refuses in a path (compat_char)")
}
