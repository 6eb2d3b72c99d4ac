package authz

import (
	"context"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// decideMCPSession decides the endpoint's requests that carry no JSON-RPC
// message: the GET that opens the server's SSE stream (Action::"mcp:stream")
// and the DELETE that closes the session (Action::"mcp:close"), both on
// McpServer::"<server>". A denial is a plain HTTP denial: nothing in the
// request expects a JSON-RPC answer.
func (e *Engine) decideMCPSession(r *Request, d *Decision, st *checkState, c *mcpCall) {
	mr := c.rt.MCPRule()
	d.MCP = &MCPInfo{ID: "null", RPCCode: mcp.CodePermissionDenied, NoAnswer: true}
	st.mcp.index = -1
	var rule *manifest.MCPMethod
	switch r.Method {
	case "GET":
		rule = mr.Stream()
	case "DELETE":
		rule = mr.Close()
	default: // HEAD, routed to GET routes: no MCP meaning
		d.settle(Denied(CodeMCPHTTPMethod, "an MCP endpoint serves GET (stream), POST and DELETE (close), not "+r.Method))
		return
	}
	st.mcp.method = rule.Name()
	if len(r.Body) > 0 || r.ContentLength > 0 {
		// A body the upstream may read as a message Tollgate did not decide.
		d.settle(Denied(CodeMCPUnexpectedBody, "an MCP "+r.Method+" carries no body"))
		return
	}
	if code, reason := sessionHeaderProblem(r); reason != "" {
		d.settle(Denied(code, reason))
		return
	}
	base, err := e.mapper.context(r, c.id, c.dl, c.path, c.now, 1)
	if err != nil {
		d.settle(Denied(CodeBadSignal, err.Error()))
		return
	}
	defer e.mapper.release(base)
	resource := types.NewEntityUID(rule.ResourceType(), types.String(mr.Server))
	st.action, d.Action, d.Resource = rule.Name(), uidString(rule.Action()), uidString(resource)
	base["mcp"] = types.NewRecord(types.RecordMap{
		"server":    types.String(mr.Server),
		"method":    types.String(rule.Name()),
		"arguments": types.NewRecord(types.RecordMap{}),
	})
	in := assembleFor(e.mapper.principals.get(c.id), rule.Action(), resource, base)
	applyPolicy(d, st, e.evaluate(in, st, c.dl))
}

// decideMCPEndpoint dispatches an MCP endpoint's request by HTTP method.
func (e *Engine) decideMCPEndpoint(ctx context.Context, r *Request, d *Decision, st *checkState, c *mcpCall) {
	if r.Method == "POST" {
		e.decideMCP(ctx, r, d, st, c)
		return
	}
	e.decideMCPSession(r, d, st, c)
}
