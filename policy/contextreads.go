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
	for _, p := range e.contextReads() {
		seen[strings.Join(p, ".")] = true
	}
	for p := range seen {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	return paths, true
}

// contextReads is every context attribute path e's conditions read, as
// attribute names (a name may hold a dot: context["a.b"] is [a.b]), the
// longest path only: `context.a.b` reads [a b], `context.a has b` reads
// [a b], and any other use of a record under context (compared, put in a
// set or record, passed to an operator, chosen by if-then-else) reads
// that record's path whole, down to [] for the context itself.
func (e *entry) contextReads() [][]string {
	var paths [][]string
	for _, c := range e.ast().Conditions {
		xast.Inspect(xast.NewNode(c.Body), func(n xast.IsNode) bool {
			p, isCtx := readPath(n)
			if isCtx {
				paths = append(paths, p)
			}
			return !isCtx
		})
	}
	return paths
}

// readPath is the context path n reads, when n is rooted at the context
// variable.
func readPath(n xast.IsNode) ([]string, bool) {
	switch x := n.(type) {
	case xast.NodeTypeVariable:
		return []string{}, x.Name == "context"
	case xast.NodeTypeAccess:
		return contextPath(n)
	case xast.NodeTypeHas:
		p, ok := contextPath(x.Arg)
		return append(p, string(x.Value)), ok
	}
	return nil, false
}

// ReadsKey reports whether a context read path and a withheld key
// overlap: one is the other or lies under it ("" overlaps everything).
func ReadsKey(path, key string) bool {
	return path == "" || path == key || strings.HasPrefix(path, key+".") || strings.HasPrefix(key, path+".")
}
