package policy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// TestConditionCorpusDifferential decides simple conditions (the form
// Tollgate decides itself) over the entities and requests of Cedar's
// conformance corpus, whose attribute values are of every Cedar type
// (records, sets, entities, extension values) and whose names are odd,
// and compares each answer, errors included, with cedar.Authorize. The
// corpus's own policies all start `when { true ...` and are left to
// cedar-go, so this is how the corpus's data reaches the native path.
// It runs every 8th test (every 64th with -short).
func TestConditionCorpusDifferential(t *testing.T) {
	files := readCorpus(t)
	names := corpusTestNames(files)
	step := 8
	if testing.Short() {
		step = 64
	}
	var requests, native int
	for i := 0; i < len(names); i += step {
		var c corpusCase
		if err := json.Unmarshal(files[names[i]], &c); err != nil {
			t.Fatal(err)
		}
		var data types.EntityMap
		if err := data.UnmarshalJSON(files[c.Entities]); err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		for _, r := range c.Requests {
			rq := cedar.Request{Principal: deref(r.Principal), Action: deref(r.Action), Resource: deref(r.Resource), Context: r.Context}
			native += checkCorpusConditions(t, names[i], files[c.Entities], data, rq)
			requests++
		}
	}
	t.Logf("%d corpus requests, %d policies decided natively", requests, native)
}

// checkCorpusConditions loads simple conditions on what rq's principal,
// resource and context hold, and compares Evaluate with cedar.Authorize.
func checkCorpusConditions(t *testing.T, name string, entities []byte, data types.EntityMap, rq cedar.Request) int {
	text := corpusConditions(data, rq)
	s, err := Load(mapFS(map[string]string{"c.cedar": text, "entities.json": string(entities)}), Options{})
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, text)
	}
	list, err := cedar.NewPolicyListFromBytes("c.cedar", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var raw []types.Entity
	for _, e := range data {
		raw = append(raw, e)
	}
	got, want := s.Evaluate(rq), reference(list, raw, rq, nil)
	if got.Allow != want.Allow || got.Reason != want.Reason || !slices.Equal(got.Determining, want.Determining) ||
		!slices.Equal(got.Errors, want.Errors) {
		t.Fatalf("%s %+v\ngot   %+v\ncedar %+v\npolicies:\n%s", name, rq, got, want, text)
	}
	n := 0
	for _, e := range s.entries {
		if e.compiled == nil {
			n++
		}
	}
	return n
}

// corpusConditions writes, for each attribute of the principal, the
// resource and the context (and one they lack), `has`, `==` its own value
// when that is a string, long or boolean, `==` a literal of each simple
// type, and chains of those; permits and forbids alternate.
func corpusConditions(data types.EntityMap, rq cedar.Request) string {
	type read struct {
		v    string
		attr types.String
		val  types.Value
	}
	reads := []read{{"principal", "nope", nil}, {"resource", "nope", nil}, {"context", "nope", nil}}
	add := func(v string, rec types.Record) {
		for k, val := range rec.All() {
			reads = append(reads, read{v, k, val})
		}
	}
	add("principal", data[rq.Principal].Attributes)
	add("resource", data[rq.Resource].Attributes)
	add("context", rq.Context)
	var atoms []string
	for _, r := range reads {
		a := string(r.attr.MarshalCedar())
		atoms = append(atoms, fmt.Sprintf("%s has %s", r.v, a))
		lits := []string{`""`, "0", "true", "false"}
		if simpleLiteral(r.val) {
			lits = append(lits, string(r.val.MarshalCedar()))
		}
		for _, l := range lits {
			atoms = append(atoms, fmt.Sprintf("%s[%s] == %s", r.v, a, l))
		}
	}
	var b strings.Builder
	effect := []string{"permit", "forbid"}
	for i, a := range atoms {
		fmt.Fprintf(&b, "@id(\"a%d\") %s (principal, action, resource) when { %s };\n", i, effect[i%2], a)
		next := atoms[(i*7+3)%len(atoms)]
		fmt.Fprintf(&b, "@id(\"c%d\") %s (principal, action, resource) when { %s && %s };\n", i, effect[(i/2)%2], a, next)
	}
	return b.String()
}
