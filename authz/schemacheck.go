package authz

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// ErrManifestSchema is wrapped by every *SchemaMismatchError: a manifest
// route whose requests do not fit IAM's schema.
var ErrManifestSchema = errors.New("manifest does not fit the policy schema")

// SchemaMismatchError is one manifest route that does not fit the schema,
// located by the manifest file and line of the route.
type SchemaMismatchError struct {
	File   string
	Line   int
	Route  string
	Action string // Cedar action UID
	Msg    string
}

func (e *SchemaMismatchError) Error() string {
	s := "authz: " + e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("%s: route %q: action %s: %s", s, e.Route, e.Action, e.Msg)
}

func (e *SchemaMismatchError) Unwrap() error { return ErrManifestSchema }

// never prefixes the messages of routes that no policy could ever allow.
const never = "requests on this route could never be authorized: "

// CheckManifest checks every route of m against IAM's schema s: the action
// exists, applies to principal type Workload and to the route's resource
// type, which exists; and the context the mapper builds (with these signals
// and JWT claims) fits the context the schema declares for the action.
// An MCP route is checked for each action it can ask about (see
// mcpRoute.schemaActions); a protocol action Action::"mcp:<method>" only
// when the schema declares it. All problems are returned together (errors.Join). A nil schema or
// manifest checks nothing.
func CheckManifest(m *manifest.Manifest, s *resolved.Schema, signals []Signal, jwtClaims []string) error {
	return checkManifest(m, s, mapperContext(signals, jwtClaims, nil, false))
}

// checkManifest is CheckManifest against the context provided.
func checkManifest(m *manifest.Manifest, s *resolved.Schema, provided map[string]ctxAttr) error {
	if m == nil || s == nil {
		return nil
	}
	var errs []error
	for _, r := range m.Rules() {
		if r.MCPRule() != nil {
			errs = append(errs, checkMCPRoute(m, r, s, provided)...)
			continue
		}
		if r.CedarAction().Type == "" {
			continue
		}
		for _, msg := range checkAction(r.CedarAction(), r.ResourceType(), s, provided) {
			errs = append(errs, &SchemaMismatchError{File: m.FileOf(r), Line: r.Line,
				Route: r.Name, Action: r.CedarAction().String(), Msg: msg})
		}
	}
	return errors.Join(errs...)
}

// checkAction checks that action exists, applies to Workload principals
// and resources of resType, and takes the context Tollgate provides.
func checkAction(action types.EntityUID, resType types.EntityType, s *resolved.Schema, provided map[string]ctxAttr) []string {
	a, ok := s.Actions[action]
	switch {
	case !ok:
		return []string{never + "the action is not declared in the schema"}
	case a.AppliesTo == nil:
		return []string{never + "the schema's action applies to no principal or resource"}
	}
	var msgs []string
	if !slices.Contains(a.AppliesTo.Principals, WorkloadType) {
		msgs = append(msgs, never+fmt.Sprintf("the action does not apply to principal type %s (it applies to %v)",
			WorkloadType, a.AppliesTo.Principals))
	}
	if !knownEntityType(s, resType) {
		msgs = append(msgs, never+fmt.Sprintf("resource type %s is not declared in the schema", resType))
	} else if !slices.Contains(a.AppliesTo.Resources, resType) {
		msgs = append(msgs, never+fmt.Sprintf("the action does not apply to resource type %s (it applies to %v)",
			resType, a.AppliesTo.Resources))
	}
	return append(msgs, checkContext(a.AppliesTo.Context, provided)...)
}

func knownEntityType(s *resolved.Schema, t types.EntityType) bool {
	if _, ok := s.Entities[t]; ok {
		return true
	}
	_, ok := s.Enums[t]
	return ok
}
