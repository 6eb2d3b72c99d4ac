package authz

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// argGen writes random policy sets that read random params.arguments
// paths, every way Cedar can (., [""], has, whole-record uses, if-then-
// else, sets, records), and random arguments with the same names, for the
// differential tests of pruned argument conversion.
type argGen struct{ r *rand.Rand }

// names include one with a dot (a path joined with "." would misread it),
// case variants (argument_names: fold) and a space.
var argNames = []string{"a", "b", "A", "a.b", "x y", "repo"}

func (g argGen) name() string { return argNames[g.r.IntN(len(argNames))] }

func (g argGen) ident() string { return []string{"a", "b", "A", "repo"}[g.r.IntN(4)] }

func (g argGen) access(base string) string {
	if n := g.name(); g.r.IntN(3) > 0 && !strings.ContainsAny(n, ". ") {
		return base + "." + n
	}
	return fmt.Sprintf("%s[%q]", base, g.name())
}

func (g argGen) literal() string {
	return []string{`"x"`, `1`, `true`, `[1, "x"]`, `{a: 1}`, `{}`, `"acme/web"`, `-2`, `{"a.b": "x"}`}[g.r.IntN(9)]
}

const args = "context.mcp.arguments"

func (g argGen) atom() string {
	switch g.r.IntN(16) {
	case 0, 1:
		return fmt.Sprintf("%s has %s", args, g.ident())
	case 2:
		return fmt.Sprintf("%s has %q", args, g.name())
	case 3, 4:
		return fmt.Sprintf("%s == %s", g.access(args), g.literal())
	case 5:
		return fmt.Sprintf("%s == %s", g.access(g.access(args)), g.literal())
	case 6:
		return fmt.Sprintf("%s like \"*x*\"", g.access(args))
	case 7:
		return fmt.Sprintf("%s < 3", g.access(args))
	case 8:
		return fmt.Sprintf("%s.contains(1)", g.access(args))
	case 9:
		return fmt.Sprintf("%s == {%s: %s}", args, g.ident(), g.literal())
	case 10:
		return fmt.Sprintf("(if %s has %s then %s else {}) has %s", args, g.ident(), args, g.ident())
	case 11:
		return fmt.Sprintf("context.mcp == {server: \"github\", method: \"tools/call\", tool: \"search_issues\", arguments: {%s: %s}}", g.ident(), g.literal())
	case 12:
		return fmt.Sprintf("%s has %s && %s.%s has %s", args, g.ident(), args, g.ident(), g.ident())
	case 13:
		return `context.mcp.tool == "search_issues"`
	case 14:
		return fmt.Sprintf("[%s].contains({})", args)
	}
	return "true"
}

func (g argGen) cond() string {
	c := g.atom()
	for g.r.IntN(3) == 0 {
		op := []string{" && ", " || "}[g.r.IntN(2)]
		c = "(" + c + op + g.atom() + ")"
	}
	if g.r.IntN(4) == 0 {
		c = "!" + c
	}
	return c
}

// policies is a set of 1 to 5 permits and forbids.
func (g argGen) policies() string {
	var b strings.Builder
	for i := range 1 + g.r.IntN(5) {
		effect := []string{"permit", "permit", "forbid"}[g.r.IntN(3)]
		clause := []string{"when", "when", "unless"}[g.r.IntN(3)]
		action := []string{"action", `action == Action::"github.search_issues"`}[g.r.IntN(2)]
		fmt.Fprintf(&b, "@id(\"p%d\")\n%s (principal, %s, resource) %s { %s };\n", i, effect, action, clause, g.cond())
	}
	return b.String()
}

func (g argGen) value(depth int) string {
	switch n := g.r.IntN(9); {
	case n < 2:
		return []string{`"x"`, `"acme/web"`, `"bxb"`}[g.r.IntN(3)]
	case n < 4:
		return []string{`1`, `2.5`, `-2`, `1e2`, `99999999999999999999`}[g.r.IntN(5)]
	case n == 4:
		return []string{`true`, `false`, `null`}[g.r.IntN(3)]
	case n == 5 && depth < 3:
		return "[" + g.value(depth+1) + "," + g.value(depth+1) + "]"
	case depth < 3:
		return g.object(depth + 1)
	}
	return `"leaf"`
}

// object has distinct names, even under case folding.
func (g argGen) object(depth int) string {
	var members []string
	seen := map[string]bool{}
	for range g.r.IntN(4) {
		n := g.name()
		if seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		members = append(members, fmt.Sprintf("%q:%s", n, g.value(depth)))
	}
	return "{" + strings.Join(members, ",") + "}"
}
