package authz

import (
	"context"
	"fmt"
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// Listing is the answer to FilterTools.
type Listing struct {
	// Decision is Allow when the caller was verified and the request is
	// on an MCP route; any other outcome means no tool may be shown.
	Decision Decision
	// Keep says, for each list and tool given, whether the caller sees it.
	Keep [][]bool
	// Hidden counts the removed tools by why: policy (no tools/call of it
	// is permitted), drift (its definition does not match its pin) and
	// unpinned (the route pins tools and this one has no pin).
	Hidden map[string]int
	// Drifted are the pinned names of the drifted tools (bounded by the
	// manifest's pins, so fit for a metric label).
	Drifted []string
}

// Reasons a listed tool is hidden.
const (
	HiddenPolicy   = "policy"
	HiddenDrift    = "drift"
	HiddenUnpinned = "unpinned"
)

// FilterTools decides which tools of tools/list results the caller of r
// may see. r is the request that the result answers (its headers and
// credentials; the body is not needed). The caller is verified as Check
// verifies it, and each tool is evaluated as a tools/call of it with
// context.mcp.listing true and no arguments: a tool is shown when that
// call could be permitted. A drifted tool is hidden and its calls are
// denied (CodeMCPToolDrift) until the manifest's pin changes.
func (e *Engine) FilterTools(ctx context.Context, r *Request, lists [][]mcp.Tool) (l Listing) {
	start := time.Now()
	d := &l.Decision
	d.ID = e.nextID()
	d.settle(Errored("internal error: no decision"))
	st := &checkState{}
	st.mcp.method = "tools/list"
	defer func() {
		p := recover()
		e.finish(ctx, r, &l.Decision, st, start, p)
		if p != nil || !l.Decision.Allowed() {
			l.Keep, l.Hidden, l.Drifted = nil, nil, nil // nothing is shown
		}
	}()
	c, ok := e.listingCaller(ctx, r, d, st)
	if !ok {
		return l
	}
	base, err := e.mapper.context(r, c.id, c.dl, c.path, c.now, 1)
	if err != nil {
		d.settle(Denied(CodeBadSignal, err.Error()))
		return l
	}
	defer e.mapper.release(base)
	c.base, c.principal = base, e.mapper.principals.get(c.id)
	l.Hidden = map[string]int{}
	shown, total := 0, 0
	for _, list := range lists {
		keep := make([]bool, len(list))
		for i := range list {
			keep[i] = e.listTool(&l, c, &list[i])
			if keep[i] {
				shown++
			}
		}
		total += len(list)
		l.Keep = append(l.Keep, keep)
	}
	st.mcp.messages = len(lists)
	d.settle(Listed(c.id, fmt.Sprintf("tools/list filtered: %d of %d tools shown", shown, total)))
	return l
}

// listingCaller verifies the caller and finds the MCP route of r.
func (e *Engine) listingCaller(ctx context.Context, r *Request, d *Decision, st *checkState) (*mcpCall, bool) {
	if r == nil {
		d.settle(Denied(CodeBadRequest, "no request"))
		return nil, false
	}
	id, err := e.identifier.Verify(ctx, r.Credentials)
	if err == nil && id.ID.IsZero() {
		err = fmt.Errorf("verifier returned no identity")
	}
	if err != nil {
		identityFailed(d, st, err)
		return nil, false
	}
	d.Identity, st.source = &id, id.Source
	dl, ok := e.delegate(ctx, r, &id, d, st)
	if !ok {
		return nil, false
	}
	// The same refusals and routing as Check: this is the request
	// ext_authz decided.
	if reason := malformed(r); reason != "" {
		d.settle(Denied(CodeBadRequest, reason))
		return nil, false
	}
	lk := e.manifest.Load().Lookup(r.Method, r.Path, isGRPC(r.Headers["content-type"]), r.ProxyNormalizedPath, st.vals[:0])
	if unrouted(d, st, &lk) {
		return nil, false
	}
	if lk.Rule.MCPRule() == nil {
		d.settle(Denied(CodeNoRoute, "the request's route is not an MCP endpoint"))
		return nil, false
	}
	now := r.Time
	if now.IsZero() {
		now = e.clock()
	}
	d.Resource = uidString(types.NewEntityUID(manifest.MCPServerType, types.String(lk.Rule.MCPRule().Server)))
	return &mcpCall{id: &id, dl: dl, rt: lk.Rule, vals: lk.Vals, path: lk.Path, now: now}, true
}

// listTool decides one listed tool.
func (e *Engine) listTool(l *Listing, c *mcpCall, t *mcp.Tool) bool {
	mr := c.rt.MCPRule()
	if pin, pinned := mr.Pins[t.Name]; pinned && t.Pin() != pin {
		e.drift.mark(mr.Server, t.Name, pin)
		e.driftMetrics.observe(t.Name)
		l.Hidden[HiddenDrift]++
		l.Drifted = append(l.Drifted, t.Name)
		return false
	} else if !pinned && len(mr.Pins) > 0 {
		l.Hidden[HiddenUnpinned]++
		return false
	}
	m := &mcp.Message{Method: "tools/call", Tool: t.Name}
	tg := mr.Target(m, c.vals)
	c.base["mcp"] = listingContext(mr, t.Name)
	var st checkState
	if pd := e.evaluate(assembleFor(c.principal, tg.Action, tg.Resource, c.base), &st, c.dl); pd.Allow {
		return true
	}
	l.Hidden[HiddenPolicy]++
	return false
}

// listingContext is context.mcp of a listed tool: a tools/call of it,
// marked a listing, with no arguments member (they are not known yet).
func listingContext(mr *manifest.MCPRule, tool string) types.Record {
	return types.NewRecord(types.RecordMap{
		"server":  types.String(mr.Server),
		"method":  types.String("tools/call"),
		"tool":    types.String(tool),
		"listing": types.True,
	})
}
