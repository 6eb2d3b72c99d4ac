package policy

import (
	"reflect"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	xast "github.com/cedar-policy/cedar-go/x/exp/ast"
)

// parseOne parses one policy and returns it with its entry.
func parseOne(t *testing.T, text string) (*cedar.Policy, *entry) {
	t.Helper()
	list, err := cedar.NewPolicyListFromBytes("c.cedar", []byte(text))
	if err != nil || len(list) != 1 {
		t.Fatalf("%s: %v", text, err)
	}
	p := list[0]
	return p, newEntry(p, &Meta{ID: "p", File: "c.cedar", Line: p.Position().Line,
		Column: p.Position().Column, Effect: effectOf(p)}, newInterner())
}

// The accepted forms are kept without their cedar.Policy, and ast()
// gives back the tree the parser built, node for node; everything else
// keeps its cedar.Policy.
func TestConditionCompiles(t *testing.T) {
	for _, c := range []struct {
		cond   string
		native bool
	}{
		{`when { principal has ns }`, true},
		{`when { principal has "ns" }`, true},
		{`when { resource.ns == "a" }`, true},
		{`when { context["ns"] == 1 }`, true},
		{`when { context.on == true }`, true},
		{`when { principal has ns && principal.ns == "a" && context has m && context.m == "GET" }`, true},
		{`when { (principal has ns && principal.ns == "a") && resource has ns }`, true},
		{`when { principal has ns } when { resource has ns }`, false},
		{`unless { principal has ns }`, false},
		{`when { principal has ns || resource has ns }`, false},
		{`when { principal has ns && (resource has ns && context has ns) }`, false},
		{`when { principal has a.b }`, false},
		{`when { principal.a.b == "x" }`, false},
		{`when { "a" == principal.ns }`, false},
		{`when { principal.ns != "a" }`, false},
		{`when { !(principal has ns) }`, false},
		{`when { action.ns == "a" }`, false},
		{`when { principal.ns == ["a"] }`, false},
		{`when { principal.ns == User::"a" }`, false},
		{`when { principal.ns == resource.ns }`, false},
		{`when { principal.ns == -1 }`, true}, // the parser reads -1 as a literal
		{`when { principal.hasTag("ns") }`, false},
		{`when { principal in Group::"g" }`, false},
		{`when { true }`, false},
		{`when { ip("1.2.3.4") == ip("1.2.3.4") }`, false},
	} {
		text := `@id("p") @team("t") forbid (principal == User::"u", action in [Action::"a"], resource is Doc) ` + c.cond + ";"
		p, e := parseOne(t, text)
		if native := e.compiled == nil; native != c.native {
			t.Errorf("%s: native %v, want %v", c.cond, native, c.native)
			continue
		}
		want := *(*xast.Policy)(p.AST())
		want.Position.Offset = 0 // ast() does not keep the offset
		if got := e.ast(); !reflect.DeepEqual(*got, want) {
			t.Errorf("%s: ast() differs:\n got %#v\nwant %#v", c.cond, *got, want)
		}
	}
}

// conditionData is the entity data of the atom tests: User::"u" has ns
// "a" and level 1; User::"bare" has no attributes; User::"gone" is not
// in the data.
func conditionData() types.EntityMap {
	return types.EntityMap{
		uid("User", "u"): {UID: uid("User", "u"), Attributes: types.NewRecord(types.RecordMap{
			"ns": types.String("a"), "level": types.Long(1), "on": types.True})},
		uid("User", "bare"): {UID: uid("User", "bare")},
		uid("Doc", "d"):     {UID: uid("Doc", "d"), Attributes: types.NewRecord(types.RecordMap{"ns": types.String("b")})},
	}
}

