package mcp

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseBatch(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []Message
		wantIDs []string
	}{
		{"mixed",
			`[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}},
			  {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}},
			  {"jsonrpc":"2.0","id":"r","result":{}},
			  {"jsonrpc":"2.0","id":"x","method":"resources/read","params":{"uri":"u"}}]`,
			[]Message{
				{ID: raw(`1`), Method: "tools/call", Tool: "a"},
				{Method: "notifications/progress", Notification: true},
				{ID: raw(`"r"`), Response: true},
				{ID: raw(`"x"`), Method: "resources/read", URI: "u"},
			},
			[]string{`1`, `"x"`}},
		{"all notifications",
			`[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}]`,
			[]Message{
				{Method: "notifications/initialized", Notification: true},
				{Method: "notifications/cancelled", Notification: true},
			},
			nil},
		{"single element", `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`,
			[]Message{{ID: raw(`1`), Method: "ping"}}, []string{`1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Parse([]byte(tt.body), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !b.Batch || len(b.Messages) != len(tt.want) {
				t.Fatalf("Batch = %v, %d messages; want batch of %d", b.Batch, len(b.Messages), len(tt.want))
			}
			for i := range tt.want {
				assertMessage(t, b.Messages[i], tt.want[i])
			}
			assertIDs(t, b.RequestIDs(), tt.wantIDs)
		})
	}
}

func assertIDs(t *testing.T, got []json.RawMessage, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("RequestIDs() = %q, want %q", got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("RequestIDs()[%d] = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	got := Options{MaxBytes: -1}.withDefaults()
	want := Options{MaxBytes: DefaultMaxBytes, MaxDepth: DefaultMaxDepth, MaxBatch: DefaultMaxBatch,
		MaxValues: DefaultMaxValues, MaxArgumentDepth: DefaultMaxArgumentDepth}
	if !reflect.DeepEqual(got, want) { // Options holds a func: not comparable
		t.Errorf("withDefaults() = %+v, want %+v", got, want)
	}
	if (Options{MaxBatch: 3}).withDefaults().MaxBatch != 3 {
		t.Error("withDefaults overrode an explicit MaxBatch")
	}
}
