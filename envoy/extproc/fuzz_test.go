package extproc

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// FuzzSSEFilter: whatever an upstream streams, and however Envoy cuts it,
// the client gets the same bytes, in framing that reads back cleanly, and
// never a tools/list result naming a tool the caller may not call.
func FuzzSSEFilter(f *testing.F) {
	f.Add([]byte("id: 0\ndata: \n\ndata: "+listResp+"\n\n"), uint16(20))
	f.Add([]byte("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"delete_repository\"}]}}\r\n\r\n"), uint16(3))
	f.Add([]byte("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"Tools\":[{\"name\":\"delete_repository\"}]}}\n\n"), uint16(50))
	f.Add([]byte(":ka\r\rdata: [1]\r\r"), uint16(1))
	// CI's find: an event forwarded from the first chunk, then bad framing.
	f.Add([]byte(": \n\ndata: \xff\n\n"), uint16(4))
	f.Add([]byte("data: [1]\n\ndata: "+strings.Repeat("\x00", 5000)+"\n\n"), uint16(100))
	s, err := NewServer(exampleEngine(f), Options{MaxResponseBytes: 1 << 12})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, cut uint16) {
		whole := filterSSE(s, [][]byte{body})
		c := min(int(cut), len(body))
		split := filterSSE(s, [][]byte{body[:c], body[c:]})
		if !bytes.Equal(whole, split) {
			t.Fatalf("chunking changed the output:\n%q\n%q", whole, split)
		}
		r := mcp.NewSSEReader(1 << 20)
		evs, err := r.Feed(whole)
		if err == nil {
			_, err = r.End()
		}
		if err != nil {
			t.Fatalf("forwarded framing does not read back: %v: %q", err, whole)
		}
		for _, ev := range evs {
			var m struct {
				Result struct {
					Tools []struct {
						Name string `json:"name"`
					} `json:"tools"`
				} `json:"result"`
			}
			_ = json.Unmarshal([]byte(ev.Data), &m)
			for _, tl := range m.Result.Tools {
				if tl.Name != "search_issues" && tl.Name != "get_file" {
					t.Fatalf("the research agent was shown %q: %q", tl.Name, ev.Data)
				}
			}
		}
	})
}

func filterSSE(s *Server, chunks [][]byte) []byte {
	st := &stream{s: s, ctx: context.Background(),
		req: toRequest(context.Background(), reqHeaders(research, 0).GetRequestHeaders(), reqHeaders(research, 0).GetAttributes(), false)}
	st.body = newSSEFilter(st)
	var out []byte
	for i, c := range chunks {
		out = append(out, st.body.chunk(c, i == len(chunks)-1)...)
	}
	return out
}
