package policy

import (
	"iter"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// FuzzIndexDifferential generates a policy world and requests from the
// fuzz input, and checks that Snapshot.Evaluate (closed ancestors, overlay,
// scope index) answers exactly as cedar.Authorize over every policy, in
// file order, with the raw hierarchy and the extra entities merged in; the
// one intended divergence is that an erroring forbid denies.
func FuzzIndexDifferential(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03", "\x07\x00\x05\x03\x02\x01\x06\x04\x08\x09\x0a",
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0\x10\x20\x30\x40\x50\x60"} {
		f.Add([]byte(seed))
	}
	r := rand.New(rand.NewPCG(9, 9))
	for range 8 {
		b := make([]byte, 400)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkDifferential(t, b) })
}

// TestIndexDifferential runs the differential check over fixed random
// inputs, so that plain `go test` covers it.
func TestIndexDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for range 1500 {
		b := make([]byte, 200+r.IntN(600))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		checkDifferential(t, b)
	}
}

func checkDifferential(t *testing.T, b []byte) {
	t.Helper()
	p := &picker{b: b}
	u := genUniverse(p)
	s, err := Load(mapFS(u.files()), Options{})
	if err != nil {
		t.Fatalf("load: %v\n%s", err, u.policies)
	}
	list, err := cedar.NewPolicyListFromBytes("gen.cedar", []byte(u.policies))
	if err != nil {
		t.Fatal(err)
	}
	// The requests draw from the input read backwards: the world often
	// uses up the input, and requests drawn past its end are all alike.
	rp := &picker{b: slices.Clone(b)}
	slices.Reverse(rp.b)
	for range 1 + rp.n(12) {
		r, extra := genRequest(rp)
		want := reference(list, u.entities, r, extra)
		// The index, and the full scan (every scope-only policy decided
		// by Tollgate, not only those the index selects).
		for name, got := range map[string]Decision{"indexed": s.Evaluate(r, extra...), "full scan": s.evaluateAll(r, extra...)} {
			if !slices.Equal(got.Determining, want.Determining) || got.Allow != want.Allow ||
				got.Reason != want.Reason || !slices.Equal(got.Errors, want.Errors) {
				t.Fatalf("request %+v extra %+v\n%s %+v\ncedar   %+v\npolicies:\n%s", r, extra, name, got, want, u.policies)
			}
		}
	}
}

func errorIDs(d Decision) []string {
	var out []string
	for _, e := range d.Errors {
		out = append(out, e.PolicyID)
	}
	return out
}

// listIter iterates a policy list in file order under its @id.
type listIter []*cedar.Policy

func (l listIter) All() iter.Seq2[cedar.PolicyID, *cedar.Policy] {
	return func(yield func(cedar.PolicyID, *cedar.Policy) bool) {
		for _, p := range l {
			if !yield(cedar.PolicyID(p.Annotations()["id"]), p) {
				return
			}
		}
	}
}

// reference decides with cedar.Authorize over the raw entities, the extra
// entities merged into them (parents united, the extra's attributes win),
// and maps the answer to a Decision, denying on an erroring forbid.
func reference(list []*cedar.Policy, data []types.Entity, r cedar.Request, extra []types.Entity) Decision {
	ents := types.EntityMap{}
	for _, e := range data {
		ents[e.UID] = e
	}
	for _, x := range extra {
		if old, ok := ents[x.UID]; ok {
			x.Parents = types.NewEntityUIDSet(append(old.Parents.Slice(), x.Parents.Slice()...)...)
			x.Attributes = mergeRecordsRef(old.Attributes, x.Attributes)
		}
		ents[x.UID] = x
	}
	byID := map[cedar.PolicyID]*cedar.Policy{}
	for id, p := range listIter(list).All() {
		byID[id] = p
	}
	ok, diag := cedar.Authorize(listIter(list), ents, r)
	var d Decision
	var erroredForbids []string
	for _, e := range diag.Errors {
		forbid := byID[e.PolicyID].Effect() == cedar.Forbid
		d.Errors = append(d.Errors, EvalError{PolicyID: string(e.PolicyID), Forbid: forbid, Kind: classifyEvalError(e.Message)})
		if forbid {
			erroredForbids = append(erroredForbids, string(e.PolicyID))
		}
	}
	if ok == cedar.Deny || erroredForbids == nil {
		for _, rs := range diag.Reasons {
			d.Determining = append(d.Determining, string(rs.PolicyID))
		}
	}
	switch {
	case erroredForbids != nil:
		d.Reason, d.Determining = ReasonForbidError, append(d.Determining, erroredForbids...)
	case ok == cedar.Allow:
		d.Allow, d.Reason = true, ReasonPermit
	case len(diag.Reasons) > 0:
		d.Reason = ReasonForbid
	default:
		d.Reason = ReasonNoPermit
	}
	return d
}

func mergeRecordsRef(base, top types.Record) types.Record {
	m := types.RecordMap{}
	for k, v := range base.All() {
		m[k] = v
	}
	for k, v := range top.All() {
		m[k] = v
	}
	return types.NewRecord(m)
}

// Concurrent Checks share the index's pooled candidate lists: each still
// gets its own answer (run with -race).
func TestIndexConcurrent(t *testing.T) {
	p := &picker{b: []byte("\x05\x01\x07\x03\x02\x09\x04\x06\x08\x0b\x0a\x0c\x11\x13\x17\x19\x1d\x1f\x25\x29")}
	u := genUniverse(p)
	s, err := Load(mapFS(u.files()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	type check struct {
		r     cedar.Request
		extra []types.Entity
		want  Decision
	}
	r := rand.New(rand.NewPCG(5, 6))
	var checks []check
	for range 64 {
		b := make([]byte, 64)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		rq, extra := genRequest(&picker{b: b})
		checks = append(checks, check{rq, extra, s.evaluateAll(rq, extra...)})
	}
	done := make(chan struct{})
	for w := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 400 {
				c := checks[(i*7+w)%len(checks)]
				if got := s.Evaluate(c.r, c.extra...); !sameDecision(got, c.want) {
					t.Errorf("worker %d: %+v, want %+v", w, got, c.want)
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
}
