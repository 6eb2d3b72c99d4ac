package policy

import (
	"fmt"
	"slices"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// conjunction is a policy's one `when` clause when it is a chain of `&&`
// (nested to the left, as the parser nests it) of simple atoms: `V has A`
// and `V.A == L` (or `V["A"] == L`), V one of principal, resource and
// context, L a string, long or boolean literal. Tollgate decides it, with
// cedar-go's semantics (internal/eval: andEval, hasEval,
// attributeAccessEval, equalEval), so that the policy's cedar.Policy (a
// parsed tree plus a compiled evaluator, about 900 pointer-heavy bytes)
// is not kept. Any other condition stays with cedar-go.
// FuzzIndexDifferential and TestCedarCorpus compare the answers.
type conjunction []atom

// atom is `v has attr` when lit is nil, else `v.attr == lit`.
type atom struct {
	v    variable
	attr types.String
	lit  types.Value
}

type variable uint8

const (
	varPrincipal variable = iota
	varResource
	varContext
)

var variableNames = [...]types.String{varPrincipal: "principal", varResource: "resource", varContext: "context"}

// compileWhen returns conds as a conjunction: nil for no conditions, ok
// false when they are not one `when` clause of simple atoms.
func compileWhen(conds []xast.ConditionType, in *interner) (conjunction, bool) {
	switch {
	case len(conds) == 0:
		return nil, true
	case len(conds) > 1 || conds[0].Condition != xast.ConditionWhen:
		return nil, false
	}
	var rev conjunction // the atoms, last first
	n := conds[0].Body
	for {
		and, isAnd := n.(xast.NodeTypeAnd)
		if !isAnd {
			break
		}
		a, ok := compileAtom(and.Right, in)
		if !ok {
			return nil, false
		}
		rev, n = append(rev, a), and.Left
	}
	a, ok := compileAtom(n, in)
	if !ok {
		return nil, false
	}
	rev = append(rev, a)
	slices.Reverse(rev)
	return slices.Clip(rev), true
}

// compileAtom accepts `V has A` and `V.A == L` exactly: an `&&` on the
// right (written with parentheses), `has a.b` (its second half tests an
// access), `V.a.b`, a literal on the left and every other node are refused.
func compileAtom(n xast.IsNode, in *interner) (atom, bool) {
	switch t := n.(type) {
	case xast.NodeTypeHas:
		v, ok := variableOf(t.Arg)
		return atom{v: v, attr: in.name(t.Value)}, ok
	case xast.NodeTypeEquals:
		acc, ok := t.Left.(xast.NodeTypeAccess)
		if !ok {
			return atom{}, false
		}
		v, ok := variableOf(acc.Arg)
		lit, isLit := t.Right.(xast.NodeValue)
		if !ok || !isLit || !simpleLiteral(lit.Value) {
			return atom{}, false
		}
		return atom{v: v, attr: in.name(acc.Value), lit: in.literal(lit.Value)}, true
	}
	return atom{}, false
}

func variableOf(n xast.IsNode) (variable, bool) {
	if t, ok := n.(xast.NodeTypeVariable); ok {
		for v, name := range variableNames {
			if t.Name == name {
				return variable(v), true
			}
		}
	}
	return 0, false
}

func simpleLiteral(v types.Value) bool {
	switch v.(type) {
	case types.String, types.Long, types.Boolean:
		return true
	}
	return false
}

// decide evaluates the atoms left to right, as cedar-go's `&&` does: the
// first false one makes it false, the first erroring one makes it error
// (kind is then set, and the policy is not satisfied).
func (c conjunction) decide(req *cedar.Request, ents types.EntityGetter) (ok bool, kind ErrorKind) {
	for i := range c {
		if ok, kind = c[i].decide(req, ents); !ok || kind != "" {
			return false, kind
		}
	}
	return true, ""
}

func (a *atom) decide(req *cedar.Request, ents types.EntityGetter) (bool, ErrorKind) {
	if a.lit == nil {
		return a.has(req, ents), ""
	}
	v, kind := a.access(req, ents)
	if kind != "" {
		return false, kind
	}
	return v.Equal(a.lit), "" // values of different types are not equal
}

// has is cedar-go's hasEval: an entity missing from the data has no
// attributes, which is false, not an error.
func (a *atom) has(req *cedar.Request, ents types.EntityGetter) bool {
	if a.v == varContext {
		_, ok := req.Context.Get(a.attr)
		return ok
	}
	e, ok := ents.Get(a.uid(req))
	if !ok {
		return false
	}
	_, ok = e.Attributes.Get(a.attr)
	return ok
}

// access is cedar-go's attributeAccessEval. An error's kind is what
// classifyEvalError gives the message cedar-go writes for it (built only
// when it errors, as cedar-go builds it).
func (a *atom) access(req *cedar.Request, ents types.EntityGetter) (types.Value, ErrorKind) {
	if a.v == varContext {
		if v, ok := req.Context.Get(a.attr); ok {
			return v, ""
		}
		return nil, classifyEvalError(fmt.Sprintf("record does not have the attribute `%s`", a.attr))
	}
	uid := a.uid(req)
	if uid == (types.EntityUID{}) {
		return nil, classifyEvalError(fmt.Sprintf("cannot access attribute `%s` of unspecified entity", a.attr))
	}
	e, ok := ents.Get(uid)
	if !ok {
		return nil, classifyEvalError(fmt.Sprintf("entity `%v` does not exist", uid.String()))
	}
	v, ok := e.Attributes.Get(a.attr)
	if !ok {
		return nil, classifyEvalError(fmt.Sprintf("`%s` does not have the attribute `%s`", uid.String(), a.attr))
	}
	return v, ""
}

func (a *atom) uid(req *cedar.Request) types.EntityUID {
	if a.v == varPrincipal {
		return req.Principal
	}
	return req.Resource
}

// conditions rebuilds the parsed form, node for node as the parser built
// it, for the offline uses that read it (checks, explain, coverage, the
// context reads, the attribute index).
func (c conjunction) conditions() []xast.ConditionType {
	if len(c) == 0 {
		return nil
	}
	body := c[0].node()
	for i := 1; i < len(c); i++ {
		body = xast.NodeTypeAnd{BinaryNode: xast.BinaryNode{Left: body, Right: c[i].node()}}
	}
	return []xast.ConditionType{{Condition: xast.ConditionWhen, Body: body}}
}

func (a *atom) node() xast.IsNode {
	v := xast.NodeTypeVariable{Name: variableNames[a.v]}
	if a.lit == nil {
		return xast.NodeTypeHas{StrOpNode: xast.StrOpNode{Arg: v, Value: a.attr}}
	}
	acc := xast.NodeTypeAccess{StrOpNode: xast.StrOpNode{Arg: v, Value: a.attr}}
	return xast.NodeTypeEquals{BinaryNode: xast.BinaryNode{Left: acc, Right: xast.NodeValue{Value: a.lit}}}
}
