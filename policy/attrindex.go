package policy

import (
	"cmp"
	"slices"

	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// attrIndex holds policies, per group (a `resource in` group, or the zero
// UID for the unscoped ones), by a principal string attribute their first
// condition requires (principalAttrCond): attribute name, then value. It is
// flat, built once: the attributes of each group, one map over every
// (group's attribute, literal), and one array of every position, which
// spans index, so a group costs no map of its own.
type attrIndex struct {
	groups map[types.EntityUID]span // of attrs: the group's attributes
	attrs  []groupAttr
	byLit  map[attrKey]span
	pos    []int32 // the positions every span indexes
}

// span is pos[off:end] (or attrs[off:end]); the zero span is empty.
type span struct{ off, end uint32 }

// groupAttr is one attribute a group's policies require.
type groupAttr struct {
	name types.String
	// ifMissing are the policies whose condition reads the attribute
	// without `has` first: they error, and so must be evaluated, when the
	// principal lacks it.
	ifMissing span
}

// attrKey is a literal of attrs[attr] (a group's attribute).
type attrKey struct {
	attr uint32
	lit  types.String
}

// attrRow is one policy for an attrIndex, while the index is built.
type attrRow struct {
	group     types.EntityUID
	attr, lit types.String
	pos       int32
	ifMissing bool
}

// appendFor appends the policies in group g that principal (found: whether
// the evaluation's entities hold it) can satisfy or make error: those keyed
// on the string value of each attribute it has, and for each it lacks,
// those that read it without `has`. An attribute that is not a string
// equals no literal, so it selects nothing.
func (a *attrIndex) appendFor(buf []int32, g types.EntityUID, principal types.Entity, found bool) []int32 {
	grp := a.groups[g]
	for i := grp.off; i < grp.end; i++ {
		at := &a.attrs[i]
		var v types.Value
		ok := false
		if found {
			v, ok = principal.Attributes.Get(at.name)
		}
		if !ok {
			buf = append(buf, a.at(at.ifMissing)...)
			continue
		}
		if s, isStr := v.(types.String); isStr {
			buf = append(buf, a.at(a.byLit[attrKey{i, s}])...)
		}
	}
	return buf
}

func (a *attrIndex) at(s span) []int32 { return a.pos[s.off:s.end] }

// newAttrIndex builds the index of rows (which it sorts).
func newAttrIndex(rows []attrRow) attrIndex {
	slices.SortFunc(rows, func(x, y attrRow) int {
		return cmp.Or(cmp.Compare(x.group.Type, y.group.Type), cmp.Compare(x.group.ID, y.group.ID),
			cmp.Compare(x.attr, y.attr), cmp.Compare(x.lit, y.lit), cmp.Compare(x.pos, y.pos))
	})
	groups, attrs, lits, missing := countAttrRows(rows)
	a := attrIndex{groups: make(map[types.EntityUID]span, groups), attrs: make([]groupAttr, 0, attrs),
		byLit: make(map[attrKey]span, lits), pos: make([]int32, 0, len(rows)+missing)}
	for i := 0; i < len(rows); {
		n := runLen(rows[i:], func(r attrRow) bool { return r.group == rows[i].group })
		a.addGroup(rows[i : i+n])
		i += n
	}
	return a
}

// addGroup adds the rows of one group, sorted by attribute and literal.
func (a *attrIndex) addGroup(rows []attrRow) {
	grp := span{off: offset(len(a.attrs))}
	for i := 0; i < len(rows); {
		n := runLen(rows[i:], func(r attrRow) bool { return r.attr == rows[i].attr })
		a.addAttr(rows[i : i+n])
		i += n
	}
	grp.end = offset(len(a.attrs))
	a.groups[rows[0].group] = grp
}

// addAttr adds the rows of one group's attribute, sorted by literal.
func (a *attrIndex) addAttr(rows []attrRow) {
	idx, at := offset(len(a.attrs)), groupAttr{name: rows[0].attr, ifMissing: span{off: offset(len(a.pos))}}
	for _, r := range rows {
		if r.ifMissing {
			a.pos = append(a.pos, r.pos)
		}
	}
	at.ifMissing.end = offset(len(a.pos))
	a.attrs = append(a.attrs, at)
	for i := 0; i < len(rows); {
		n := runLen(rows[i:], func(r attrRow) bool { return r.lit == rows[i].lit })
		lit := span{off: offset(len(a.pos))}
		for _, r := range rows[i : i+n] {
			a.pos = append(a.pos, r.pos)
		}
		lit.end = offset(len(a.pos))
		a.byLit[attrKey{idx, rows[i].lit}] = lit
		i += n
	}
}

// countAttrRows counts the distinct groups, (group, attribute) and (group,
// attribute, literal) of sorted rows, and the ifMissing rows.
func countAttrRows(rows []attrRow) (groups, attrs, lits, missing int) {
	for i, r := range rows {
		if r.ifMissing {
			missing++
		}
		if i > 0 && r.group == rows[i-1].group {
			if r.attr == rows[i-1].attr {
				if r.lit != rows[i-1].lit {
					lits++
				}
				continue
			}
			attrs, lits = attrs+1, lits+1
			continue
		}
		groups, attrs, lits = groups+1, attrs+1, lits+1
	}
	return groups, attrs, lits, missing
}

// runLen is the length of the prefix of rows for which same holds.
func runLen(rows []attrRow, same func(attrRow) bool) int {
	n := 0
	for n < len(rows) && same(rows[n]) {
		n++
	}
	return n
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

// offset is a length of attrs or pos as a span bound: each holds at most
// one row per policy, and policy positions are int32.
func offset(n int) uint32 { return uint32(n) } //nolint:gosec // n <= the policy count, which fits int32
