package policy

import (
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// principalAttrKey recognises a policy whose first condition starts
// `when { principal has A && principal.A == "lit" ...`. Cedar evaluates the
// scope (which cannot error), then that condition left to right: `has`
// cannot error and, once the attribute exists, neither can `==`. So unless
// the principal's attribute A is the string "lit", the policy is false
// without error, and it need only be a candidate when it is.
func principalAttrKey(p *xast.Policy) (attr, lit types.String, ok bool) {
	if len(p.Conditions) == 0 || p.Conditions[0].Condition != xast.ConditionWhen {
		return "", "", false
	}
	conj := conjuncts(p.Conditions[0].Body, nil, 2)
	if len(conj) < 2 {
		return "", "", false
	}
	has, ok := conj[0].(xast.NodeTypeHas)
	if !ok || !isPrincipal(has.Arg) {
		return "", "", false
	}
	eq, ok := conj[1].(xast.NodeTypeEquals)
	if !ok {
		return "", "", false
	}
	if lit, ok := accessEqString(eq.Left, eq.Right, has.Value); ok {
		return has.Value, lit, true
	}
	if lit, ok := accessEqString(eq.Right, eq.Left, has.Value); ok {
		return has.Value, lit, true
	}
	return "", "", false
}

// conjuncts appends the first max operands of a chain of && in evaluation
// order (left to right, whatever the grouping).
func conjuncts(n xast.IsNode, out []xast.IsNode, max int) []xast.IsNode {
	if len(out) >= max {
		return out
	}
	if and, ok := n.(xast.NodeTypeAnd); ok {
		out = conjuncts(and.Left, out, max)
		return conjuncts(and.Right, out, max)
	}
	return append(out, n)
}

func isPrincipal(n xast.IsNode) bool {
	v, ok := n.(xast.NodeTypeVariable)
	return ok && v.Name == "principal"
}

// accessEqString matches `principal.attr` on one side and a string literal
// on the other.
func accessEqString(access, value xast.IsNode, attr types.String) (types.String, bool) {
	a, ok := access.(xast.NodeTypeAccess)
	if !ok || a.Value != attr || !isPrincipal(a.Arg) {
		return "", false
	}
	v, ok := value.(xast.NodeValue)
	if !ok {
		return "", false
	}
	s, ok := v.Value.(types.String)
	return s, ok
}

// byPrincipalAttr appends the policies keyed on the principal's string
// attributes.
func (ix *index) byPrincipalAttr(buf []int32, principal types.EntityUID, ents types.EntityGetter) []int32 {
	if len(ix.principalAttr) == 0 {
		return buf
	}
	e, _ := ents.Get(principal)
	for attr, byValue := range ix.principalAttr {
		if v, ok := e.Attributes.Get(attr); ok {
			if s, ok := v.(types.String); ok {
				buf = append(buf, byValue[s]...)
			}
		}
	}
	return buf
}
