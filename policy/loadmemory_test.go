package policy

import (
	"reflect"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// What keeps a load's peak heap down (docs/benchmarks.md, "Load memory"):
// entities with the same parents share one parent set from the moment
// they are decoded, and a file's bytes are let go once it is parsed.
func TestParseEntitiesSharesParentSets(t *testing.T) {
	f := &sourceFile{path: "entities.json", data: []byte(`[
		{"uid":{"type":"W","id":"a"},"parents":[{"type":"T","id":"t"},{"type":"G","id":"g"}],"attrs":{}},
		{"uid":{"type":"W","id":"b"},"parents":[{"type":"G","id":"g"},{"type":"T","id":"t"}],"attrs":{}},
		{"uid":{"type":"W","id":"c"},"parents":[{"type":"T","id":"t"}],"attrs":{}}]`)}
	d, err := parseEntities(f)
	if err != nil {
		t.Fatal(err)
	}
	if f.data != nil {
		t.Error("parseEntities kept the file's bytes")
	}
	a, b, c := d.entities[uid("W", "a")], d.entities[uid("W", "b")], d.entities[uid("W", "c")]
	if !a.Parents.Equal(types.NewEntityUIDSet(uid("T", "t"), uid("G", "g"))) || !c.Parents.Equal(types.NewEntityUIDSet(uid("T", "t"))) {
		t.Fatalf("parents: a %v, c %v", a.Parents, c.Parents)
	}
	if !sharedStorage(a.Parents, b.Parents) {
		t.Error("a and b have the same parents (in another order) but two sets")
	}
	if sharedStorage(a.Parents, c.Parents) {
		t.Error("a and c have different parents but one set")
	}
}

func TestParsePoliciesDropsText(t *testing.T) {
	files := []sourceFile{
		{path: "a.cedar", data: []byte(`@id("a") permit (principal, action, resource);`)},
		{path: "b.cedar", data: []byte(`@id("b") forbid (principal, action, resource) when { context.x };`)},
	}
	p, err := parsePolicies(files, exceptionRules{})
	if err != nil || len(p.entries) != 2 {
		t.Fatalf("parsePolicies: %v, %d entries", err, len(p.entries))
	}
	for _, f := range files {
		if f.data != nil {
			t.Errorf("%s: the text is still held after parsing", f.path)
		}
	}
}

// sharedStorage reports whether a and b are one shared set, not two equal ones:
// an EntityUIDSet is a struct around one map, and reflect reads where it is.
func sharedStorage(a, b types.EntityUIDSet) bool {
	m := func(s types.EntityUIDSet) uintptr { return reflect.ValueOf(s).Field(0).Pointer() }
	return a.Equal(b) && m(a) == m(b)
}
