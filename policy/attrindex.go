package policy

import (
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// attrIndex holds policies by a principal string attribute their first
// condition requires (principalAttrCond): attribute name, then value.
type attrIndex map[types.String]*attrBucket

type attrBucket struct {
	byValue map[types.String][]int32
	// ifMissing are the policies whose condition reads the attribute
	// without `has` first: they error, and so must be evaluated, when the
	// principal lacks it.
	ifMissing []int32
}

func (a attrIndex) add(attr, lit types.String, ifMissing bool, pos int32) {
	b := a[attr]
	if b == nil {
		b = &attrBucket{byValue: map[types.String][]int32{}}
		a[attr] = b
	}
	b.byValue[lit] = append(b.byValue[lit], pos)
	if ifMissing {
		b.ifMissing = append(b.ifMissing, pos)
	}
}

// appendFor appends the policies that principal (found: whether the
// evaluation's entities hold it) can satisfy or make error: those keyed on
// the string value of each attribute it has, and for each it lacks, those
// that read it without `has`. An attribute that is not a string equals no
// literal, so it selects nothing.
func (a attrIndex) appendFor(buf []int32, principal types.Entity, found bool) []int32 {
	for attr, b := range a {
		var v types.Value
		ok := false
		if found {
			v, ok = principal.Attributes.Get(attr)
		}
		if !ok {
			buf = append(buf, b.ifMissing...)
			continue
		}
		if s, isStr := v.(types.String); isStr {
			buf = append(buf, b.byValue[s]...)
		}
	}
	return buf
}

// principalAttrCond recognises a policy whose first condition starts
// `when { principal has A && principal.A == "lit" ...` or
// `when { principal.A == "lit" ...` (either side of ==). Cedar evaluates
// the scope (which cannot error), then that condition left to right. With
// `has` first, nothing errors: unless the principal's attribute A is the
// string "lit", the policy is false. Without it (ifMissing), the same
// holds when the principal has A; when it lacks A the policy errors, and
// so is a candidate too.
func principalAttrCond(p *xast.Policy) (attr, lit types.String, ifMissing, ok bool) {
	if len(p.Conditions) == 0 || p.Conditions[0].Condition != xast.ConditionWhen {
		return "", "", false, false
	}
	conj := conjuncts(p.Conditions[0].Body, nil, 2)
	if attr, lit, ok := principalEqString(conj[0]); ok {
		return attr, lit, true, true
	}
	if len(conj) < 2 {
		return "", "", false, false
	}
	has, ok := conj[0].(xast.NodeTypeHas)
	if !ok || !isPrincipal(has.Arg) {
		return "", "", false, false
	}
	if attr, lit, ok := principalEqString(conj[1]); ok && attr == has.Value {
		return attr, lit, false, true
	}
	return "", "", false, false
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

// principalEqString matches `principal.A == "lit"`, either way round.
func principalEqString(n xast.IsNode) (attr, lit types.String, ok bool) {
	eq, ok := n.(xast.NodeTypeEquals)
	if !ok {
		return "", "", false
	}
	if attr, lit, ok := accessEqString(eq.Left, eq.Right); ok {
		return attr, lit, true
	}
	return accessEqString(eq.Right, eq.Left)
}

// accessEqString matches `principal.A` on one side and a string literal
// on the other.
func accessEqString(access, value xast.IsNode) (attr, lit types.String, ok bool) {
	a, ok := access.(xast.NodeTypeAccess)
	if !ok || !isPrincipal(a.Arg) {
		return "", "", false
	}
	v, ok := value.(xast.NodeValue)
	if !ok {
		return "", "", false
	}
	s, ok := v.Value.(types.String)
	return a.Value, s, ok
}
