package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const listPage = `{"jsonrpc":"2.0","id":7,"result":{"tools":[` +
	`{"name":"search","description":"s","inputSchema":{"type":"object"}},` +
	`{"name":"delete","inputSchema":{"type":"object"},"annotations":{"destructiveHint":true}}],"nextCursor":"p2"}}`

func TestParseServerBodyFiltersAndKeepsCursor(t *testing.T) {
	b, err := ParseServerBody(context.Background(), []byte(listPage), Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := b.Messages[0]
	if !m.IsList || string(m.ID) != "7" || len(m.Tools) != 2 || m.Tools[1].Name != "delete" {
		t.Fatalf("parsed %+v", m)
	}
	out := b.Encode(func(_, tool int) bool { return tool == 0 })
	var got struct {
		ID     int `json:"id"`
		Result struct {
			Tools      []map[string]any `json:"tools"`
			NextCursor string           `json:"nextCursor"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.ID != 7 || len(got.Result.Tools) != 1 || got.Result.Tools[0]["name"] != "search" || got.Result.NextCursor != "p2" {
		t.Fatalf("filtered to %s", out)
	}
	if none := b.Encode(func(int, int) bool { return false }); !strings.Contains(string(none), `"tools":[]`) {
		t.Fatalf("an empty list must stay an array: %s", none)
	}
}

func TestParseServerBodyPassesOtherMessages(t *testing.T) {
	body := `[{"jsonrpc":"2.0","method":"notifications/progress","params":{}},{"jsonrpc":"2.0","id":"a","result":{"content":[]}}]`
	b, err := ParseServerBody(context.Background(), []byte(body), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Messages[0].IsList || b.Messages[1].IsList || string(b.Messages[1].ID) != `"a"` {
		t.Fatalf("parsed %+v", b.Messages)
	}
	if out := b.Encode(func(int, int) bool { return false }); string(out) != body {
		t.Fatalf("rewrote a body without tools: %s", out)
	}
}

func TestParseServerBodyRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		want error
	}{
		"not json":        {`{"jsonrpc":"2.0","id":1,"result":{"tools":[`, ErrInvalidJSON},
		"duplicate tools": {`{"jsonrpc":"2.0","id":1,"result":{"tools":[],"tools":[{"name":"x"}]}}`, ErrDuplicateKey},
		"folded tools":    {`{"jsonrpc":"2.0","id":1,"result":{"Tools":[{"name":"x"}]}}`, ErrAmbiguousMember},
		"folded result":   {`{"jsonrpc":"2.0","id":1,"Result":{"tools":[]}}`, ErrAmbiguousMember},
		"folded name":     {`{"jsonrpc":"2.0","id":1,"result":{"tools":[{"NAME":"x"}]}}`, ErrAmbiguousMember},
		"tools not array": {`{"jsonrpc":"2.0","id":1,"result":{"tools":{"name":"x"}}}`, ErrBadParams},
		"nameless tool":   {`{"jsonrpc":"2.0","id":1,"result":{"tools":[{"description":"x"}]}}`, ErrBadParams},
		"tool not object": {`{"jsonrpc":"2.0","id":1,"result":{"tools":["x"]}}`, ErrBadParams},
		"cursor number":   {`{"jsonrpc":"2.0","id":1,"result":{"tools":[],"nextCursor":2}}`, ErrBadParams},
		"repeated tool":   {`{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"x"},{"name":"x","description":"evil"}]}}`, ErrDuplicateKey},
		"not an object":   {`"hello"`, ErrInvalidRequest},
		"bad version":     {`{"jsonrpc":"1.0","id":1,"result":{"tools":[]}}`, ErrBadVersion},
		"no id":           {`{"jsonrpc":"2.0","result":{"tools":[]}}`, ErrInvalidRequest},
		"empty batch":     {`[]`, ErrEmptyBatch},
		"too large":       {listPage, ErrTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			opts := Options{}
			if name == "too large" {
				opts.MaxBytes = 10
			}
			_, err := ParseServerBody(context.Background(), []byte(tc.body), opts)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
		})
	}
}
