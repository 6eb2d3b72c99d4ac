package mcp

import (
	"slices"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestReadArgument: members ReadArgument refuses are left out of
// Arguments (by their folded names when folding), and every limit still
// holds over them.
func TestReadArgument(t *testing.T) {
	body := func(args string) []byte {
		return []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":` + args + `}}`)
	}
	onlyRepo := func(name string) bool { return name == "repo" }
	for _, tc := range []struct {
		name, args string
		fold       bool
		keys       []string
		reason     Reason
	}{
		{name: "unread left out", args: `{"repo":"a","body":"` + strings.Repeat("x", 100) + `"}`, keys: []string{"repo"}},
		{name: "folded name read", args: `{"Repo":{"x":1},"Body":2}`, fold: true, keys: []string{"repo"}},
		{name: "exact name unread", args: `{"Repo":1}`, keys: []string{}},
		{name: "too deep though unread", args: `{"body":[[[[1]]]]}`, reason: ReasonTooDeep},
		{name: "duplicate though unread", args: `{"body":1,"Body":2}`, reason: ReasonDuplicateKey},
		{name: "not an object", args: `[1]`, reason: ReasonBadParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Parse(body(tc.args), Options{MaxArgumentDepth: 3, FoldArgumentNames: tc.fold, ReadArgument: onlyRepo})
			if tc.reason != "" {
				if ReasonOf(err) != tc.reason {
					t.Fatalf("err %v, want %s", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			keys := slices.Sorted(b.Messages[0].Arguments.Keys())
			if !slices.Equal(keys, toStrings(tc.keys)) {
				t.Errorf("keys %q, want %q", keys, tc.keys)
			}
			full, err := Parse(body(tc.args), Options{MaxArgumentDepth: 3, FoldArgumentNames: tc.fold})
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range b.Messages[0].Arguments.All() {
				if w, ok := full.Messages[0].Arguments.Get(k); !ok || !v.Equal(w) {
					t.Errorf("%s: %v, full conversion %v", k, v, w)
				}
			}
		})
	}
}

func toStrings(s []string) []types.String {
	out := make([]types.String, len(s))
	for i, v := range s {
		out[i] = types.String(v)
	}
	return out
}
