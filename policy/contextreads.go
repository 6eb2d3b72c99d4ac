package policy

import (
	"slices"
	"strings"

	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// ContextReads returns the context attribute paths policy id reads, dotted
// and sorted ("risk", "mcp.tool"): each `context.a.b` and `context.a has
// b` in its conditions, longest path only. A policy that uses the context
// record whole (`context == {...}`) reads "" — every key. ok is false for
// an unknown policy. Replay uses it to refuse a decision whose policies
// read a key the decision log withheld.
func (s *Snapshot) ContextReads(id string) (paths []string, ok bool) {
	e := s.byID[id]
	if e == nil {
		return nil, false
	}
	seen := map[string]bool{}
	for _, c := range e.ast().Conditions {
		xast.Inspect(xast.NewNode(c.Body), func(n xast.IsNode) bool {
			p, isCtx := readPath(n)
			if isCtx {
				seen[p] = true
			}
			return !isCtx
		})
	}
	for p := range seen {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths, true
}

// readPath is the dotted context path n reads, when n is rooted at the
// context variable.
func readPath(n xast.IsNode) (string, bool) {
	switch x := n.(type) {
	case xast.NodeTypeVariable:
		return "", x.Name == "context"
	case xast.NodeTypeAccess:
		p, ok := contextPath(n)
		return strings.Join(p, "."), ok
	case xast.NodeTypeHas:
		p, ok := contextPath(x.Arg)
		return strings.Join(append(p, string(x.Value)), "."), ok
	}
	return "", false
}

// ReadsKey reports whether a context read path and a withheld key
// overlap: one is the other or lies under it ("" overlaps everything).
func ReadsKey(path, key string) bool {
	return path == "" || path == key || strings.HasPrefix(path, key+".") || strings.HasPrefix(key, path+".")
}
