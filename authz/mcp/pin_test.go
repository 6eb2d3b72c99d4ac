package mcp

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// TestCanonicalRFC8785 checks the canonical form against RFC 8785's own
// examples (3.2.2.3 numbers, 3.2.3 key order).
func TestCanonicalRFC8785(t *testing.T) {
	for in, want := range map[string]string{
		`[1e30, 4.50, 2e-3, 0.000001, 1e-7, -0, 1e21, 1e20, 333333333.33333329, 5e-324, -1.5]`: `[1e+30,4.5,0.002,0.000001,1e-7,0,1e+21,100000000000000000000,333333333.3333333,5e-324,-1.5]`,
		`{"\u20ac":1,"\ufb33":3,"1":4,"\ud83d\ude00":5,"\u00f6":7}`:                            "{\"1\":4,\"\u00f6\":7,\"\u20ac\":1,\"\U0001F600\":5,\"\ufb33\":3}",
		`{ "b" : [ true , null ], "a" : "x\u001f\"\\/\t" }`:                                    `{"a":"x\u001f\"\\/\t","b":[true,null]}`,
	} {
		v, err := strictjson.Parse(context.Background(), []byte(in), strictjson.Limits{MaxDepth: 8, MaxValues: 100})
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		if err := canon(&sb, &v); err != nil || sb.String() != want {
			t.Errorf("canon(%s) = %s (%v), want %s", in, sb.String(), err, want)
		}
	}
	if es6Number(math.MaxFloat64) != "1.7976931348623157e+308" {
		t.Errorf("max float: %s", es6Number(math.MaxFloat64))
	}
}

func TestPinCoversOnlyTheDefinition(t *testing.T) {
	base, err := PinOf([]byte(`{"name":"search","description":"d","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}}`))
	if err != nil || !strings.HasPrefix(base, PinPrefix) || len(base) != len(PinPrefix)+64 {
		t.Fatalf("pin %q %v", base, err)
	}
	same := []string{
		// Member order, whitespace and escapes do not change the pin.
		`{ "inputSchema" : {"properties":{"q":{"type":"string"}},"type":"object"}, "description":"\u0064", "name":"search"}`,
		// Members outside the definition do not either.
		`{"name":"search","description":"d","title":"T","_meta":{"x":1},"inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}}`,
	}
	for _, s := range same {
		if p, err := PinOf([]byte(s)); err != nil || p != base {
			t.Errorf("PinOf(%s) = %s %v, want %s", s, p, err, base)
		}
	}
	changed := []string{
		`{"name":"search","description":"d ","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}}`,
		`{"name":"search","description":"d","inputSchema":{"type":"object","properties":{"q":{"type":"number"}}}}`,
		`{"name":"search","description":"d","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}},"annotations":{}}`,
		`{"name":"Search","description":"d","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}}`,
	}
	for _, s := range changed {
		if p, _ := PinOf([]byte(s)); p == base {
			t.Errorf("PinOf(%s) did not change", s)
		}
	}
	for _, bad := range []string{`[]`, `{"name":"x","name":"y"}`, `{"name":1e999}`, `{`} {
		if p, err := PinOf([]byte(bad)); err == nil {
			t.Errorf("PinOf(%s) = %s, want an error", bad, p)
		}
	}
}
