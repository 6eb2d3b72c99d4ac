package policy

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// lineCounter, which counts lines once for increasing offsets, answers as
// counting from the start of the data each time does, for any offsets.
func TestLineCounter(t *testing.T) {
	data := []byte("[\n {\"a\": 1},\n\n  ,{\"b\": 2}\r\n,\t{}\n]\n")
	naive := func(offset int) int {
		for offset < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[offset]) >= 0 {
			offset++
		}
		return bytes.Count(data[:min(offset, len(data))], []byte("\n")) + 1
	}
	r := rand.New(rand.NewPCG(3, 4))
	c := &lineCounter{data: data, line: 1}
	for i := range 500 {
		off := r.IntN(len(data) + 2)
		if i%3 != 0 { // mostly increasing, as the decoder asks
			off = min(len(data)+1, c.off+r.IntN(4))
		}
		if got, want := c.at(off), naive(off); got != want {
			t.Fatalf("offset %d: line %d, want %d", off, got, want)
		}
	}
}

// Entities with the same ancestors share one set; different ancestor
// lists never do, whatever their IDs contain.
func TestSharedSet(t *testing.T) {
	shared := map[string]types.EntityUIDSet{}
	var key []byte
	get := func(uids ...types.EntityUID) types.EntityUIDSet {
		var set types.EntityUIDSet
		set, key = sharedSet(shared, uids, key)
		return set
	}
	a, b := uid("G", "a"), uid("G", "b")
	// IDs that spell [a, b] under a plain or a separated concatenation
	trickies := []types.EntityUID{uid("G", "aGb"), uid("G", "a:G:b"), uid("G", "a1:G1:b")}
	ab, ba := get(a, b), get(b, a)
	if !ab.Equal(types.NewEntityUIDSet(a, b)) || !ba.Equal(ab) {
		t.Fatalf("sets %v %v", ab, ba)
	}
	for _, tr := range trickies {
		if set := get(tr); !set.Equal(types.NewEntityUIDSet(tr)) {
			t.Errorf("ancestors [%v] got the set %v", tr, set)
		}
	}
	if len(shared) != 1+len(trickies) {
		t.Errorf("%d distinct sets for %d distinct ancestor lists", len(shared), 1+len(trickies))
	}
}
