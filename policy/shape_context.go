package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"

	"github.com/tollgate-authz/tollgate/internal/suggest"
)

// context checks `arg.key` and `arg has key` when arg is context or an
// attribute path under it.
func (k *knownSet) context(arg xast.IsNode, key types.String, add func(string)) {
	if k.sh.Context == nil {
		return
	}
	path, ok := contextPath(arg)
	if !ok {
		return
	}
	if msg := k.sh.Context.lookup(append(path, string(key))); msg != "" {
		add(msg)
	}
}

// contextPath is the attribute path of n under context: context.a.b is
// [a b]; ok is false when n is not rooted at the context variable.
func contextPath(n xast.IsNode) ([]string, bool) {
	switch x := n.(type) {
	case xast.NodeTypeVariable:
		return nil, x.Name == "context"
	case xast.NodeTypeAccess:
		p, ok := contextPath(x.Arg)
		return append(p, string(x.Value)), ok
	}
	return nil, false
}

// lookup walks path from the context record and explains the first step
// no request can have, or returns "".
func (a *Attr) lookup(path []string) string { return a.lookupFrom(nil, path) }

// lookupFrom is lookup for a, the attribute at base.
func (a *Attr) lookupFrom(base, path []string) string {
	cur := a
	for i, name := range path {
		full := append(append([]string(nil), base...), path[:i+1]...)
		here := dotted(full)
		switch {
		case cur.Open:
			return ""
		case cur.Attrs == nil:
			return fmt.Sprintf("%s: %s is a %s, which has no attributes", here, dotted(full[:len(full)-1]), cur.Type)
		}
		next, ok := cur.Attrs[name]
		if !ok {
			names := cur.names()
			return fmt.Sprintf("%s is never set by Tollgate%s; it sets %s",
				here, suggest.Hint(name, names), strings.Join(names, ", "))
		}
		cur = next
	}
	return ""
}

func (a *Attr) names() []string {
	out := make([]string, 0, len(a.Attrs))
	for n := range a.Attrs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
