package manifest

import (
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
)

// sharedWarnings reports routes of different manifest files (different
// teams) that produce the same Cedar action or the same MCP server, and
// routes of any files with an action inside another route's per_tool
// namespace (action_prefix + any tool name a client sends). Tollgate cannot know which team owns an
// action, so it cannot refuse this; but every IAM permit written for one
// team's requests applies to the other's, so it must be visible. Routes of
// one file share freely. The protocol defaults (Action::"mcp:<method>")
// are everyone's and are not compared; their resource is the server,
// which is.
func (m *Manifest) sharedWarnings(w *warnList) {
	owner := map[types.EntityUID]*Rule{}
	servers := map[string]*Rule{}
	for _, r := range m.routes {
		if w.full() {
			return
		}
		for _, a := range r.declaredActions() {
			if prev := owner[a]; prev == nil {
				owner[a] = r
			} else if prev.File != r.File {
				w.add(m.shareWarning(r, prev, "action "+a.String()))
			}
		}
		if r.mcp == nil {
			continue
		}
		if prev := servers[r.mcp.Server]; prev == nil {
			servers[r.mcp.Server] = r
		} else if prev.File != r.File {
			w.add(m.shareWarning(r, prev, fmt.Sprintf("MCP server %q (its McpServer and Tool resources)", r.mcp.Server)))
		}
	}
	m.prefixWarnings(w)
}

// prefixWarnings compares each per_tool namespace, which takes any tool
// name a client sends, with the actions and namespaces of the other routes
// (in any file), once per pair of routes.
func (m *Manifest) prefixWarnings(w *warnList) {
	var perTool []int // indexes of the per_tool routes, usually few
	for i, r := range m.routes {
		if _, ok := perToolPrefix(r); ok {
			perTool = append(perTool, i)
		}
	}
	for _, i := range perTool {
		p := m.routes[i]
		for j, r := range m.routes {
			if w.full() {
				return
			}
			_, rPerTool := perToolPrefix(r)
			if j == i || rPerTool && j < i || r.mcp != nil && r.mcp.Server == p.mcp.Server && r.File == p.File {
				continue // itself, a pair seen from r, or two endpoints of one server
			}
			what, ok := prefixOverlap(p, r)
			if !ok {
				what, ok = prefixOverlap(r, p)
			}
			if ok {
				later, earlier := r, p
				if j < i {
					later, earlier = p, r
				}
				w.add(m.shareWarning(later, earlier, what))
			}
		}
	}
}

// prefixOverlap says an action of r, or r's own per_tool namespace, lies
// in p's per_tool namespace (or p's in r's).
func prefixOverlap(p, r *Rule) (string, bool) {
	pre, ok := perToolPrefix(p)
	if !ok {
		return "", false
	}
	if other, ok := perToolPrefix(r); ok && (strings.HasPrefix(other, pre) || strings.HasPrefix(pre, other)) {
		return fmt.Sprintf("the per_tool actions Action::\"%s<tool>\" and Action::\"%s<tool>\"", other, pre), true
	}
	for _, a := range r.declaredActions() {
		if a.Type == "Action" && strings.HasPrefix(string(a.ID), pre) {
			return fmt.Sprintf("action %s, in the per_tool actions Action::\"%s<tool>\"", a, pre), true
		}
	}
	return "", false
}

func perToolPrefix(r *Rule) (string, bool) {
	if r.mcp == nil || r.mcp.Mode != MCPPerTool {
		return "", false
	}
	return r.mcp.ActionPrefix, true
}

// declaredActions are the actions a route maps requests to, besides the
// protocol defaults: its action, or its MCP tool and method actions.
func (r *Rule) declaredActions() []types.EntityUID {
	mr := r.mcp
	if mr == nil {
		return []types.EntityUID{r.action}
	}
	var out []types.EntityUID
	if mr.Mode == MCPToolResource {
		out = append(out, mr.toolAction)
	}
	for _, t := range mr.Tools {
		if mr.Mode == MCPPerTool {
			out = append(out, types.NewEntityUID("Action", types.String(mr.ActionPrefix+t)))
		}
	}
	for _, mm := range mr.MethodRules() {
		if mm.verdict == VerdictPolicy && !strings.HasPrefix(string(mm.action.ID), MCPProtocolPrefix) {
			out = append(out, mm.action)
		}
	}
	return out
}

func (m *Manifest) shareWarning(r, prev *Rule, what string) string {
	return fmt.Sprintf("%s:%d: warning: route %q maps to %s, as route %q does (%s:%d): "+
		"an IAM permit written for either route's requests also allows the other's; give each team its own actions, "+
		"resource types and MCP servers, and each per_tool route its own action_prefix",
		m.fileOf(r), r.Line, r.Name, what, prev.Name, m.fileOf(prev), prev.Line)
}

// fileOf is the route's file: set by LoadAll, else the manifest's.
func (m *Manifest) fileOf(r *Rule) string {
	if r.File != "" {
		return r.File
	}
	return m.file
}
