package policy

import (
	"fmt"
	"strings"
)

// genSimpleCond returns a condition of the form Tollgate decides itself
// (one `when` of `&&`-chained `V has A` and `V.A == L`), or one of its
// near misses, which must stay with cedar-go. The attributes and literals
// are drawn so that an attribute is often missing, of another type than
// the literal (long vs string), or on an entity the data lacks.
func genSimpleCond(p *picker) string {
	atoms := make([]string, 1+p.n(4))
	for i := range atoms {
		atoms[i] = genSimpleAtom(p)
	}
	switch p.n(12) {
	case 0:
		return " unless { " + strings.Join(atoms, " && ") + " }"
	case 1:
		return " when { " + strings.Join(atoms, " || ") + " }"
	case 2: // `&&` nested to the right: same meaning, another tree
		return fmt.Sprintf(" when { %s && (%s) }", genSimpleAtom(p), strings.Join(atoms, " && "))
	case 3:
		return fmt.Sprintf(" when { %s } when { %s }", genSimpleAtom(p), strings.Join(atoms, " && "))
	case 4:
		return " when { " + strings.Join(append(atoms, genNearAtom(p)), " && ") + " }"
	case 5:
		return " when { " + strings.Join(append([]string{genNearAtom(p)}, atoms...), " && ") + " }"
	}
	return " when { " + strings.Join(atoms, " && ") + " }"
}

var (
	simpleVars  = []string{"principal", "resource", "context"}
	simpleAttrs = []string{"ns", "level", "on", "gone"}
	simpleLits  = []string{`"n0"`, `"n1"`, "0", "1", "2", "true", "false", `""`, `"1"`, `"true"`}
)

// genSimpleAtom returns an atom of the accepted form, in either spelling.
func genSimpleAtom(p *picker) string {
	v, a := simpleVars[p.n(len(simpleVars))], simpleAttrs[p.n(len(simpleAttrs))]
	switch p.n(5) {
	case 0, 1:
		return fmt.Sprintf("%s has %s", v, a)
	case 2:
		return fmt.Sprintf("%s has %q", v, a)
	case 3:
		return fmt.Sprintf("%s[%q] == %s", v, a, simpleLits[p.n(len(simpleLits))])
	}
	return fmt.Sprintf("%s.%s == %s", v, a, simpleLits[p.n(len(simpleLits))])
}

// genNearAtom returns an atom just outside the accepted form.
func genNearAtom(p *picker) string {
	v, a := simpleVars[p.n(len(simpleVars))], simpleAttrs[p.n(len(simpleAttrs))]
	lit := simpleLits[p.n(len(simpleLits))]
	return []string{
		fmt.Sprintf("%s == %s.%s", lit, v, a),        // literal on the left
		fmt.Sprintf("%s.%s != %s", v, a, lit),        // another operator
		fmt.Sprintf("!(%s has %s)", v, a),            // negation
		fmt.Sprintf("action.%s == %s", a, lit),       // action as V
		fmt.Sprintf("%s has %s.ns", v, a),            // the desugared `has a.b`
		fmt.Sprintf("%s.%s.ns == %s", v, a, lit),     // a nested access
		fmt.Sprintf("%s.%s == [%s]", v, a, lit),      // a set literal
		fmt.Sprintf("%s.%s == principal.ns", v, a),   // no literal
		fmt.Sprintf("%s.%s == User::\"e0\"", v, a),   // an entity literal
		fmt.Sprintf("%s.hasTag(%q)", "principal", a), // tags
	}[p.n(10)]
}
