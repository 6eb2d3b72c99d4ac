package authz

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// mcpTool is how an MCP route names a tools/call: Action::"<prefix><tool>"
// (per_tool) or its one tool action (tool_resource), on
// <toolType>::"<server>/<tool>".
type mcpTool struct {
	prefix   string          // per_tool
	action   types.EntityUID // tool_resource
	server   string
	toolType types.EntityType
	pins     map[string]string // tool -> pin (mcp_drift.go)
	fold     bool              // argument_names: fold (query_mcp_fold.go)
}

// errToolDrift is a call of a pinned tool a listing saw drifted.
var errToolDrift = errors.New("the tool's definition changed since it was pinned in the manifest; calls are refused until the pin is updated")

func mcpTools(m *manifest.Manifest) []mcpTool {
	var out []mcpTool
	for _, r := range m.Rules() {
		if mr := r.MCPRule(); mr != nil {
			t := mcpTool{server: mr.Server, toolType: mr.ToolEntityType(), pins: mr.Pins, fold: mr.FoldArgumentNames}
			if mr.Mode == manifest.MCPToolResource {
				t.action = mr.ToolAction()
			} else {
				t.prefix = mr.ActionPrefix
			}
			out = append(out, t)
		}
	}
	return out
}

// tool is the tool a query's action and resource name under t, and
// whether the action is t's tool call at all.
func (t mcpTool) tool(action, res types.EntityUID) (tool string, isCall, fits bool) {
	if t.prefix != "" {
		name, ok := strings.CutPrefix(string(action.ID), t.prefix)
		if action.Type != "Action" || !ok || name == "" {
			return "", false, false
		}
		return name, true, res == types.NewEntityUID(t.toolType, types.String(t.server+"/"+name))
	}
	if action != t.action {
		return "", false, false
	}
	name, ok := strings.CutPrefix(string(res.ID), t.server+"/")
	return name, true, ok && name != "" && res.Type == t.toolType
}

// checkMCP holds a tool call query to what the Envoy door guarantees by
// parsing one body: the action, the resource and context.mcp name the same
// server and tool (and method tools/call). A disagreement is a denial, as
// Mcp-Name disagreeing with the body is. What context.mcp leaves out of
// a tool call is filled in, as the door's mcpContext always has it. A call
// of a tool drift holds as drifted is errToolDrift, as at the door.
func (qs *queryShape) checkMCP(action, res types.EntityUID, ctx types.RecordMap, drift *driftSet) error {
	if err := qs.checkMCPNames(action, res, ctx); err != nil {
		return err
	}
	calls := 0
	for _, t := range qs.tools {
		tool, isCall, fits := t.tool(action, res)
		if !isCall {
			continue
		}
		calls++
		if !fits {
			continue
		}
		rec, _ := ctx["mcp"].(types.Record)
		for _, kv := range [...][2]string{{"server", t.server}, {"method", "tools/call"}, {"tool", tool}} {
			if v, ok := rec.Get(types.String(kv[0])); ok && v != types.String(kv[1]) {
				return fmt.Errorf("context.mcp.%s disagrees with the tool call %s on %s (want %q)", kv[0], uidString(action), uidString(res), kv[1])
			}
		}
		if pin, ok := t.pins[tool]; ok && drift.has(t.server, tool, pin) {
			return errToolDrift
		}
		if t.fold {
			var err error
			if rec, err = foldArguments(rec); err != nil {
				return err
			}
		}
		ctx["mcp"] = completeCall(rec, t.server, tool)
		return nil
	}
	if calls > 0 {
		return fmt.Errorf("resource %.120s is not the tool %s calls", uidString(res), uidString(action))
	}
	if _, has := ctx["mcp"]; has && !qs.mcpActions[action] {
		return fmt.Errorf("context.mcp: not accepted with %s, which no MCP route produces", uidString(action))
	}
	return nil
}

// mcpActions are the actions of MCP routes other than per-tool calls: the
// tool_resource call action and the method rules' actions.
func mcpActions(m *manifest.Manifest) map[types.EntityUID]bool {
	out := map[types.EntityUID]bool{}
	for _, r := range m.Rules() {
		mr := r.MCPRule()
		if mr == nil {
			continue
		}
		if mr.Mode == manifest.MCPToolResource {
			out[mr.ToolAction()] = true
		}
		for _, mm := range mr.MethodRules() {
			out[mm.Action()] = true
		}
	}
	return out
}

// completeCall is rec with what the Envoy door's context.mcp of a call of
// tool on server always has: server, method, tool and arguments (empty
// when none were sent).
func completeCall(rec types.Record, server, tool string) types.Record {
	m := rec.Map()
	if m == nil {
		m = types.RecordMap{}
	}
	for k, v := range map[types.String]types.Value{"server": types.String(server), "method": types.String("tools/call"),
		"tool": types.String(tool), "arguments": types.NewRecord(types.RecordMap{})} {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
	return types.NewRecord(m)
}
