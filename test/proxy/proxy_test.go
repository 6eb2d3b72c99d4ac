package proxy_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	searchCall = `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_issues","arguments":{"query":"x"}}}`
	batchCall  = `[{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"search_issues","arguments":{}}},` +
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"delete_repository","arguments":{"repo":"acme/web"}}}]`
)

// answer is what the client saw.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send is the MCP-style client: one HTTP request with optional JWT-SVID.
func send(t *testing.T, client *http.Client, url, method, body, jwt string, hdr map[string]string) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
	}
	if jwt != "" {
		req.Header.Set("Authorization", "Bearer "+jwt)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

type proxyCase struct {
	name, method, path, body string
	hdr                      map[string]string
	noJWT                    bool
	status                   int
	reach                    []hit // exactly what reaches the tool server
	rpcCode                  int   // the client receives this JSON-RPC error
}

func proxyCases() []proxyCase {
	spoofFwd := map[string]string{"X-Original-URI": "/health", "X-Original-Method": "GET",
		"X-Forwarded-Uri": "/health", "X-Forwarded-Method": "GET", "X-Spiffe-Id": "spiffe://example.org/evil"}
	return []proxyCase{
		{name: "allowed route reaches the tool server", method: "GET", path: "/health", status: 200,
			hdr: map[string]string{"X-Spiffe-Id": "spiffe://example.org/evil"}, reach: []hit{{Path: "/health", SPIFFEID: agentID}}},
		{name: "no identity", method: "GET", path: "/health", noJWT: true, status: 401},
		{name: "no route", method: "DELETE", path: "/health", status: 403},
		{name: "client forwarded headers are ignored", method: "POST", path: "/admin", hdr: spoofFwd, status: 403},
		{name: "client XFCC is ignored", method: "GET", path: "/health", noJWT: true, status: 401,
			hdr: map[string]string{"X-Forwarded-Client-Cert": "By=spiffe://example.org/proxy;URI=" + agentID}},
		{name: "tool call without its body at Tollgate", method: "POST", path: "/mcp", body: searchCall, status: 400, rpcCode: -32600},
		{name: "batch with a forbidden call reaches nothing", method: "POST", path: "/mcp", body: batchCall, status: 400, rpcCode: -32600},
	}
}

// runProxyCases runs proxyCases through the proxy. nginx turns every
// auth_request status but 401 and 403 into a 500, so Tollgate's nginx
// style answers 403 where others answer 400.
func runProxyCases(t *testing.T, e *env, nginx bool) {
	client := &http.Client{Timeout: 10 * time.Second}
	jwt := e.ca.NewJWTSVID(agentPath, []string{jwtAud})
	for _, tc := range proxyCases() {
		t.Run(tc.name, func(t *testing.T) {
			tok := jwt
			if tc.noJWT {
				tok = ""
			}
			a := send(t, client, "http://"+e.proxyAddr+tc.path, tc.method, tc.body, tok, tc.hdr)
			hits := e.tools.take()
			want := tc.status
			if nginx && want == 400 {
				want = 403
			}
			if a.status != want {
				t.Fatalf("status %d, want %d: %s", a.status, want, a.body)
			}
			if len(hits) != len(tc.reach) || (len(hits) > 0 && hits[0] != tc.reach[0]) {
				t.Fatalf("tool server saw %+v, want %+v", hits, tc.reach)
			}
			if tc.status == 200 {
				return
			}
			checkDenial(t, a, tc.rpcCode)
		})
	}
}

// checkDenial asserts the client got Tollgate's JSON answer with a
// decision id: a JSON-RPC error for MCP, {"decision_id","reason"} otherwise.
func checkDenial(t *testing.T, a answer, rpcCode int) {
	t.Helper()
	if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content-type %q", ct)
	}
	if rpcCode == 0 {
		var body struct {
			DecisionID string `json:"decision_id"`
		}
		if err := json.Unmarshal(a.body, &body); err != nil || body.DecisionID == "" {
			t.Errorf("denial body %q", a.body)
		}
		return
	}
	var rpc struct {
		JSONRPC string
		ID      json.RawMessage
		Error   struct {
			Code    int
			Message string
			Data    struct {
				DecisionID string `json:"decision_id"`
			}
		}
	}
	if err := json.Unmarshal(a.body, &rpc); err != nil || rpc.JSONRPC != "2.0" || rpc.Error.Code != rpcCode || rpc.Error.Data.DecisionID == "" {
		t.Errorf("JSON-RPC error answer %q (%v)", a.body, err)
	}
}

func TestNginx(t *testing.T) {
	e := startEnv(t, "nginx")
	startNginx(t, e)
	runProxyCases(t, e, true)
}

func TestCaddy(t *testing.T) {
	e := startEnv(t, "caddy")
	startCaddy(t, e)
	runProxyCases(t, e, false)
}

// TestUntrustedCaller calls Tollgate's HTTP mode directly from 127.0.0.2,
// which is not a trusted proxy: whatever forwarded headers and credentials
// it sends, it is refused.
func TestUntrustedCaller(t *testing.T) {
	e := startEnv(t, "nginx")
	local := &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: local}).DialContext}}
	a := send(t, client, "http://"+e.httpAddr+"/auth", "GET", "", e.ca.NewJWTSVID(agentPath, []string{jwtAud}),
		map[string]string{"X-Original-URI": "/health", "X-Original-Method": "GET",
			"X-Forwarded-Client-Cert": "URI=" + agentID})
	var body struct{ Code string }
	_ = json.Unmarshal(a.body, &body)
	if a.status != 403 || body.Code != "untrusted_proxy" {
		t.Fatalf("got %d %s", a.status, a.body)
	}
	// The same request from the trusted address is allowed: the refusal
	// above is the address, not the request.
	a = send(t, &http.Client{Timeout: 10 * time.Second}, "http://"+e.httpAddr+"/auth", "GET", "",
		e.ca.NewJWTSVID(agentPath, []string{jwtAud}), map[string]string{"X-Original-URI": "/health", "X-Original-Method": "GET"})
	if a.status != 200 || a.header.Get("X-Spiffe-Id") != agentID {
		t.Fatalf("trusted caller: %d %s", a.status, a.body)
	}
}
