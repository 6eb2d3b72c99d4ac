package policy

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// picker draws small numbers from fuzz bytes; past the end it draws 0, so
// every input is a valid (if dull) recipe.
type picker struct {
	b []byte
	i int
}

func (p *picker) n(k int) int {
	if p.i >= len(p.b) {
		return 0
	}
	v := int(p.b[p.i])
	p.i++
	return v % k
}

// universe is a generated policy world: entities with multi-parent
// hierarchies (unclosed, as IAM writes them) and Cedar policy text.
type universe struct {
	entities []types.Entity
	policies string
}

var genKinds = map[string]int{"User": 6, "Group": 5, "Org::Dept::Folder": 4, "Doc": 5, "Action": 4}

func genUID(p *picker, typ string) types.EntityUID {
	n := genKinds[typ] + 1 // one id more than the data knows: an unknown entity
	if typ == "Action" && p.n(3) == 0 {
		return uid("Action", fmt.Sprintf("ag%d", p.n(3))) // an action group
	}
	return uid(typ, genID(typ, p.n(n)))
}

// genID names the i-th entity of a type. Users, groups, folders and docs
// share ids (User::"e1", Group::"e1"), so that a scope comparing ids
// without types would be caught.
func genID(typ string, i int) string {
	if typ == "Action" {
		return fmt.Sprintf("a%d", i)
	}
	// Some ids hold "::", a quote or a backslash; folders are namespaced.
	return []string{"e0", "e::1", "e2", `e"3`, "e4", `e\5`, "e6"}[i]
}

// genParents picks parents of type typ; for groups, only higher-numbered
// ones, so the data stays acyclic.
func genParents(p *picker, typ string, above int) []types.EntityUID {
	var out []types.EntityUID
	for j := above; j < genKinds[typ]; j++ {
		if p.n(3) == 0 {
			out = append(out, uid(typ, genID(typ, j)))
		}
	}
	return out
}

func genAttrs(p *picker) types.Record {
	m := types.RecordMap{}
	if p.n(3) > 0 {
		m["level"] = types.Long(p.n(5))
	}
	if p.n(4) == 0 {
		m["big"] = types.Long(9223372036854775807)
	}
	switch p.n(4) {
	case 0, 1:
		m["ns"] = types.String(fmt.Sprintf("n%d", p.n(3)))
	case 2:
		m["ns"] = types.Long(p.n(3)) // not a string: never equal to one
	}
	if p.n(2) == 0 {
		m["on"] = types.Boolean(p.n(2) == 0)
	}
	return types.NewRecord(m)
}

func genUniverse(p *picker) universe {
	var u universe
	add := func(typ string, i int, parents []types.EntityUID) {
		u.entities = append(u.entities, types.Entity{UID: uid(typ, genID(typ, i)),
			Parents: types.NewEntityUIDSet(parents...), Attributes: genAttrs(p)})
	}
	for i := range genKinds["Group"] {
		add("Group", i, genParents(p, "Group", i+1))
	}
	for i := range genKinds["User"] {
		add("User", i, genParents(p, "Group", 0))
	}
	for i := range genKinds["Org::Dept::Folder"] {
		add("Org::Dept::Folder", i, genParents(p, "Org::Dept::Folder", i+1))
	}
	for i := range genKinds["Doc"] {
		add("Doc", i, genParents(p, "Org::Dept::Folder", 0))
	}
	for i := range genKinds["Action"] {
		var groups []types.EntityUID
		for g := range 3 {
			if p.n(2) == 0 {
				groups = append(groups, uid("Action", fmt.Sprintf("ag%d", g)))
			}
		}
		add("Action", i, groups)
	}
	u.entities = append(u.entities, types.Entity{UID: uid("Action", "ag2"), Parents: types.NewEntityUIDSet(uid("Action", "ag0"))})
	var b strings.Builder
	for i := range 1 + p.n(40) {
		fmt.Fprintf(&b, "@id(\"p%d\")\n%s (%s, %s, %s)%s;\n", i, []string{"permit", "permit", "forbid"}[p.n(3)],
			genScope(p, "principal", "User", "Group"), genActionScope(p), genScope(p, "resource", "Doc", "Org::Dept::Folder"), genCond(p))
	}
	u.policies = b.String()
	return u
}

func genScope(p *picker, v, leaf, group string) string {
	switch p.n(8) {
	case 0:
		return fmt.Sprintf("%s == %s", v, genUID(p, leaf))
	case 1:
		return fmt.Sprintf("%s == %s", v, genUID(p, group))
	case 2, 3:
		return fmt.Sprintf("%s in %s", v, genUID(p, group))
	case 4:
		return fmt.Sprintf("%s in %s", v, genUID(p, leaf))
	case 5:
		return fmt.Sprintf("%s is %s", v, []string{leaf, group}[p.n(2)])
	case 6:
		return fmt.Sprintf("%s is %s in %s", v, []string{leaf, group}[p.n(2)], genUID(p, group))
	case 7:
		if p.n(2) == 0 { // an entity that is also an action, or an action group
			return fmt.Sprintf("%s in %s", v, genUID(p, "Action"))
		}
	}
	return v
}

