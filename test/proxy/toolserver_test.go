package proxy_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// hit is one request that reached the tool server.
type hit struct {
	Path, Tool, SPIFFEID string
}

// toolServer is a small MCP tool server (JSON-RPC over HTTP POST /mcp,
// serving tools/list and tools/call) plus GET /health. It records every
// request that reaches it.
type toolServer struct {
	addr string
	mu   sync.Mutex
	hits []hit
	uris []string // every raw request target, as the server was asked
}

func startToolServer(t *testing.T, addr string) *toolServer {
	t.Helper()
	ts := &toolServer{addr: addr}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /mcp", ts.mcp)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ts.record(hit{Path: r.URL.Path, SPIFFEID: r.Header.Get("X-Spiffe-Id")})
		_, _ = w.Write([]byte("ok\n"))
	})
	// Record the raw target before ServeMux cleans, redirects or routes it.
	recordURI := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.uris = append(ts.uris, r.RequestURI)
		ts.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: recordURI, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ts
}

type rpcMsg struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Method string          `json:"method"`
	Params struct {
		Name string `json:"name"`
	} `json:"params"`
}

func (ts *toolServer) mcp(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var msgs []rpcMsg
	if err := json.Unmarshal(body, &msgs); err != nil {
		var one rpcMsg
		if err := json.Unmarshal(body, &one); err != nil {
			http.Error(w, "bad json", 400)
			return
		}
		msgs = []rpcMsg{one}
	}
	var out []map[string]any
	for _, m := range msgs {
		ts.record(hit{Path: "/mcp", Tool: m.Method + ":" + m.Params.Name, SPIFFEID: r.Header.Get("X-Spiffe-Id")})
		result := map[string]any{"content": []map[string]string{{"type": "text", "text": "done: " + m.Params.Name}}}
		if m.Method == "tools/list" {
			result = map[string]any{"tools": []map[string]string{{"name": "search_issues"}, {"name": "delete_repository"}}}
		}
		out = append(out, map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": result})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (ts *toolServer) record(h hit) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.hits = append(ts.hits, h)
}

// take returns and forgets the recorded hits.
func (ts *toolServer) take() []hit {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	h := ts.hits
	ts.hits, ts.uris = nil, nil
	return h
}

// takeURIs returns and forgets the raw request targets (and the hits).
func (ts *toolServer) takeURIs() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	u := ts.uris
	ts.hits, ts.uris = nil, nil
	return u
}
