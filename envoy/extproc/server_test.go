package extproc

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"

	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/internal/testutil"
)

const (
	listReq  = `{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":"p1"}}`
	listResp = `{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"search_issues","inputSchema":{"type":"object"}},` +
		`{"name":"get_file"},{"name":"create_issue"},{"name":"delete_repository","description":"gone"}],"nextCursor":"p2"}}`
)

// toolNames reads a tools/list result as a client does.
func toolNames(t testing.TB, body string) (names []string, cursor string, rpcErr int) {
	t.Helper()
	var m struct {
		Result struct {
			Tools []struct {
				Name string `json:"name"`
			} `json:"tools"`
			NextCursor string `json:"nextCursor"`
		} `json:"result"`
		Error *struct {
			Code int `json:"code"`
		} `json:"error"`
		ID json.RawMessage `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatalf("forwarded %q: %v", body, err)
	}
	if m.Error != nil {
		return nil, "", m.Error.Code
	}
	for _, tl := range m.Result.Tools {
		names = append(names, tl.Name)
	}
	return names, m.Result.NextCursor, 0
}

// TestJSONListPerCaller: the same policy shows two callers different tools,
// in BUFFERED mode and in STREAMED mode with the body cut anywhere; the
// page's nextCursor is kept.
func TestJSONListPerCaller(t *testing.T) {
	c, reg := processor(t, exampleEngine(t), Options{})
	for _, tc := range []struct {
		caller string
		want   []string
	}{
		// create_issue's permit reads arguments, which a listing has not.
		{research, []string{"search_issues", "get_file"}},
		// delete_repository's forbid needs signals Envoy sets for ext_authz
		// only (context_extensions): without them, it is never callable.
		{cleanup, nil},
	} {
		for _, mode := range []filterv3.ProcessingMode_BodySendMode{filterv3.ProcessingMode_BUFFERED, filterv3.ProcessingMode_STREAMED} {
			msgs := []*procv3.ProcessingRequest{reqHeaders(tc.caller, mode), reqBody(listReq), respHeaders("content-type", "application/json", "content-length", "300")}
			if mode == filterv3.ProcessingMode_BUFFERED {
				msgs = append(msgs, respBody(listResp, true))
			} else {
				msgs = append(msgs, respBody(listResp[:17], false), respBody(listResp[17:90], false), respBody(listResp[90:], true))
			}
			rs := exchange(t, c, msgs...)
			if rm := rs[2].GetResponseHeaders().GetResponse().GetHeaderMutation().GetRemoveHeaders(); !slices.Contains(rm, "content-length") {
				t.Errorf("content-length kept: %v", rm)
			}
			names, cursor, _ := toolNames(t, forwarded(t, rs))
			if !slices.Equal(names, tc.want) || cursor != "p2" {
				t.Errorf("%s %s: sees %v cursor %q, want %v p2", tc.caller, mode, names, cursor, tc.want)
			}
		}
	}
	if v := testutil.MustValue(t, reg, "tollgate_extproc_tools_hidden_total", map[string]string{"reason": "policy"}); v != 2*2+2*4 {
		t.Errorf("hidden counter %v", v)
	}
}

// TestSSEListFiltered: a text/event-stream response, cut anywhere, is
// forwarded event by event with each tools/list result filtered; other
// events (priming, notifications) pass.
func TestSSEListFiltered(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	stream := "id: 0\ndata: \n\n" + `data: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}` + "\n\n" +
		"event: message\r\nid: 7\r\ndata: " + listResp + "\r\n\r\n"
	for cut := 1; cut < len(stream); cut += 7 {
		rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
			respHeaders("content-type", "text/event-stream"), respBody(stream[:cut], false), respBody(stream[cut:], false), respBody("", true))
		r := mcp.NewSSEReader(1 << 20)
		evs, err := r.Feed([]byte(forwarded(t, rs)))
		if err != nil || len(evs) != 3 {
			t.Fatalf("cut %d: %d events, %v", cut, len(evs), err)
		}
		if !strings.Contains(evs[1].Data, "notifications/progress") || evs[0].ID != "0" || evs[2].ID != "7" {
			t.Fatalf("cut %d: events %+v", cut, evs)
		}
		names, cursor, _ := toolNames(t, evs[2].Data)
		if !slices.Equal(names, []string{"search_issues", "get_file"}) || cursor != "p2" {
			t.Fatalf("cut %d: sees %v %q", cut, names, cursor)
		}
	}
}

// TestUnreadableReplaced: what Tollgate cannot read never reaches the
// client: it gets a JSON-RPC error on the request's id instead.
func TestUnreadableReplaced(t *testing.T) {
	c, reg := processor(t, exampleEngine(t), Options{MaxResponseBytes: 400})
	big := `{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"x","description":"` + strings.Repeat("a", 500) + `"}]}}`
	for name, tc := range map[string]struct {
		ct, body string
		code     int
	}{
		"bad json":          {"application/json", `{"jsonrpc":"2.0","id":4,"result":{"tools":[`, -32603},
		"folded member":     {"application/json", `{"jsonrpc":"2.0","id":4,"result":{"Tools":[{"name":"delete_repository"}]}}`, -32603},
		"too large":         {"application/json", big, -32603},
		"no caller":         {"application/json", listResp, mcp.CodePermissionDenied},
		"sse bad data":      {"text/event-stream", "data: {\"tools\"\n\n", -32603},
		"sse cut":           {"text/event-stream", "data: " + listResp + "\n", -32603},
		"sse event too big": {"text/event-stream", "data: " + big + "\n\n", -32603},
	} {
		t.Run(name, func(t *testing.T) {
			caller := research
			if name == "no caller" {
				caller = ""
			}
			rs := exchange(t, c, reqHeaders(caller, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
				respHeaders("content-type", tc.ct), respBody(tc.body, true))
			out := forwarded(t, rs)
			if tc.ct == "text/event-stream" {
				evs, err := mcp.NewSSEReader(1 << 20).Feed([]byte(out))
				if err != nil || len(evs) != 1 {
					t.Fatalf("forwarded %q (%v)", out, err)
				}
				out = evs[0].Data
			}
			if _, _, code := toolNames(t, out); code != tc.code || !strings.Contains(out, `"id":4`) {
				t.Fatalf("forwarded %s, want error %d on id 4", out, tc.code)
			}
		})
	}
	if testutil.MustValue(t, reg, "tollgate_extproc_replaced_total", map[string]string{"reason": "caller"}) != 1 {
		t.Error("caller replacement not counted")
	}
}

// TestSSEStopsAfterError: after a framing error nothing more is passed.
func TestSSEStopsAfterError(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), respHeaders("content-type", "text/event-stream"),
		respBody("retry: soon\n\n", false), respBody("data: "+listResp+"\n\n", true))
	out := forwarded(t, rs)
	if strings.Contains(out, "delete_repository") || strings.Count(out, "data:") != 1 || !strings.Contains(out, `"id":null`) {
		t.Fatalf("forwarded %q", out)
	}
}

// TestImmediateWhenUnreadable: a body Envoy would not show Tollgate in full
// (mode NONE or BUFFERED_PARTIAL, or no protocol configuration), or one
// with a Content-Encoding, is answered in place of the upstream.
func TestImmediateWhenUnreadable(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	noConfig := reqHeaders(research, filterv3.ProcessingMode_BUFFERED)
	noConfig.ProtocolConfig = nil
	for name, msgs := range map[string][]*procv3.ProcessingRequest{
		"mode none": {reqHeaders(research, filterv3.ProcessingMode_NONE), reqBody(listReq), respHeaders("content-type", "application/json")},
		"partial":   {reqHeaders(research, filterv3.ProcessingMode_BUFFERED_PARTIAL), reqBody(listReq), respHeaders("content-type", "text/event-stream")},
		"no config": {noConfig, reqBody(listReq), respHeaders("content-type", "application/json")},
		"gzip":      {reqHeaders(research, filterv3.ProcessingMode_BUFFERED), reqBody(listReq), respHeaders("content-type", "application/json", "content-encoding", "gzip")},
		"bad type":  {reqHeaders(research, filterv3.ProcessingMode_BUFFERED), reqBody(listReq), respHeaders("content-type", "application/json, text/html")},
	} {
		rs := exchange(t, c, msgs...)
		im := rs[len(rs)-1].GetImmediateResponse()
		if im == nil || im.GetStatus().GetCode() != typev3.StatusCode_OK || !strings.Contains(string(im.GetBody()), `"id":4`) {
			t.Errorf("%s: %v", name, rs[len(rs)-1])
		}
	}
	// Without a known request id the error is a 502 with id null.
	rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_NONE), respHeaders("content-type", "application/json"))
	if im := rs[1].GetImmediateResponse(); im.GetStatus().GetCode() != typev3.StatusCode_BadGateway || !strings.Contains(string(im.GetBody()), `"id":null`) {
		t.Errorf("no id: %v", rs[1])
	}
	// A response that is not an MCP message body passes untouched.
	rs = exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_NONE), respHeaders("content-type", "text/plain"), respBody("hi", true))
	if rs[2].GetResponseBody().GetResponse().GetBodyMutation() != nil {
		t.Errorf("text/plain was rewritten: %v", rs[2])
	}
}

// TestReplacedIsLoggedWithoutContent: a replacement is logged with its
// reason, never with the response's content or the query string.
func TestReplacedIsLoggedWithoutContent(t *testing.T) {
	var log bytes.Buffer
	c, _ := processor(t, exampleEngine(t), Options{Logger: slog.New(slog.NewJSONHandler(&log, nil))})
	h := reqHeaders(research, filterv3.ProcessingMode_BUFFERED)
	h.GetRequestHeaders().Headers = headers(":method", "POST", ":path", "/mcp?token=SECRET-q", ":authority", "tools")
	exchange(t, c, h, respHeaders("content-type", "application/json"), respBody(`{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"SECRET-b"`, true))
	if !strings.Contains(log.String(), `"reason":"unreadable"`) || strings.Contains(log.String(), "SECRET") {
		t.Fatalf("log: %s", log.String())
	}
}
