package mcp

import (
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

func mustDecimal(t *testing.T, s string) types.Decimal {
	t.Helper()
	d, err := types.ParseDecimal(s)
	if err != nil {
		t.Fatalf("ParseDecimal(%q): %v", s, err)
	}
	return d
}

func TestToolCallArguments(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"query","arguments":{
		"sql":"select 1","dry":true,"limit":100,"ratio":0.25,"gone":null,
		"tags":["a","b","a",null],
		"opts":{"depth":{"max":-3},"path":["x",{"y":false}]},
		"":"empty key","K":1}}}`
	b, err := Parse([]byte(body), Options{})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	m := b.Messages[0]
	want := types.NewRecord(types.RecordMap{
		"sql":   types.String("select 1"),
		"dry":   types.True,
		"limit": types.Long(100),
		"ratio": mustDecimal(t, "0.25"),
		"tags":  types.NewSet(types.String("a"), types.String("b")),
		"opts": types.NewRecord(types.RecordMap{
			"depth": types.NewRecord(types.RecordMap{"max": types.Long(-3)}),
			"path":  types.NewSet(types.String("x"), types.NewRecord(types.RecordMap{"y": types.False})),
		}),
		"":  types.String("empty key"),
		"K": types.Long(1),
	})
	if m.Tool != "query" || !m.Arguments.Equal(want) {
		t.Errorf("Tool = %q, Arguments = %v\nwant %v", m.Tool, m.Arguments, want)
	}
}

func TestPromptArguments(t *testing.T) {
	b, err := Parse([]byte(`{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"p","arguments":{"lang":"go"}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := types.NewRecord(types.RecordMap{"lang": types.String("go")})
	if m := b.Messages[0]; m.Prompt != "p" || !m.Arguments.Equal(want) {
		t.Errorf("Prompt = %q, Arguments = %v", m.Prompt, m.Arguments)
	}
}

func TestNumberValue(t *testing.T) {
	tests := []struct {
		lit  string
		want types.Value // nil: mustDecimal(dec)
		dec  string
	}{
		{lit: "0", want: types.Long(0)},
		{lit: "-0", want: types.Long(0)},
		{lit: "-0.0e-5", want: types.Long(0)},
		{lit: "0e99999999999999999999", want: types.Long(0)},
		{lit: "42", want: types.Long(42)},
		{lit: "1e2", want: types.Long(100)},
		{lit: "1E+2", want: types.Long(100)},
		{lit: "100.000", want: types.Long(100)},
		{lit: "12500e-2", want: types.Long(125)},
		{lit: "9223372036854775807", want: types.Long(9223372036854775807)},
		{lit: "-9223372036854775808", want: types.Long(-9223372036854775808)},
		{lit: "9223372036854775808", want: types.String("9223372036854775808")},
		{lit: "1e19", want: types.String("1e19")},
		{lit: "123456789012345678901234567890", want: types.String("123456789012345678901234567890")},
		{lit: "1.5", dec: "1.5"},
		{lit: "-0.0001", dec: "-0.0001"},
		{lit: "15e-1", dec: "1.5"},
		{lit: "1.50000", dec: "1.5"},
		{lit: "922337203685477.5807", dec: "922337203685477.5807"},
		{lit: "-922337203685477.5808", dec: "-922337203685477.5808"},
		{lit: "922337203685477.5808", want: types.String("922337203685477.5808")},
		{lit: "0.00001", want: types.String("0.00001")},
		{lit: "1.23456", want: types.String("1.23456")},
		{lit: "1e-5", want: types.String("1e-5")},
		{lit: "1e400", want: types.String("1e400")},
		{lit: "1e99999999999999999999", want: types.String("1e99999999999999999999")},
		{lit: "1e-99999999999999999999", want: types.String("1e-99999999999999999999")},
	}
	for _, tt := range tests {
		t.Run(tt.lit, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = mustDecimal(t, tt.dec)
			}
			if got := numberValue(tt.lit); !got.Equal(want) {
				t.Errorf("numberValue(%s) = %#v, want %#v", tt.lit, got, want)
			}
		})
	}
}
