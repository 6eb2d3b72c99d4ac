package proxy_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// bearerTransport is the agent's HTTP client: it presents its JWT-SVID.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

type searchIn struct {
	Query string `json:"query"`
}

// sdkToolServer is the github tool server, with the official Go SDK.
// A 2026-07-28 server is stateless: no initialize, no session id.
func sdkToolServer(t *testing.T, stateless bool) (*mcp.Server, *httptest.Server) {
	server := mcp.NewServer(&mcp.Implementation{Name: "github", Version: "1.0.0"}, nil)
	mcp.AddTool(server, &mcp.Tool{Name: "search_issues", Description: "search"},
		func(context.Context, *mcp.CallToolRequest, searchIn) (*mcp.CallToolResult, any, error) {
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "found"}}}, nil, nil
		})
	mcp.AddTool(server, &mcp.Tool{Name: "delete_repository", Description: "delete"},
		func(context.Context, *mcp.CallToolRequest, searchIn) (*mcp.CallToolResult, any, error) {
			t.Error("delete_repository reached the tool server")
			return &mcp.CallToolResult{}, nil, nil
		})
	// get_file asks the client for its roots: the client's answer is a
	// JSON-RPC response posted to the endpoint (Action::"mcp:response").
	mcp.AddTool(server, &mcp.Tool{Name: "get_file", Description: "read a file in the client's roots"},
		func(ctx context.Context, req *mcp.CallToolRequest, _ searchIn) (*mcp.CallToolResult, any, error) {
			roots, err := req.Session.ListRoots(ctx, nil) //nolint:staticcheck // roots are deprecated but still spoken (2025-11-25); Tollgate must pass them
			if err != nil {
				return nil, nil, err
			}
			return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: roots.Roots[0].URI}}}, nil, nil
		})
	ts := httptest.NewServer(mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return server }, &mcp.StreamableHTTPOptions{Stateless: stateless}))
	t.Cleanup(ts.Close)
	return server, ts
}

// TestSDKSessionThroughTollgate runs whole sessions of the official Go MCP
// SDK (client and server, Streamable HTTP) through Tollgate, with every
// HTTP request's CheckRequest rebuilt as Envoy sends it, on both protocol
// revisions: connect, the stream, a server-to-client request, a
// notification, allowed and denied tool calls, and close. The only denial
// is the policy's.
func TestSDKSessionThroughTollgate(t *testing.T) {
	p, ca := startGRPC(t)
	for _, version := range []string{"2025-11-25", "2026-07-28"} {
		t.Run(version, func(t *testing.T) {
			server, upstream := sdkToolServer(t, version >= "2026-07-28")
			gw := newEnvoyGateway(t, p, upstream.URL)
			front := httptest.NewServer(gw)
			defer front.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			changed := make(chan struct{}, 4)
			client := mcp.NewClient(&mcp.Implementation{Name: "agent", Version: "1.0.0"}, &mcp.ClientOptions{
				ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { changed <- struct{}{} },
			})
			client.AddRoots(&mcp.Root{URI: "file:///work/acme"}) //nolint:staticcheck // see ListRoots above
			transport := &mcp.StreamableClientTransport{Endpoint: front.URL + "/mcp",
				HTTPClient: &http.Client{Transport: bearerTransport{ca.NewJWTSVID(agentPath, []string{jwtAud})}}}
			cs, err := client.Connect(ctx, transport, &mcp.ClientSessionOptions{ProtocolVersion: version})
			if err != nil {
				t.Fatalf("connect: %v (decisions %+v)", err, gw.decisions())
			}
			if got := cs.InitializeResult().ProtocolVersion; got != version {
				t.Errorf("negotiated %s, want %s (a denied server/discover downgrades): %+v", got, version, gw.decisions())
			}
			callOK(ctx, t, cs, "search_issues")
			var rpcErr *jsonrpc.Error
			_, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "delete_repository", Arguments: map[string]any{"query": "acme/x"}})
			if !errors.As(err, &rpcErr) || rpcErr.Code != -32001 || !strings.Contains(rpcErr.Message, "tollgate") {
				t.Fatalf("denied call: %v, want the JSON-RPC error -32001 on its id", err)
			}
			callOK(ctx, t, cs, "search_issues") // the session survives the denial
			if version < "2026-07-28" {
				// The server asks the client for its roots; the answer is posted.
				if res := callOK(ctx, t, cs, "get_file"); !strings.Contains(res, "file:///work/acme") {
					t.Errorf("get_file answered %q", res)
				}
			}
			// A server notification reaches the client on the stream.
			testutil.Eventually(t, "the stream to open", func() bool { return streamOpen(gw.decisions()) })
			mcp.AddTool(server, &mcp.Tool{Name: "create_issue", Description: "new"},
				func(context.Context, *mcp.CallToolRequest, searchIn) (*mcp.CallToolResult, any, error) {
					return &mcp.CallToolResult{}, nil, nil
				})
			select {
			case <-changed:
			case <-ctx.Done():
				t.Fatalf("notifications/tools/list_changed never arrived (decisions %+v)", gw.decisions())
			}
			if err := cs.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			checkOnlyPolicyDenials(t, version, gw.decisions())
		})
	}
}

func callOK(ctx context.Context, t *testing.T, cs *mcp.ClientSession, tool string) string {
	t.Helper()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: map[string]any{"query": "bug"}})
	if err != nil || res.IsError {
		t.Fatalf("%s: %v %+v", tool, err, res)
	}
	return res.Content[0].(*mcp.TextContent).Text
}

// streamOpen reports that the server's stream was authorized: the GET of
// 2025-11-25 or subscriptions/listen of 2026-07-28.
func streamOpen(ds []gatewayDecision) bool {
	for _, d := range ds {
		if d.allow && (d.method == http.MethodGet || d.mcpMethod == "subscriptions/listen") {
			return true
		}
	}
	return false
}

// checkOnlyPolicyDenials: every denial of the session is the policy's
// decision on delete_repository, answered as a JSON-RPC error (HTTP 200);
// a 2025-11-25 session is closed with an authorized DELETE.
func checkOnlyPolicyDenials(t *testing.T, version string, ds []gatewayDecision) {
	t.Helper()
	denials, closed := 0, false
	for _, d := range ds {
		closed = closed || d.method == http.MethodDelete && d.allow
		if d.allow {
			continue
		}
		denials++
		if d.code != "forbid" || d.status != http.StatusOK {
			t.Errorf("a denial that is not the policy's: %+v", d)
		}
	}
	if denials != 1 {
		t.Errorf("%d denials, want 1 (delete_repository): %+v", denials, ds)
	}
	if version < "2026-07-28" && !closed {
		t.Errorf("the session was not closed through Tollgate: %+v", ds)
	}
}