// Each atom kind and each error kind, decided by Tollgate, against the
// expected answer and against cedar-go's evaluation of the same policy.
func TestConditionAtoms(t *testing.T) {
	ctx := types.NewRecord(types.RecordMap{"m": types.String("GET"), "n": types.Long(2)})
	for _, c := range []struct {
		name, cond, principal string
		holds                 bool
		kind                  ErrorKind
	}{
		{"has entity attribute", `principal has ns`, "u", true, ""},
		{"has missing attribute", `principal has nope`, "u", false, ""},
		{"has on an entity not in the data", `principal has ns`, "gone", false, ""},
		{"has on the unspecified entity", `principal has ns`, "", false, ""},
		{"has resource attribute", `resource has ns`, "u", true, ""},
		{"has context attribute", `context has m`, "u", true, ""},
		{"has missing context attribute", `context has x`, "u", false, ""},
		{"string equal", `principal.ns == "a"`, "u", true, ""},
		{"string not equal", `principal["ns"] == "b"`, "u", false, ""},
		{"long equal", `principal.level == 1`, "u", true, ""},
		{"long against string", `principal.level == "1"`, "u", false, ""},
		{"string against long", `resource.ns == 0`, "u", false, ""},
		{"boolean equal", `principal.on == true`, "u", true, ""},
		{"context equal", `context.m == "GET" && context.n == 2`, "u", true, ""},
		{"missing entity attribute", `principal.nope == "a"`, "u", false, ErrorMissingAttribute},
		{"entity not in the data", `principal.ns == "a"`, "gone", false, ErrorMissingEntity},
		{"unspecified entity", `principal.ns == "a"`, "", false, ErrorMissingAttribute},
		{"missing context attribute", `context.x == "a"`, "u", false, ErrorMissingAttribute},
		{"has guards the access", `principal has nope && principal.nope == "a"`, "bare", false, ""},
		{"false first: no error", `principal.ns == "z" && principal.nope == "a"`, "u", false, ""},
		{"error first", `principal.nope == "a" && principal.ns == "z"`, "u", false, ErrorMissingAttribute},
		{"all hold", `principal has ns && principal.ns == "a" && resource.ns == "b"`, "u", true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, e := parseOne(t, `@id("p") permit (principal, action, resource) when { `+c.cond+` };`)
			if e.scope == nil {
				t.Fatalf("not decided natively")
			}
			r := cedar.Request{Action: uid("Action", "a"), Resource: uid("Doc", "d"), Context: ctx}
			if c.principal != "" {
				r.Principal = uid("User", c.principal)
			}
			ents := conditionData()
			holds, kind := e.scope.decide(&r, ents)
			if holds != c.holds || kind != c.kind {
				t.Errorf("decide = %v, %q; want %v, %q", holds, kind, c.holds, c.kind)
			}
			ps := cedar.NewPolicySet()
			ps.Add("p", p)
			ok, diag := cedar.Authorize(ps, ents, r)
			var cedarKind ErrorKind
			if len(diag.Errors) > 0 {
				cedarKind = classifyEvalError(diag.Errors[0].Message)
			}
			if (ok == cedar.Allow) != holds || cedarKind != kind {
				t.Errorf("cedar-go: %v, %q (%v); Tollgate: %v, %q", ok, cedarKind, diag.Errors, holds, kind)
			}
		})
	}
}

// Errors of the policies decided here and of those cedar-go decides are
// reported together in load order, as one cedar.Authorize reports them,
// and an erroring forbid decided here denies with ReasonForbidError.
func TestConditionErrorsInLoadOrder(t *testing.T) {
	s, err := Load(mapFS(map[string]string{"p.cedar": `
@id("p0") permit (principal, action, resource) unless { principal.nope == 1 };
@id("p1") forbid (principal, action, resource) when { principal.nope == 1 };
@id("p2") permit (principal, action, resource) when { resource.nope == 1 || true };
@id("p3") permit (principal, action, resource) when { principal has ns };
@id("p4") permit (principal, action, resource) when { context.nope == "x" };
`, "entities.json": `[{"uid":{"type":"User","id":"u"},"attrs":{"ns":"a"},"parents":[]},
{"uid":{"type":"Doc","id":"d"},"attrs":{},"parents":[]}]`}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for id, native := range map[string]bool{"p0": false, "p1": true, "p2": false, "p3": true, "p4": true} {
		if got := s.byID[id].compiled == nil; got != native {
			t.Fatalf("%s: native %v, want %v", id, got, native)
		}
	}
	r := req(uid("User", "u"), uid("Action", "a"), uid("Doc", "d"), nil)
	d := s.Evaluate(r)
	want := []EvalError{{PolicyID: "p0", Kind: ErrorMissingAttribute}, {PolicyID: "p1", Forbid: true, Kind: ErrorMissingAttribute},
		{PolicyID: "p2", Kind: ErrorMissingAttribute}, {PolicyID: "p4", Kind: ErrorMissingAttribute}}
	if !reflect.DeepEqual(d.Errors, want) || d.Allow || d.Reason != ReasonForbidError ||
		!reflect.DeepEqual(d.Determining, []string{"p1"}) {
		t.Errorf("got %+v\nwant errors %+v, forbid_error determined by p1", d, want)
	}
}
