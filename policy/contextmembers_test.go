package policy

import (
	"slices"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

func TestContextMembers(t *testing.T) {
	for _, tc := range []struct {
		name, cond string
		all        bool
		names      []string // when not all
	}{
		{"none", `principal.namespace == "n"`, false, []string{}},
		{"dot", `context.mcp.arguments.repo like "a*"`, false, []string{"repo"}},
		{"has", `context.mcp.arguments has repo`, false, []string{"repo"}},
		{"index with a dot", `context.mcp.arguments["a.b"] == 1`, false, []string{"a.b"}},
		{"nested", `context.mcp.arguments.repo.owner == "x" && context.mcp.arguments has title`, false, []string{"repo", "title"}},
		{"other mcp members", `context.mcp.tool == "x" && context.mcp has arguments`, true, nil},
		{"elsewhere", `context.risk < 3 && context.mcpx.arguments.q == 1`, false, []string{}},
		{"record compared", `context.mcp.arguments == {}`, true, nil},
		{"mcp compared", `context.mcp == {}`, true, nil},
		{"context whole", `context == {}`, true, nil},
		{"if-then-else", `(if true then context.mcp.arguments else {}).q == 1`, true, nil},
		{"in a set", `[context.mcp.arguments].contains({})`, true, nil},
		{"mcp through a record", `{m: context.mcp}.m.arguments.q == 1`, true, nil},
		{"in a record literal", `{a: context.mcp.arguments.q}.a == 1`, false, []string{"q"}},
		{"unless", `true`, false, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := `@id("p") permit(principal, action, resource) when { ` + tc.cond + ` };
@id("q") forbid(principal, action, resource) unless { context.mcp.arguments has z || true };`
			snap := mustLoad(t, map[string]string{"p.cedar": text})
			m := snap.ContextMembers("mcp", "arguments")
			if m.All() != tc.all {
				t.Fatalf("All() = %v, want %v", m.All(), tc.all)
			}
			if tc.all {
				if !m.Reads("anything") || m.Names() != nil {
					t.Errorf("all: Reads %v, Names %q", m.Reads("anything"), m.Names())
				}
				return
			}
			want := slices.Sorted(slices.Values(append(tc.names, "z")))
			if got := m.Names(); !slices.Equal(got, want) {
				t.Errorf("Names() = %q, want %q", got, want)
			}
			if m.Reads("unread") {
				t.Error("Reads(unread)")
			}
			if again := snap.ContextMembers("mcp", "arguments"); !slices.Equal(again.Names(), m.Names()) {
				t.Errorf("second answer %q", again.Names())
			}
		})
	}
}

func TestContextMembersZeroAndNil(t *testing.T) {
	var s *Snapshot
	if !s.ContextMembers("mcp").All() || !(Members{}).All() || !(Pinned{}).ContextMembers("x").All() {
		t.Error("no snapshot or the zero Members must read every member")
	}
}

// TestStorePinKeepsSnapshot: an evaluation through a Pin uses the pinned
// snapshot even after another is swapped in.
func TestStorePinKeepsSnapshot(t *testing.T) {
	a := mustLoad(t, map[string]string{"p.cedar": `@id("a") permit(principal, action, resource);`})
	b := mustLoad(t, map[string]string{"p.cedar": `@id("b") forbid(principal, action, resource);`})
	st := NewStore(nil)
	st.Swap(a)
	pin := st.Pin()
	st.Swap(b)
	req := cedar.Request{Principal: types.NewEntityUID("Workload", "w"), Action: types.NewEntityUID("Action", "a"),
		Resource: types.NewEntityUID("Order", "1"), Context: types.NewRecord(nil)}
	if d := pin.Evaluate(req); !d.Allow || !slices.Equal(d.Determining, []string{"a"}) {
		t.Errorf("pinned: %+v", d)
	}
	if d := st.Evaluate(req); d.Allow {
		t.Errorf("store: %+v", d)
	}
	st.DenyWhenStale(func() bool { return true })
	if d := pin.Evaluate(req); d.Reason != ReasonStale {
		t.Errorf("stale after pinning: %+v", d)
	}
	if d := (Pinned{store: NewStore(nil)}).Evaluate(req); d.Reason != ReasonNoSnapshot {
		t.Errorf("no snapshot: %+v", d)
	}
}
