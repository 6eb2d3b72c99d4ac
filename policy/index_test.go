package policy

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// genSource generates n policies over a small universe of actions, action
// groups, principals and groups, with every kind of action scope.
func genSource(r *rand.Rand, n int) map[string]string {
	act := func() string { return fmt.Sprintf("Action::\"a%d\"", r.IntN(8)) }
	var b strings.Builder
	for i := range n {
		effect := "permit"
		if r.IntN(5) == 0 {
			effect = "forbid"
		}
		var action string
		switch r.IntN(5) {
		case 0:
			action = "action"
		case 1:
			action = "action == " + act()
		case 2:
			action = fmt.Sprintf("action in Action::\"g%d\"", r.IntN(3))
		case 3:
			action = fmt.Sprintf("action in [%s, Action::\"g%d\"]", act(), r.IntN(3))
		default:
			action = "action == Action::\"nowhere\""
		}
		principal := fmt.Sprintf("principal in Group::\"g%d\"", r.IntN(4))
		if r.IntN(3) == 0 {
			principal = "principal"
		}
		cond := ""
		if r.IntN(4) == 0 {
			cond = fmt.Sprintf(" when { context.n > %d }", r.IntN(5)) // errors without context.n
		}
		fmt.Fprintf(&b, "@id(\"p%d\")\n%s (%s, %s, resource)%s;\n\n", i, effect, principal, action, cond)
	}
	var ents []string
	for a := range 8 {
		ents = append(ents, fmt.Sprintf(`{"uid": {"type": "Action", "id": "a%d"}, "attrs": {}, "parents": [{"type": "Action", "id": "g%d"}]}`, a, a%3))
	}
	ents = append(ents, `{"uid": {"type": "Action", "id": "g2"}, "attrs": {}, "parents": [{"type": "Action", "id": "g0"}]}`)
	for u := range 6 {
		ents = append(ents, fmt.Sprintf(`{"uid": {"type": "User", "id": "u%d"}, "attrs": {}, "parents": [{"type": "Group", "id": "g%d"}]}`, u, u%4))
	}
	return map[string]string{"gen.cedar": b.String(), "entities.json": "[" + strings.Join(ents, ",\n") + "]"}
}

func TestIndexEquivalence(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s, err := Load(mapFS(genSource(r, 300)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	actions := []string{"a0", "a1", "a5", "a7", "g0", "g2", "nowhere", "unknown"}
	for i := range 2000 {
		rq := req(uid("User", fmt.Sprintf("u%d", r.IntN(8))), uid("Action", actions[r.IntN(len(actions))]),
			uid("Doc", "1"), nil)
		if r.IntN(2) == 0 {
			rq.Context = types.NewRecord(types.RecordMap{"n": types.Long(r.IntN(6))})
		}
		var extra []types.Entity
		switch r.IntN(4) {
		case 0: // an extra action entity changes the action's ancestry: full scan
			extra = []types.Entity{{UID: rq.Action, Parents: types.NewEntityUIDSet(uid("Action", "g1"))}}
		case 1: // an extra action group entity
			extra = []types.Entity{{UID: uid("Action", "g2"), Parents: types.NewEntityUIDSet(uid("Action", "g1"))}}
		case 2:
			extra = []types.Entity{{UID: rq.Principal, Parents: types.NewEntityUIDSet(uid("Group", "g1"))}}
		}
		got, want := s.Evaluate(rq, extra...), s.evaluateAll(rq, extra...)
		if !sameDecision(got, want) {
			t.Fatalf("request %d %+v extra %v:\nindexed %+v\nfull    %+v", i, rq, extra, got, want)
		}
	}
}

func sameDecision(a, b Decision) bool {
	sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
	ids := func(es []EvalError) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.PolicyID)
		}
		return sorted(out)
	}
	return a.Allow == b.Allow && a.Reason == b.Reason &&
		slices.Equal(sorted(a.Determining), sorted(b.Determining)) && slices.Equal(ids(a.Errors), ids(b.Errors))
}
