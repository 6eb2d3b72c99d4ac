package mcp

import (
	"bytes"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestFoldNameMatchesEqualFold: two names fold alike exactly when
// encoding/json would match them to the same field (bytes.EqualFold).
func TestFoldNameMatchesEqualFold(t *testing.T) {
	names := []string{"repo", "Repo", "REPO", "rEpO", "ſub", "sub", "SUB", "\u212aind", "kind", "Kind",
		"straße", "STRASSE", "σ", "ς", "Σ", "ǅ", "ǆ", "Ǆ", "ab", "a", "", "é", "É"}
	for _, a := range names {
		for _, b := range names {
			if got, want := FoldName(a) == FoldName(b), bytes.EqualFold([]byte(a), []byte(b)); got != want {
				t.Errorf("FoldName(%q)==FoldName(%q) is %v, bytes.EqualFold is %v", a, b, got, want)
			}
		}
	}
	if FoldName("RepoName") != "reponame" || FoldName("\u212a") != "k" || FoldName("ſ") != "s" {
		t.Errorf("FoldName lowercases: %q %q %q", FoldName("RepoName"), FoldName("\u212a"), FoldName("ſ"))
	}
}

func TestFoldArgumentNames(t *testing.T) {
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy","arguments":{"Repo":"prod-db","ſpec":{"\u212aind":[{"X":1}]}}}}`)
	want := types.NewRecord(types.RecordMap{
		"repo": types.String("prod-db"),
		"spec": types.NewRecord(types.RecordMap{"kind": types.NewSet(types.NewRecord(types.RecordMap{"x": types.Long(1)}))}),
	})
	b, err := Parse(body, Options{FoldArgumentNames: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Messages[0].Arguments; !got.Equal(want) {
		t.Fatalf("arguments %v, want %v", got, want)
	}
	exact, err := Parse(body, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := exact.Messages[0].Arguments.Get("Repo"); !ok {
		t.Fatalf("without folding the key must stay as sent: %v", exact.Messages[0].Arguments)
	}
}
