package mcp

import (
	"context"
	"encoding/json"
	"testing"
)

// stdList is how a Go client using encoding/json reads a tools/list result.
type stdList struct {
	Result struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	} `json:"result"`
}

// FuzzParseServerBody: whatever Tollgate accepts, encoding/json reads as
// the same tools, and the filtered body is valid JSON that holds exactly
// the tools kept.
func FuzzParseServerBody(f *testing.F) {
	f.Add([]byte(listPage))
	f.Add([]byte(`[{"jsonrpc":"2.0","id":"x","result":{"tools":[{"name":"a"}]}},{"jsonrpc":"2.0","method":"n"}]`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"a","inputSchema":{"n":1.5e3}}],"nextCursor":""}}`))
	f.Add([]byte(`{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"m"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := ParseServerBody(context.Background(), body, Options{MaxDepth: 16})
		if err != nil {
			if ReasonOf(err) == "" {
				t.Fatalf("error without a reason: %v", err)
			}
			return
		}
		out := b.Encode(func(_, tool int) bool { return tool%2 == 0 })
		if !json.Valid(out) {
			t.Fatalf("filtered body is not JSON: %s", out)
		}
		if b.Batch {
			return
		}
		var in, filtered stdList
		_ = json.Unmarshal(body, &in)
		if err := json.Unmarshal(out, &filtered); err != nil && b.Messages[0].IsList {
			t.Fatalf("filtered list does not decode: %v", err)
		}
		m := b.Messages[0]
		if len(in.Result.Tools) != len(m.Tools) {
			t.Fatalf("encoding/json reads %d tools, we read %d: %s", len(in.Result.Tools), len(m.Tools), body)
		}
		for i, tl := range m.Tools {
			if in.Result.Tools[i].Name != tl.Name {
				t.Fatalf("tool %d: encoding/json reads %q, we read %q", i, in.Result.Tools[i].Name, tl.Name)
			}
		}
		if m.IsList && len(filtered.Result.Tools) != (len(m.Tools)+1)/2 {
			t.Fatalf("kept %d of %d tools: %s", len(filtered.Result.Tools), len(m.Tools), out)
		}
	})
}

// FuzzSSEReader: events do not depend on how the stream is chunked, and
// an event written back reads back the same.
func FuzzSSEReader(f *testing.F) {
	f.Add([]byte(sseStream), uint16(3))
	f.Add([]byte("data: {}\n\n"), uint16(0))
	f.Add([]byte("id\r\n\r\n:x\r\r"), uint16(1))
	f.Fuzz(func(t *testing.T, stream []byte, cut uint16) {
		whole, errWhole := feed(stream, -1)
		split, errSplit := feed(stream, int(cut))
		if (errWhole == nil) != (errSplit == nil) || errWhole == nil && !sameEvents(whole, split) {
			t.Fatalf("chunking changed the reading: %v %v", errWhole, errSplit)
		}
		for _, ev := range whole {
			back, err := feed(ev.Append(nil, ev.Data, ev.HasData), -1)
			if err != nil || len(back) != 1 || !sameEvents(back, []SSEEvent{ev}) {
				t.Fatalf("event %+v reads back as %+v (%v)", ev, back, err)
			}
		}
	})
}

func feed(stream []byte, cut int) ([]SSEEvent, error) {
	r := NewSSEReader(1 << 12)
	var out []SSEEvent
	parts := [][]byte{stream}
	if cut >= 0 && cut <= len(stream) {
		parts = [][]byte{stream[:cut], stream[cut:]}
	}
	for _, p := range parts {
		evs, err := r.Feed(p)
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	rest, err := r.End()
	return append(out, rest...), err
}
