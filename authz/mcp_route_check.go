package authz

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"slices"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/identity"
)

// mcpCall is what authorizing the messages of one MCP request needs.
type mcpCall struct {
	id   *identity.Identity
	dl   *delegated // the subject the caller acts for, or nil
	rt   *manifest.Rule
	vals []string
	path string
	now  time.Time
	base types.RecordMap // the request's context; "mcp" is set per message
	// policies decide every message (argumentReads); nil: Engine.policies.
	policies Policies
	// principal is the caller's entity, looked up once per request.
	principal types.Entity
}

// decideMCP authorizes every JSON-RPC message of an MCP request; the first
// denied message denies the whole request.
func (e *Engine) decideMCP(ctx context.Context, r *Request, d *Decision, st *checkState, c *mcpCall) {
	mr := c.rt.MCPRule()
	d.MCP = &MCPInfo{ID: "null", RPCCode: mcp.CodeInvalidRequest}
	st.mcp.index = -1
	if code, reason := bodyProblem(r, mr.MaxBodyBytes); reason != "" {
		d.settle(Denied(code, reason))
		return
	}
	var read func(string) bool
	c.policies, read = e.argumentReads()
	body, err := mcp.ParseContext(ctx, r.Body, mcp.Options{MaxBytes: mr.MaxBodyBytes, MaxValues: mr.MaxValues,
		MaxArgumentDepth: mr.MaxArgumentDepth, FoldArgumentNames: mr.FoldArgumentNames, ReadArgument: read})
	if err != nil {
		mcpRejected(d, st, err)
		return
	}
	st.mcp.messages = len(body.Messages)
	answerIDs(d.MCP, body.Batch, body.RequestIDs(), false)
	if reason := headerProblem(r, body); reason != "" {
		d.settle(Denied(CodeMCPHeaderMismatch, reason))
		return
	}
	if c.base, err = e.mapper.context(r, c.id, c.dl, c.path, c.now, 1); err != nil {
		d.settle(Denied(CodeBadSignal, err.Error()))
		return
	}
	defer e.mapper.release(c.base)
	c.principal = e.mapper.principals.get(c.id)
	for i := range body.Messages {
		m := &body.Messages[i]
		st.mcp.method, st.mcp.tool, st.mcp.traceparent = m.Method, m.Tool, m.Traceparent
		if !e.mcpMessage(d, st, c, m) {
			d.MCP.ID, d.MCP.RPCCode = rawID(m.ID), mcp.CodePermissionDenied
			// A posted response expects 202 or an HTTP error: a JSON-RPC
			// error in a 200 is dropped and the server waits forever.
			d.MCP.NoAnswer = d.MCP.NoAnswer || m.Response
			if body.Batch {
				st.mcp.index = i
				d.Detail = fmt.Sprintf("batch element %d: %s", i, d.Detail)
			}
			return
		}
	}
}

// answerIDs records what a JSON-RPC answer to a denial names: the request
// ids, or no answer at all when nothing in the body expects one (only
// notifications and responses). answered says that the body expects an
// answer even without a valid request id (a rejected body).
func answerIDs(info *MCPInfo, batch bool, ids []json.RawMessage, answered bool) {
	info.Batch = batch
	for _, id := range ids {
		info.IDs = append(info.IDs, string(id))
	}
	if !batch && len(ids) == 1 {
		info.ID = string(ids[0])
	}
	info.NoAnswer = len(ids) == 0 && !answered
}

