package main

import (
	"encoding/json"
	"fmt"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/protobuf/encoding/protojson"
)

// extprocList50 is one HTTP request's ext_proc stream as Envoy sends it
// (test/bench/extproc.sh): the research agent's tools/list request headers
// (a JWT-SVID) and body, then the upstream's JSON response with 50 tools
// (BUFFERED), as a JSON array of ProcessingRequests for ghz -D.
func extprocList50(jwt string) ([]byte, error) {
	hm := func(kv ...string) *corev3.HeaderMap {
		h := &corev3.HeaderMap{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Headers = append(h.Headers, &corev3.HeaderValue{Key: kv[i], RawValue: []byte(kv[i+1])})
		}
		return h
	}
	body := func(b string) *procv3.HttpBody { return &procv3.HttpBody{Body: []byte(b), EndOfStream: true} }
	msgs := []*procv3.ProcessingRequest{
		{Request: &procv3.ProcessingRequest_RequestHeaders{RequestHeaders: &procv3.HttpHeaders{Headers: hm(
			":method", "POST", ":path", "/mcp", ":authority", "tools.internal", ":scheme", "https",
			"content-type", "application/json", "authorization", "Bearer "+jwt)}},
			ProtocolConfig: &procv3.ProtocolConfiguration{RequestBodyMode: filterv3.ProcessingMode_BUFFERED, ResponseBodyMode: filterv3.ProcessingMode_BUFFERED}},
		{Request: &procv3.ProcessingRequest_RequestBody{RequestBody: body(`{"jsonrpc":"2.0","id":4,"method":"tools/list"}`)}},
		{Request: &procv3.ProcessingRequest_ResponseHeaders{ResponseHeaders: &procv3.HttpHeaders{Headers: hm(":status", "200", "content-type", "application/json")}}},
		{Request: &procv3.ProcessingRequest_ResponseBody{ResponseBody: body(fiftyTools())}},
	}
	out := make([]json.RawMessage, len(msgs))
	for i, m := range msgs {
		b, err := protojson.Marshal(m)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return json.Marshal(out)
}

// fiftyTools is envoy/extproc's benchmark list: the example server's four
// tools and 46 more, each with a description, a schema and annotations.
func fiftyTools() string {
	names := []string{"search_issues", "get_file", "create_issue", "delete_repository"}
	for i := len(names); i < 50; i++ {
		names = append(names, fmt.Sprintf("tool_%02d", i))
	}
	tools := make([]string, len(names))
	for i, n := range names {
		tools[i] = fmt.Sprintf(`{"name":%q,"description":"Does %s for the caller's repositories","inputSchema":{"type":"object",`+
			`"properties":{"repo":{"type":"string"},"query":{"type":"string"},"limit":{"type":"integer","minimum":1}},"required":["repo"]},`+
			`"annotations":{"readOnlyHint":%v}}`, n, n, i%2 == 0)
	}
	return `{"jsonrpc":"2.0","id":4,"result":{"tools":[` + strings.Join(tools, ",") + `],"nextCursor":"p2"}}`
}
