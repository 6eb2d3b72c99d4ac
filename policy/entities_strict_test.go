package policy

import (
	"errors"
	"testing"
)

// entities.json is read the way a strict JSON reader and a reviewer read
// it: data after the array, or a member Cedar ignores but a reader takes for
// a real one ("Parents", "parent"), is refused rather than dropped.
func TestEntitiesRefuseWhatTheyWouldIgnore(t *testing.T) {
	const pol = "@id(\"p\")\npermit(principal,action,resource);\n"
	for name, ents := range map[string]string{
		"second array":     `[] [{"uid":{"type":"User","id":"a"},"parents":[{"type":"Group","id":"blocked"}],"attrs":{}}]`,
		"trailing garbage": `[{"uid":{"type":"User","id":"a"},"parents":[],"attrs":{}}] x`,
		"case variant":     `[{"uid":{"type":"User","id":"a"},"parents":[],"Parents":[{"type":"Group","id":"blocked"}],"attrs":{}}]`,
		"misspelt":         `[{"uid":{"type":"User","id":"a"},"parent":[{"type":"Group","id":"blocked"}],"parents":[],"attrs":{}}]`,
		"unknown member":   `[{"uid":{"type":"User","id":"a"},"parents":[],"attrs":{},"attributes":{"blocked":true}}]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{"a.cedar": pol, "entities.json": ents}), Options{})
			if !errors.Is(err, ErrEntities) {
				t.Fatalf("Load: err %v, want ErrEntities", err)
			}
		})
	}
}

// Whitespace after the array, and the optional tags member, still load.
func TestEntitiesStrictAcceptsPlainData(t *testing.T) {
	const pol = "@id(\"p\")\npermit(principal,action,resource);\n"
	ents := "[{\"uid\":{\"type\":\"User\",\"id\":\"a\"},\"parents\":[],\"attrs\":{},\"tags\":{\"t\":1}}]\n\n"
	s, err := Load(mapFS(map[string]string{"a.cedar": pol, "entities.json": ents}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.entities[uid("User", "a")]; !ok {
		t.Fatal("entity User::\"a\" not loaded")
	}
}
