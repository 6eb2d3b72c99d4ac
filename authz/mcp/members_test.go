package mcp

import (
	"strings"
	"testing"
)

// memberCases are bodies that some Go MCP server reads differently from an
// exact-case reader: encoding/json (mcp-go, go-sdk before the fix for
// CVE-2026-27896) matches member names case-insensitively under Unicode
// simple folding, and segmentio/encoding (go-sdk up to v1.4.0,
// GHSA-q382-vc8q-7jhj) read "name\u0000" as "name". Parse must refuse each
// one. They seed the differential fuzz targets too.
var memberCases = []struct {
	name, body string
	want       Reason
}{
	{"arguments case variant",
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy","Arguments":{"repo":"prod-db"}}}`, ReasonAmbiguousMember},
	{"response with case-variant method",
		`{"id":7,"jsonrpc":"2.0","result":{},"Method":"tools/call","Params":{"name":"delete_repo"}}`, ReasonAmbiguousMember},
	{"method case variant", `{"jsonrpc":"2.0","id":1,"METHOD":"tools/call","method":"ping"}`, ReasonDuplicateKey},
	{"params case variant", `{"jsonrpc":"2.0","id":1,"method":"tools/list","Params":{}}`, ReasonAmbiguousMember},
	{"jsonrpc case variant", `{"JsonRpc":"2.0","jsonrpc":"2.0","id":1,"method":"ping"}`, ReasonDuplicateKey},
	{"id case variant", `{"jsonrpc":"2.0","ID":1,"method":"ping"}`, ReasonAmbiguousMember},
	{"result case variant", `{"jsonrpc":"2.0","id":1,"Result":{}}`, ReasonAmbiguousMember},
	{"error case variant", `{"jsonrpc":"2.0","id":1,"Error":{"code":1,"message":"x"}}`, ReasonAmbiguousMember},
	{"name case variant", `{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"Name":"x"}}`, ReasonAmbiguousMember},
	{"uri case variant", `{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"URI":"file:///etc"}}`, ReasonAmbiguousMember},
	{"meta case variant", `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_Meta":{}}}`, ReasonAmbiguousMember},
	{"long s folds to params", `{"jsonrpc":"2.0","id":1,"method":"tools/call","paramſ":{"name":"x"}}`, ReasonAmbiguousMember},
	{"long s escaped folds to arguments",
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","argument\u017f":{"repo":"prod-db"}}}`, ReasonAmbiguousMember},
	{"kelvin folds to task", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","tas\u212a":{}}}`, ReasonAmbiguousMember},
	{"nul after name", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"safe","name\u0000":"rm"}}`, ReasonAmbiguousMember},
	{"nul in argument key", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"repo\u0000":"prod-db"}}}`, ReasonAmbiguousMember},
	{"control char deep", `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":[{"b\u001f":1}]}}}`, ReasonAmbiguousMember},
	{"del in key", `{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x\u007f":1}}`, ReasonAmbiguousMember},
	{"c1 control in key", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\u0085\":1}}", ReasonAmbiguousMember},
	{"nul in top-level key", `{"jsonrpc":"2.0","id":1,"method":"tools/list","params\u0000":{}}`, ReasonAmbiguousMember},
	{"method with result", `{"jsonrpc":"2.0","id":1,"method":"tools/call","result":{}}`, ReasonInvalidRequest},
	{"method with error", `{"jsonrpc":"2.0","id":1,"method":"tools/call","error":{"code":1,"message":"x"}}`, ReasonInvalidRequest},
	{"error not an object", `{"jsonrpc":"2.0","id":1,"error":"x"}`, ReasonInvalidRequest},
	{"null result", `{"jsonrpc":"2.0","id":1,"result":null}`, ReasonInvalidRequest},
	{"null error", `{"jsonrpc":"2.0","id":1,"error":null}`, ReasonInvalidRequest},
	{"array result", `{"jsonrpc":"2.0","id":1,"result":[]}`, ReasonInvalidRequest},
	{"null id request", `{"jsonrpc":"2.0","id":null,"method":"tools/call","params":{"name":"t"}}`, ReasonBadID},
	{"null id response", `{"jsonrpc":"2.0","id":null,"result":{}}`, ReasonBadID},
	{"fractional id", `{"jsonrpc":"2.0","id":1.5,"method":"ping"}`, ReasonBadID},
	{"exponent id", `{"jsonrpc":"2.0","id":1e2,"method":"ping"}`, ReasonBadID},
	{"negative zero id", `{"jsonrpc":"2.0","id":-0,"method":"ping"}`, ReasonBadID},
	{"id beyond 2^53", `{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`, ReasonBadID},
	{"id beyond int64", `{"jsonrpc":"2.0","id":99999999999999999999,"method":"ping"}`, ReasonBadID},
}

func TestParseRejectsAmbiguousMembers(t *testing.T) {
	for _, tt := range memberCases {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse([]byte(tt.body), Options{})
			if err == nil {
				t.Fatalf("Parse accepted %s as %+v", tt.body, b.Messages)
			}
			if got := ReasonOf(err); got != tt.want {
				t.Fatalf("reason %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestParseAcceptsExactMembers(t *testing.T) {
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":9007199254740991,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":-9007199254740991,"method":"ping"}`,
		`{"jsonrpc":"2.0","id":"a\u0000b","method":"ping"}`,
		`{"jsonrpc":"2.0","id":0,"method":"tools/call","params":{"name":"t","arguments":{"Repo":"x","repo2":"y"},"_meta":{"progressToken":1}}}`,
		`{"jsonrpc":"2.0","id":1,"result":{"Method":"x"}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":-1,"message":"m"}}`,
		`{"jsonrpc":"2.0","method":"notifications/initialized","params":{"Names":1}}`,
	} {
		if _, err := Parse([]byte(body), Options{}); err != nil {
			t.Errorf("Parse(%s) = %v", body, err)
		}
	}
}

// TestParseLongIDRejected keeps an id that no consumer reads the same way
// (a 1000-digit integer) out of the error answer.
func TestParseLongIDRejected(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":` + strings.Repeat("9", 1000) + `,"method":"ping"}`
	if _, err := Parse([]byte(body), Options{}); ReasonOf(err) != ReasonBadID {
		t.Fatalf("err = %v, want bad_id", err)
	}
}