func genActionScope(p *picker) string {
	switch p.n(5) {
	case 0:
		return "action == " + genUID(p, "Action").String()
	case 1, 2:
		return "action in " + genUID(p, "Action").String()
	case 3:
		return fmt.Sprintf("action in [%s, %s]", genUID(p, "Action"), genUID(p, "Action"))
	}
	return "action"
}

// genCond returns a condition; several error on some requests (a missing
// attribute, a missing context key, an overflow).
func genCond(p *picker) string {
	if p.n(3) == 0 {
		return genSimpleCond(p)
	}
	if c := genAttrCond(p); c != "" {
		return c
	}
	switch p.n(9) {
	case 0:
		return fmt.Sprintf(" when { principal.level > %d }", p.n(4))
	case 1:
		return fmt.Sprintf(" unless { resource.level < %d }", p.n(4))
	case 2:
		return " when { context.flag }"
	case 3:
		return " when { resource has big && resource.big + 1 > 0 }"
	case 4:
		return fmt.Sprintf(" when { principal in %s }", genUID(p, "Group"))
	case 5:
		return fmt.Sprintf(" when { resource in %s } unless { context has flag && context.flag }", genUID(p, "Org::Dept::Folder"))
	}
	return ""
}

// genAttrCond returns conditions on principal.ns: the indexable
// `has && ==` prefix, and near misses the index must not treat as one.
func genAttrCond(p *picker) string {
	ns := fmt.Sprintf("n%d", p.n(4))
	rest := []string{"", " && principal.level > 1", " && context.flag"}[p.n(3)]
	switch p.n(12) {
	case 0, 1:
		return fmt.Sprintf(" when { principal has ns && principal.ns == %q%s }", ns, rest)
	case 2:
		return fmt.Sprintf(" when { (principal has ns && %q == principal.ns)%s } unless { context has flag && context.flag }", ns, rest)
	case 3:
		return fmt.Sprintf(" when { principal.ns == %q%s }", ns, rest) // errors without ns
	case 4:
		return fmt.Sprintf(" when { principal has level && principal.ns == %q }", ns) // errors
	case 5:
		return fmt.Sprintf(" unless { principal has ns && principal.ns == %q }", ns)
	case 6:
		return fmt.Sprintf(" when { context.flag } when { principal has ns && principal.ns == %q }", ns)
	case 7:
		return fmt.Sprintf(" when { principal has ns && (principal.ns == %q || principal.level > 2) }", ns)
	case 8:
		return " when { principal has ns && principal.ns == 1 }"
	case 9:
		return fmt.Sprintf(" when { resource has ns && resource.ns == %q%s }", ns, rest)
	}
	return ""
}

// genRequest returns a request and the extra entities laid over the data.
func genRequest(p *picker) (cedar.Request, []types.Entity) {
	pt, rt := []string{"User", "Group"}[p.n(4)/3], []string{"Doc", "Org::Dept::Folder"}[p.n(4)/3]
	r := cedar.Request{Principal: genUID(p, pt), Action: genUID(p, "Action"), Resource: genUID(p, rt),
		Context: types.NewRecord(nil)}
	if p.n(10) == 0 { // an action (or action group) as the principal or resource
		r.Principal = genUID(p, "Action")
	} else if p.n(10) == 0 {
		r.Resource = genUID(p, "Action")
	}
	if p.n(2) == 0 {
		r.Context = types.NewRecord(types.RecordMap{"flag": types.Boolean(p.n(2) == 0)})
	} else if p.n(2) == 0 { // the attributes the simple conditions read
		r.Context = genAttrs(p)
	}
	var extra []types.Entity
	if p.n(2) == 0 {
		extra = append(extra, types.Entity{UID: r.Principal, Attributes: genAttrs(p),
			Parents: types.NewEntityUIDSet(genParents(p, "Group", p.n(5))...)})
	}
	if p.n(2) == 0 && r.Resource != r.Principal {
		extra = append(extra, types.Entity{UID: r.Resource, Attributes: genAttrs(p),
			Parents: types.NewEntityUIDSet(genParents(p, "Org::Dept::Folder", p.n(4))...)})
	}
	if p.n(4) == 0 { // a group or the action itself, changing ancestry
		x := genUID(p, []string{"Group", "Action"}[p.n(2)])
		if !hasUID(extra, x) {
			parents := genParents(p, "Group", 0)
			if x.Type == "Action" {
				parents = []types.EntityUID{uid("Action", fmt.Sprintf("ag%d", p.n(3)))}
			}
			extra = append(extra, types.Entity{UID: x, Parents: types.NewEntityUIDSet(parents...)})
		}
	}
	return r, extra
}

func hasUID(es []types.Entity, u types.EntityUID) bool {
	for _, e := range es {
		if e.UID == u {
			return true
		}
	}
	return false
}

func (u universe) files() map[string]string {
	ents, err := json.Marshal(u.entities)
	if err != nil {
		panic(err)
	}
	return map[string]string{"gen.cedar": u.policies, "entities.json": string(ents)}
}
