package authz

import "github.com/tollgate-authz/tollgate/policy"

// pinner is Policies that can hold the snapshot in force for one Check
// (policy.Store, policy.Snapshot): what its policies read and how it
// decides then come from the same policies, whatever a reload swaps in
// meanwhile.
type pinner interface {
	Pin() policy.Pinned
}

var (
	_ pinner   = (*policy.Store)(nil)
	_ pinner   = (*policy.Snapshot)(nil)
	_ Policies = policy.Pinned{}
)

// argumentReads returns the policies an MCP request's messages are
// decided by and the params.arguments members they may read (nil: every
// member, converted whole). Only members no policy reads are left out,
// and only when the request is decided by exactly the policies that say
// so: the snapshot pinned here. A shadow policy set reads its own members,
// so with one every member is converted, as with Policies that cannot pin.
func (e *Engine) argumentReads() (Policies, func(name string) bool) {
	p, ok := e.policies.(pinner)
	if !ok || e.shadow != nil {
		return e.policies, nil
	}
	pinned := p.Pin()
	m := pinned.ContextMembers(mcpContextKey, mcpArgumentsKey)
	if m.All() {
		return pinned, nil
	}
	return pinned, m.Reads
}

// Where an MCP message's arguments sit in the context: context.mcp.arguments.
const (
	mcpContextKey   = "mcp"
	mcpArgumentsKey = "arguments"
)

// PrepareSnapshot works out ahead what MCP Checks ask of s (the argument
// members its policies read), so that the first MCP Check after a reload
// does not wait for a walk of every policy (about 40 ms at 100,000
// policies). Call it before s is swapped in.
func PrepareSnapshot(s *policy.Snapshot) { s.ContextMembers(mcpContextKey, mcpArgumentsKey) }
