package manifest

import (
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// Defaults of an mcp block.
const (
	defaultMCPAction   = "CallTool"
	defaultMCPToolType = "Tool"
	// MCPServerType is the Cedar type of an MCP server resource.
	MCPServerType = "McpServer"
)

func (d *decoder) compileMCP(rr *rawRoute, r *Rule) error {
	raw, key := rr.mcp, rr.key+".mcp"
	mr := &MCPRule{exact: map[string]*MCPMethod{}, tools: map[string]bool{}}
	if err := d.mcpHTTPMethods(rr, r); err != nil {
		return err
	}
	for _, c := range r.captures {
		if slices.Contains(mcpCaptureNames(), c) {
			// It would take the place of the message's value in the
			// methods' resource templates: the client picks the path.
			return d.errorf(rr.pathLine, rr.key+".match.path", "capture {%s} is reserved on an mcp route for the message's %s; rename it", c, c)
		}
	}
	if err := d.mcpBasics(raw, key, mr); err != nil {
		return err
	}
	if err := d.mcpTools(raw, key, mr); err != nil {
		return err
	}
	for i := range raw.methods {
		if err := d.mcpMethodRule(&raw.methods[i], r.captures, mr); err != nil {
			return err
		}
	}
	mr.protocolRules()
	slices.SortFunc(mr.prefixes, func(a, b mcpPrefix) int { return len(b.prefix) - len(a.prefix) })
	slices.Sort(mr.actionNames)
	mr.actionNames = slices.Compact(mr.actionNames)
	r.mcp, r.MCP = mr, mr.MCPRoute.clone()
	return nil
}

// mcpEndpointMethods are the HTTP methods of a Streamable HTTP endpoint:
// the session's close, the server's SSE stream and the messages.
var mcpEndpointMethods = []string{"DELETE", "GET", "POST"}

// mcpHTTPMethods makes an mcp route cover its endpoint's GET, POST and
// DELETE, whichever of them the match names: each is decided as its own
// action, so leaving the stream or the close unrouted only breaks
// sessions (no_route), it restricts nothing that policy cannot.
func (d *decoder) mcpHTTPMethods(rr *rawRoute, r *Rule) error {
	for _, m := range r.Methods {
		if !slices.Contains(mcpEndpointMethods, m) {
			return d.errorf(rr.matchLine, rr.key+".match", "method %q: an mcp route serves its endpoint's GET (stream), POST and DELETE (close); write method: POST or omit it", m)
		}
	}
	r.Methods = slices.Clone(mcpEndpointMethods)
	return nil
}

func (d *decoder) mcpBasics(raw *rawMCP, key string, mr *MCPRule) error {
	if raw.serverLine == 0 || raw.server == "" || strings.ContainsFunc(raw.server, isControl) || strings.Contains(raw.server, "/") {
		return d.errorf(raw.line, key+".server", "required: a tool namespace without \"/\", such as github")
	}
	switch raw.responses {
	case "", "policy":
	case "deny":
		mr.DenyResponses = true
	case "allow":
		return d.errorf(max(raw.responsesLine, raw.line), key+".responses", "%s: omit it (a response is Action::%q, decided by policy) or write deny",
			neverGrants, MCPResponseAction)
	default:
		return d.errorf(max(raw.responsesLine, raw.line), key+".responses", "must be policy or deny, not %q", raw.responses)
	}
	switch raw.argNames {
	case "", "exact":
	case "fold":
		mr.FoldArgumentNames = true
	default:
		return d.errorf(raw.line, key+".argument_names", "must be exact or fold, not %q", raw.argNames)
	}
	mr.Server, mr.MaxBodyBytes = raw.server, raw.maxBody
	mr.MaxValues, mr.MaxArgumentDepth = raw.maxValues, raw.maxArgDepth
	if mr.MaxBodyBytes == 0 {
		mr.MaxBodyBytes = mcp.DefaultMaxBytes
	}
	if mr.MaxValues == 0 {
		mr.MaxValues = mcp.DefaultMaxValues
	}
	if mr.MaxArgumentDepth == 0 {
		mr.MaxArgumentDepth = mcp.DefaultMaxArgumentDepth
	}
	mr.ToolType = raw.toolType
	if mr.ToolType == "" {
		mr.ToolType = defaultMCPToolType
	}
	t, err := types.NewEntityType(mr.ToolType)
	if err != nil {
		return d.errorf(raw.line, key+".tool_type", "%q is not a Cedar entity type", mr.ToolType)
	}
	mr.toolType = t
	return nil
}

func (d *decoder) mcpTools(raw *rawMCP, key string, mr *MCPRule) error {
	mr.Mode, mr.Tools, mr.Pins = raw.mode, raw.tools, raw.pins
	for _, t := range raw.tools {
		mr.tools[t] = true
	}
	switch raw.mode {
	case MCPPerTool:
		if raw.actionLine != 0 {
			return d.errorf(raw.actionLine, key+".action", "per_tool mode derives actions from tool names; use action_prefix")
		}
		mr.ActionPrefix = raw.server + "."
		if raw.prefixSet {
			mr.ActionPrefix = raw.prefix
		}
		if reachesReserved(mr.ActionPrefix) {
			return d.errorf(max(raw.prefixLine, raw.line), key+".action_prefix", "%q: tool actions would reach the reserved %q namespace "+
				"(a tool named %q would be Action::%q); use a non-empty prefix such as \"%s.\"",
				mr.ActionPrefix, MCPProtocolPrefix, strings.TrimPrefix(MCPProtocolPrefix+"ping", mr.ActionPrefix),
				MCPProtocolPrefix+"ping", raw.server)
		}
		for _, t := range raw.tools {
			mr.actionNames = append(mr.actionNames, mr.ActionPrefix+t)
		}
	case MCPToolResource:
		if raw.prefixLine != 0 {
			return d.errorf(raw.prefixLine, key+".action_prefix", "only for per_tool mode")
		}
		mr.Action = raw.action
		if mr.Action == "" {
			mr.Action = defaultMCPAction
		}
		a, err := parseActionName(mr.Action)
		if err != nil {
			return d.errorf(raw.actionLine, key+".action", "%v", err)
		}
		mr.toolAction, mr.actionNames = a, append(mr.actionNames, mr.Action)
	default:
		return d.errorf(max(raw.modeLine, raw.line), key+".mode", "must be %s or %s, not %q", MCPPerTool, MCPToolResource, raw.mode)
	}
	return nil
}

func (d *decoder) mcpMethodRule(mm *rawMCPMethod, captures []string, mr *MCPRule) error {
	if err := checkMCPMethodName(mm.name); err != nil {
		return d.errorf(mm.line, mm.key, "%v", err)
	}
	rule := &MCPMethod{}
	switch {
	case mm.action != "":
		if err := d.mcpPolicyRule(mm, captures, mr, rule); err != nil {
			return err
		}
	case mm.verdict == "deny":
		rule.verdict = VerdictDeny
	case mm.verdict == "allow":
		return d.errorf(mm.line, mm.key, "%s: map the method to an action ({action: ...}; a protocol method left out is Action::\"%s<method>\") and let IAM's policy permit it, or write deny",
			neverGrants, MCPProtocolPrefix)
	default:
		return d.errorf(mm.line, mm.key, "must be deny or {action: ..., resource: ...}, not %q", mm.verdict)
	}
	if p, ok := strings.CutSuffix(mm.name, "*"); ok {
		mr.prefixes = append(mr.prefixes, mcpPrefix{prefix: p, m: rule})
	} else {
		mr.exact[mm.name] = rule
	}
	if mr.Methods == nil {
		mr.Methods = map[string]string{}
	}
	mr.Methods[mm.name] = mm.verdict + mm.action
	return nil
}

func (d *decoder) mcpPolicyRule(mm *rawMCPMethod, captures []string, mr *MCPRule, rule *MCPMethod) error {
	a, err := parseActionName(mm.action)
	if err != nil {
		return d.errorf(mm.line, mm.key+".action", "%v", err)
	}
	rule.verdict, rule.name, rule.action = VerdictPolicy, mm.action, a
	resType, resID := mm.resType, mm.resID
	if mm.resLine == 0 {
		resType, resID = MCPServerType, "{server}"
	}
	if rule.resType, err = types.NewEntityType(resType); err != nil {
		return d.errorf(mm.resLine, mm.key+".resource.type", "%q is not a Cedar entity type", resType)
	}
	all := append(slices.Clone(captures), mcpCaptureNames()...)
	if rule.idParts, err = parseIDTemplate(resID, all); err != nil {
		return d.errorf(mm.idLine, mm.key+".resource.id", "bad template %q: %v", resID, err)
	}
	mr.actionNames = append(mr.actionNames, mm.action)
	return nil
}

// checkMCPMethodName accepts a method name or "prefix/*". tools/call is
// governed by the mode, never by methods.
func checkMCPMethodName(name string) error {
	base := strings.TrimSuffix(name, "*")
	switch {
	case name == "tools/call":
		return errString("tools/call is authorized per tool by mode; do not list it in methods")
	case base == "" || strings.ContainsAny(base, "* \t") || strings.ContainsFunc(base, isControl):
		return errString("not an MCP method name or \"prefix/*\" pattern")
	case strings.HasSuffix(name, "*") && !strings.HasSuffix(base, "/"):
		return errString("a pattern must end in \"/*\", such as notifications/*")
	}
	return nil
}

// neverGrants starts the error for a manifest that tries to allow.
const neverGrants = `"allow" is not accepted: a manifest declares, it never grants`

type errString string

func (e errString) Error() string { return string(e) }

// parseActionName reads ReadOrder or a full UID such as Acme::Action::"x".
func parseActionName(a string) (types.EntityUID, error) {
	switch {
	case strings.TrimSpace(a) == "" || a != strings.TrimSpace(a) || strings.ContainsFunc(a, isControl):
		return types.EntityUID{}, errString("an action must be a non-empty name without surrounding spaces")
	case strings.Contains(a, "::"):
		var uid types.EntityUID
		if err := uid.UnmarshalCedar([]byte(a)); err != nil {
			return uid, errString("not a Cedar entity UID such as Orders::Action::\"read\"")
		}
		return uid, checkUnreserved(uid)
	}
	uid := types.NewEntityUID("Action", types.String(a))
	return uid, checkUnreserved(uid)
}

// errReserved refuses a manifest action in Tollgate's protocol namespace.
// IAM's baseline permits Action::"mcp:<method>" broadly (every caller may
// ping); a route, tool or method mapped there would get that grant.
var errReserved = errString("actions starting with \"" + MCPProtocolPrefix + "\" are reserved for the MCP protocol methods " +
	"Tollgate maps itself; name your own action")

func checkUnreserved(uid types.EntityUID) error {
	if strings.HasPrefix(string(uid.ID), MCPProtocolPrefix) {
		return errReserved
	}
	return nil
}

// reachesReserved says a per_tool action prefix lets some tool name make
// an action in the reserved namespace ("", "mc", "mcp:x.").
func reachesReserved(prefix string) bool {
	return strings.HasPrefix(prefix, MCPProtocolPrefix) || strings.HasPrefix(MCPProtocolPrefix, prefix)
}