// mcpMessage authorizes one message.
func (e *Engine) mcpMessage(d *Decision, st *checkState, c *mcpCall, m *mcp.Message) bool {
	mr := c.rt.MCPRule()
	t := mr.Target(m, c.vals)
	if t.Verdict != manifest.VerdictPolicy {
		// Policies that allowed earlier elements did not decide this.
		d.Policies = nil
		if m.Response {
			d.settle(Denied(CodeMCPResponseDenied, "JSON-RPC responses are not accepted on this route"))
		} else {
			d.settle(Denied(CodeMCPMethodDenied, "the MCP method is not allowed on this route"))
		}
		return false
	}
	st.action, d.Action, d.Resource = t.Label, uidString(t.Action), uidString(t.Resource)
	if m.Method == "tools/call" && e.driftDenied(d, c, m.Tool) {
		d.Policies = nil
		return false
	}
	c.base["mcp"] = mcpContext(mr, m) // NewRecord copies the map
	in := assembleFor(c.principal, t.Action, t.Resource, c.base)
	prev := d.Policies
	applyPolicy(d, st, e.evaluateWith(c.policies, in, st, c.dl))
	if d.Outcome != Allow {
		return false
	}
	for _, p := range prev {
		if !slices.Contains(d.Policies, p) {
			d.Policies = append(d.Policies, p)
		}
	}
	return true
}

// mcpContext is context.mcp: server, method, arguments (an empty record
// unless tools/call or prompts/get sent some) and, when present, tool,
// uri and prompt.
func mcpContext(mr *manifest.MCPRule, m *mcp.Message) types.Record {
	args := m.Arguments
	if args.Len() == 0 {
		args = types.NewRecord(types.RecordMap{})
	}
	rec := types.RecordMap{
		"server":    types.String(mr.Server),
		"method":    types.String(m.Method),
		"arguments": args,
	}
	if m.Tool != "" {
		rec["tool"] = types.String(m.Tool)
	}
	if m.URI != "" {
		rec["uri"] = types.String(m.URI)
	}
	if m.Prompt != "" {
		rec["prompt"] = types.String(m.Prompt)
	}
	return types.NewRecord(rec)
}

// bodyProblem refuses a body that is over the limit or not whole.
func bodyProblem(r *Request, limit int) (code Code, reason string) {
	switch {
	case r.ContentLength > int64(limit) || len(r.Body) > limit:
		return CodeMCPTooLarge, fmt.Sprintf("the MCP body is over the route's limit of %d bytes", limit)
	case r.BodyTruncated:
		return CodeMCPTruncated, "the MCP body did not reach Tollgate whole (truncated or not forwarded by the proxy)"
	case r.ContentLength >= 0 && r.ContentLength != int64(len(r.Body)):
		return CodeMCPTruncated, "the MCP body does not match its Content-Length"
	case encoded(r.Headers["content-encoding"]):
		return CodeMCPEncoded, "the MCP body has a Content-Encoding: the server would read other bytes than Tollgate parsed"
	case !utf8Charset(r.Headers["content-type"]):
		return CodeMCPEncoded, "the MCP body's Content-Type names a charset other than UTF-8: the server would decode other text than Tollgate parsed"
	}
	return CodeInternal, ""
}

// encoded reports a Content-Encoding other than none or identity.
func encoded(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && !strings.EqualFold(v, "identity")
}

// utf8Charset reports a Content-Type that names no charset, or UTF-8. A
// server decoding the body by another charset (the TypeScript SDK decodes
// by any charset iconv-lite knows, UTF-7 included) reads other text from
// the same bytes; a charset parameter that cannot be read is refused too.
func utf8Charset(ct string) bool {
	if !strings.Contains(strings.ToLower(ct), "charset") {
		return true
	}
	_, params, err := mime.ParseMediaType(ct)
	cs := strings.ToLower(params["charset"])
	return err == nil && (cs == "utf-8" || cs == "utf8")
}

func mcpRejected(d *Decision, st *checkState, err error) {
	reason := mcp.ReasonOf(err)
	d.MCP.RPCCode = reason.RPCCode()
	msg := "invalid MCP body: " + string(reason)
	var me *mcp.Error
	if errors.As(err, &me) {
		answerIDs(d.MCP, me.Batch, me.IDs, !me.NoAnswer)
		st.mcp.detail = me.Msg // offsets and key paths, never values
		if me.Index >= 0 {
			st.mcp.index = me.Index
			msg = fmt.Sprintf("batch element %d: %s", me.Index, msg)
		}
	}
	d.settle(Denied(mcpBodyCode(reason), msg))
}

func rawID(id []byte) string {
	if id == nil {
		return "null"
	}
	return string(id)
}
