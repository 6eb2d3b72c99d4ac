package authz

import (
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// checkMCPRoute checks the actions of an MCP route against the schema.
func checkMCPRoute(m *manifest.Manifest, r *manifest.Rule, s *resolved.Schema, provided map[string]ctxAttr) []error {
	var errs []error
	for _, a := range r.MCPRule().PolicyActions() {
		if _, ok := s.Actions[a.Action]; !ok && a.IfDeclared {
			continue
		}
		for _, msg := range checkAction(a.Action, a.ResourceType, s, provided) {
			errs = append(errs, &SchemaMismatchError{File: m.FileOf(r), Line: r.Line,
				Route: r.Name, Action: a.Action.String(), Msg: msg})
		}
	}
	return errs
}
