package policy

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

func TestEvaluate(t *testing.T) {
	s := mustLoadDir(t, "testdata/basic", Options{})
	alice, root, bob := uid("User", "alice"), uid("User", "root"), uid("User", "bob")
	order := uid("Order", "42")
	risk := func(n int64) types.RecordMap { return types.RecordMap{"risk": types.Long(n)} }
	tests := []struct {
		name        string
		principal   types.EntityUID
		action      string
		resource    types.EntityUID
		ctx         types.RecordMap
		extra       []types.Entity
		allow       bool
		reason      Reason
		determining []string
		errors      []string
	}{
		{"grandparent in via closure", alice, "read", order, nil, nil,
			true, ReasonPermit, []string{"org-read"}, nil},
		{"action group", alice, "list", order, nil, nil, true, ReasonPermit, []string{"org-read"}, nil},
		{"unknown principal", bob, "read", order, nil, nil, false, ReasonNoPermit, nil, nil},
		{"forbid wins", alice, "read", uid("Order", "frozen"), nil, nil,
			false, ReasonForbid, []string{"deny-frozen"}, nil},
		{"admin delete low risk", root, "delete", order, risk(1), nil,
			true, ReasonPermit, []string{"admin-all"}, nil},
		{"admin delete high risk", root, "delete", order, risk(9), nil,
			false, ReasonForbid, []string{"deny-risky-delete"}, nil},
		{"erroring forbid denies despite permit", root, "delete", order, nil, nil,
			false, ReasonForbidError, []string{"deny-risky-delete"}, []string{"deny-risky-delete"}},
		{"erroring permit does not allow", alice, "export", order, nil, nil,
			false, ReasonNoPermit, nil, []string{"export-cleared"}},
		{"permit with attribute", alice, "export", order, nil,
			[]types.Entity{{UID: alice, Attributes: types.NewRecord(types.RecordMap{"clearance": types.Long(5)})}},
			true, ReasonPermit, []string{"export-cleared"}, nil},
		{"extra entity keeps parents from data", alice, "read", order, nil,
			[]types.Entity{{UID: alice}}, true, ReasonPermit, []string{"org-read"}, nil},
		{"extra entity with parents closed through data", bob, "read", order, nil,
			[]types.Entity{{UID: bob, Parents: types.NewEntityUIDSet(uid("Team", "payments"))}},
			true, ReasonPermit, []string{"org-read"}, nil},
		{"extra resource attributes", alice, "update", order, nil,
			[]types.Entity{{UID: order, Attributes: types.NewRecord(types.RecordMap{"owner": alice})}},
			true, ReasonPermit, []string{"owner-write"}, nil},
		{"extra attributes override data", alice, "read", uid("Order", "frozen"), nil,
			[]types.Entity{{UID: uid("Order", "frozen"), Attributes: types.NewRecord(types.RecordMap{"frozen": types.False})}},
			true, ReasonPermit, []string{"org-read"}, nil},
		{"duplicate extra entity", alice, "read", order, nil,
			[]types.Entity{{UID: alice}, {UID: alice}}, false, ReasonInvalidRequest, nil, []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req(tt.principal, uid("Action", tt.action), tt.resource, tt.ctx)
			for name, d := range map[string]Decision{"indexed": s.Evaluate(r, tt.extra...), "full": s.evaluateAll(r, tt.extra...)} {
				if tt.reason == ReasonInvalidRequest && name == "full" {
					continue
				}
				var errIDs []string
				for _, e := range d.Errors {
					errIDs = append(errIDs, e.PolicyID)
				}
				if d.Allow != tt.allow || d.Reason != tt.reason || !slices.Equal(d.Determining, tt.determining) ||
					!slices.Equal(errIDs, tt.errors) || d.Version != s.Version() {
					t.Errorf("%s: got %+v, want allow=%v reason=%s determining=%v errors=%v",
						name, d, tt.allow, tt.reason, tt.determining, tt.errors)
				}
			}
		})
	}
}

func TestEvaluateNilSnapshot(t *testing.T) {
	var s *Snapshot
	var st Store
	for _, d := range []Decision{s.Evaluate(req(uid("User", "a"), uid("Action", "read"), uid("Order", "1"), nil)),
		st.Evaluate(req(uid("User", "a"), uid("Action", "read"), uid("Order", "1"), nil))} {
		if d.Allow || d.Reason != ReasonNoSnapshot {
			t.Errorf("nil snapshot: %+v", d)
		}
	}
}

func TestEntityClosure(t *testing.T) {
	s := mustLoadDir(t, "testdata/basic", Options{})
	e, ok := s.Entity(uid("User", "alice"))
	if !ok {
		t.Fatal("alice missing")
	}
	for _, a := range []types.EntityUID{uid("Team", "payments"), uid("Org", "acme")} {
		if !e.Parents.Contains(a) {
			t.Errorf("alice's parents %v lack ancestor %v", e.Parents, a)
		}
	}
}

func TestEntityErrors(t *testing.T) {
	policy := "@id(\"a\") permit (principal, action, resource);\n"
	tests := []struct {
		name, entities string
		sentinel       error
		want           string
	}{
		{"cycle", `[
  {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]},
  {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]}
]`, ErrEntityCycle, `entities.json:2: entity G::"a": entity hierarchy has a cycle: G::"a" -> G::"b" -> G::"a"`},
		{"duplicate", `[
  {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": []},
  {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": []}
]`, ErrEntities, `entities.json:3: invalid entity data: duplicate entity G::"a" (first at line 2)`},
		{"missing attrs", "[\n{\"uid\": {\"type\": \"G\", \"id\": \"a\"}, \"parents\": []}]",
			ErrEntities, `entities.json:2: invalid entity data`},
		{"not an array", `{}`, ErrEntities, "entities.json:1: invalid entity data: expected a JSON array"},
		{"truncated", "[\n{\"uid\": ", ErrEntities, "entities.json:2:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{"p.cedar": policy, "entities.json": tt.entities}), Options{})
			if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %v containing %q", err, tt.sentinel, tt.want)
			}
		})
	}
}
