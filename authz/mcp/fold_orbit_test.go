package mcp

import (
	"encoding/json"
	"testing"
	"unicode"

	"github.com/cedar-policy/cedar-go/types"
)

// TestFoldNameStaysInOrbit: FoldName maps every rune to a member of its
// own simple case-folding orbit, so two names fold alike exactly when
// bytes.EqualFold (encoding/json's field match) says they are equal.
// U+0130 (İ) is alone in its orbit, but unicode.ToLower maps it to an
// ASCII "i": "İd" must not fold to "id", which encoding/json never
// matches with it.
func TestFoldNameStaysInOrbit(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		got, in := FoldName(string(r)), false
		for x := r; ; {
			in = in || string(x) == got
			if x = unicode.SimpleFold(x); x == r {
				break
			}
		}
		if !in {
			t.Errorf("FoldName(%q) = %q, outside the case-folding orbit of %U", r, got, r)
		}
	}
}

// TestFoldArgumentsAsEncodingJSONBinds: on an argument_names: fold route,
// policy sees the value a server binding arguments with encoding/json
// reads. {"id":"evil","İd":"ok"} binds id = "evil" there (İd matches no
// field); policy must not see id = "ok".
func TestFoldArgumentsAsEncodingJSONBinds(t *testing.T) {
	args := `{"id":"evil","\u0130d":"ok"}`
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":` + args + `}}`)
	var server struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(args), &server); err != nil {
		t.Fatal(err)
	}
	b, err := Parse(body, Options{FoldArgumentNames: true})
	if err != nil {
		return // refusing the body is as good
	}
	if got, _ := b.Messages[0].Arguments.Get("id"); got != types.String(server.ID) {
		t.Fatalf("policy sees context.mcp.arguments.id = %v, the server binds %q", got, server.ID)
	}
}
