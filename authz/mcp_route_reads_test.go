package authz

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/policy"
)

// fullOnly hides Pin: an engine on it converts every argument member.
type fullOnly struct{ Policies }

// swapAfterPin pins the snapshot in force and then swaps next in: a
// reload between the read set and the evaluation.
type swapAfterPin struct {
	*policy.Store
	next *policy.Snapshot
}

func (s swapAfterPin) Pin() policy.Pinned {
	p := s.Store.Pin()
	s.Swap(s.next)
	return p
}

// readsEngine is an engine on pol with the MCP manifest (arguments folded
// when fold), writing its decision log to log.
func readsEngine(t testing.TB, pol Policies, fold bool, log *bytes.Buffer) *Engine {
	t.Helper()
	m, err := os.ReadFile("testdata/mcp.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(m)
	if fold {
		text = strings.Replace(text, "mode: per_tool", "mode: per_tool\n      argument_names: fold", 1)
	}
	man, err := manifest.Parse("mcp.manifest.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Config{Identifier: fakeIdentifier{}, Policies: pol, Manifest: man,
		Clock: func() time.Time { return testTime }, DecisionLog: slog.New(slog.NewJSONHandler(log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func loadSnapshot(text string) (*policy.Snapshot, error) {
	return policy.Load(fstest.MapFS{"p.cedar": &fstest.MapFile{Data: []byte(text)}}, policy.Options{})
}

// checkPrunedMatchesFull checks one body against policy set a (and b,
// swapped in between the pruning engine's read set and its evaluation):
// the decision and the decision line are those of converting every
// argument against a.
func checkPrunedMatchesFull(t *testing.T, a, b *policy.Snapshot, fold bool, body string) {
	t.Helper()
	var logP, logF bytes.Buffer
	store := policy.NewStore(nil)
	store.Swap(a)
	var pruned Policies = store
	if b != nil {
		pruned = swapAfterPin{Store: store, next: b}
	}
	ep := readsEngine(t, pruned, fold, &logP)
	ef := readsEngine(t, fullOnly{a}, fold, &logF)
	dp := ep.Check(context.Background(), mcpReq("/mcp", body))
	df := ef.Check(context.Background(), mcpReq("/mcp", body))
	dp.Duration, df.Duration, dp.ID, df.ID = 0, 0, "", ""
	if _, err := mcp.Parse([]byte(body), mcp.Options{MaxBytes: 2048}); err != nil && b != nil {
		// A body refused before any evaluation names the version in force
		// when the decision is made: b's once the pin has swapped it in, a's
		// when the body was refused before the pin (bodyProblem: too large).
		if now := store.Version(); dp.PolicyVersion != now {
			t.Fatalf("refused body: version %q, want the one in force, %q", dp.PolicyVersion, now)
		}
		dp.PolicyVersion = df.PolicyVersion
		logP = *bytes.NewBuffer(bytes.Replace(logP.Bytes(), []byte(b.Version()), []byte(a.Version()), 1))
	}
	if !reflect.DeepEqual(dp, df) {
		t.Fatalf("pruned %+v\nfull   %+v\nbody %s", dp, df, body)
	}
	if lp, lf := logLine(t, &logP), logLine(t, &logF); !reflect.DeepEqual(lp, lf) {
		t.Fatalf("decision lines differ:\npruned %v\nfull   %v", lp, lf)
	}
}

// logLine is the one decision line without what differs by engine or run.
func logLine(t *testing.T, b *bytes.Buffer) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	for _, k := range []string{"time", "decision_id", "latency_us", "id"} {
		delete(m, k)
	}
	return m
}

// TestPrunedArgumentsMatchFull: over random policy sets reading random
// argument paths and random arguments, an engine that converts only the
// members its pinned snapshot reads decides and logs exactly as one that
// converts them all; so it does when a reload swaps in other policies
// between its read set and its evaluation.
func TestPrunedArgumentsMatchFull(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	g := argGen{r}
	ran := 0
	for i := range 400 {
		a, err := loadSnapshot(g.policies())
		if err != nil {
			continue
		}
		b, err := loadSnapshot(g.policies())
		if err != nil || i%2 == 0 {
			b = nil
		}
		body := call(i, "search_issues", g.object(1))
		checkPrunedMatchesFull(t, a, b, i%3 == 0, body)
		ran++
	}
	if ran < 300 {
		t.Fatalf("only %d policy sets loaded", ran)
	}
}

// FuzzPrunedArguments is TestPrunedArgumentsMatchFull with the arguments
// (any bytes, valid JSON or not) from the fuzzer and the policies, the
// manifest's folding and a reload from its seed.
func FuzzPrunedArguments(f *testing.F) {
	for i, a := range []string{`{}`, `{"a":1,"b":"x"}`, `{"A":{"a.b":[1,{"a":true}]},"x y":null}`, `{"repo":"acme/web","a":"q"}`,
		`[1]`, `{"a":1,"a":2}`, `{"a":1,"A":2}`, `{"a":`, `{"repo":"acme/\u0000"}`, `{"b":{"b":{"b":{"b":{}}}}}`} {
		f.Add(uint64(i), a)
	}
	f.Fuzz(func(t *testing.T, seed uint64, arguments string) {
		g := argGen{rand.New(rand.NewPCG(seed, seed>>7))}
		a, err := loadSnapshot(g.policies())
		if err != nil {
			return
		}
		var b *policy.Snapshot
		if seed%2 == 1 {
			if b, err = loadSnapshot(g.policies()); err != nil {
				b = nil
			}
		}
		checkPrunedMatchesFull(t, a, b, seed%3 == 0, call(1, "search_issues", arguments))
	})
}
