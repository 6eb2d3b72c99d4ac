package policy

import (
	"math"
	"strings"

	"github.com/cedar-policy/cedar-go"
	cast "github.com/cedar-policy/cedar-go/ast"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// Miss explains why a policy whose scope a request is in did not apply to
// it, or failed with an error: the first condition (or conjunct of a
// `when` condition) that is false, true for an `unless`, or erred.
type Miss struct {
	PolicyID  string
	Effect    Effect
	File      string
	Line      int
	Condition string // Cedar text, e.g. `when { context.environment == "prod" }`
	Erred     bool   // the condition failed with an error rather than false
	Reads     []Read // the attributes the condition reads, with their values
}

// Read is one attribute a condition reads and its value in the request.
type Read struct {
	Path    string // e.g. context.environment, principal.namespace
	Value   types.Value
	Present bool
}

// Diagnose explains why policy id did not apply to req, or erred. ok is
// false when the policy is unknown, not in scope, or applies.
func (s *Snapshot) Diagnose(id string, req cedar.Request, extra ...types.Entity) (m Miss, ok bool) {
	e := s.byID[id]
	if e == nil {
		return Miss{}, false
	}
	ents := s.getter(extra)
	full := e.ast()
	scope := *full
	scope.Conditions = nil
	if !holds(&scope, ents, req) {
		return Miss{}, false
	}
	m = Miss{PolicyID: id, Effect: e.meta.Effect, File: e.meta.File, Line: e.meta.Line}
	for _, c := range full.Conditions {
		parts := []xast.IsNode{c.Body}
		if c.Condition == xast.ConditionWhen {
			parts = conjuncts(c.Body, nil, math.MaxInt)
		}
		for _, part := range parts {
			q := scope
			q.Conditions = []xast.ConditionType{{Condition: xast.ConditionWhen, Body: part}}
			holdsPart, erred := evalAlone(&q, ents, req)
			failed := erred || holdsPart == (c.Condition == xast.ConditionUnless)
			if !failed {
				continue
			}
			word := "when"
			if c.Condition == xast.ConditionUnless {
				word = "unless"
			}
			m.Condition, m.Erred = word+" { "+cedarText(part)+" }", erred
			m.Reads = reads(part, req, ents)
			return m, true
		}
	}
	return Miss{}, false
}

// cedarText is an expression as Cedar text.
func cedarText(n xast.IsNode) string {
	p := xast.Permit()
	p.Conditions = []xast.ConditionType{{Condition: xast.ConditionWhen, Body: n}}
	s := string(cedar.NewPolicyFromAST((*cast.Policy)(p)).MarshalCedar())
	i, j := strings.Index(s, "when {"), strings.LastIndex(s, "}")
	if i < 0 || j < i {
		return s
	}
	return strings.TrimSpace(s[i+len("when {") : j])
}

// reads lists the attribute paths n reads under context, principal and
// resource, with their values in req.
func reads(n xast.IsNode, req cedar.Request, ents types.EntityGetter) []Read {
	var out []Read
	seen := map[string]bool{}
	xast.Inspect(xast.NewNode(n), func(x xast.IsNode) bool {
		acc, ok := x.(xast.NodeTypeAccess)
		if !ok {
			return true
		}
		root, path, ok := varPath(acc)
		if !ok {
			return true
		}
		name := root + "." + strings.Join(path, ".")
		if !seen[name] {
			seen[name] = true
			v, present := lookupValue(root, path, req, ents)
			out = append(out, Read{Path: name, Value: v, Present: present})
		}
		return false // the longest path is the one read
	})
	return out
}

func varPath(n xast.IsNode) (string, []string, bool) {
	switch x := n.(type) {
	case xast.NodeTypeVariable:
		return string(x.Name), nil, true
	case xast.NodeTypeAccess:
		root, p, ok := varPath(x.Arg)
		return root, append(p, string(x.Value)), ok
	}
	return "", nil, false
}

func lookupValue(root string, path []string, req cedar.Request, ents types.EntityGetter) (types.Value, bool) {
	var cur types.Value
	switch root {
	case "context":
		cur = req.Context
	case "principal", "resource":
		uid := req.Principal
		if root == "resource" {
			uid = req.Resource
		}
		e, ok := ents.Get(uid)
		if !ok {
			return nil, false
		}
		cur = e.Attributes
	default:
		return nil, false
	}
	for _, p := range path {
		r, ok := cur.(types.Record)
		if !ok {
			return nil, false
		}
		if cur, ok = r.Get(types.String(p)); !ok {
			return nil, false
		}
	}
	return cur, true
}

// Applied describes a policy that applied to req (a forbid that denied, a
// permit that allowed): its conditions, as Cedar text, with the values they
// read. ok is false when the policy is unknown or has no condition.
func (s *Snapshot) Applied(id string, req cedar.Request, extra ...types.Entity) (m Miss, ok bool) {
	e := s.byID[id]
	if e == nil {
		return Miss{}, false
	}
	p := e.ast()
	if len(p.Conditions) == 0 {
		return Miss{}, false
	}
	ents := s.getter(extra)
	m = Miss{PolicyID: id, Effect: e.meta.Effect, File: e.meta.File, Line: e.meta.Line}
	var parts []string
	for _, c := range p.Conditions {
		word := "when"
		if c.Condition == xast.ConditionUnless {
			word = "unless"
		}
		parts = append(parts, word+" { "+cedarText(c.Body)+" }")
		m.Reads = append(m.Reads, reads(c.Body, req, ents)...)
	}
	m.Condition = strings.Join(parts, " ")
	return m, true
}
