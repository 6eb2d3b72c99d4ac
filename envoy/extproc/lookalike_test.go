package extproc

import (
	"strings"
	"testing"

	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
)

// TestLookalikeContentTypeReplaced: a Content-Type that is not exactly
// application/json or text/event-stream, but that a client matching by
// prefix or substring (the TypeScript and Python SDKs) reads as one, is
// answered in place of the upstream: its body would reach such a client
// unfiltered.
func TestLookalikeContentTypeReplaced(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	for _, ct := range []string{
		"application/json-rpc",
		"application/jsonl",
		"text/event-streaming",
		"text/html; profile=text/event-stream",
		`text/plain; note="application/json"`,
		"application/x-ndjson; see=Application/JSON",
	} {
		rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
			respHeaders("content-type", ct), respBody(listResp, true))
		last := rs[len(rs)-1]
		if last.GetImmediateResponse() == nil {
			t.Errorf("%q: not replaced: %v", ct, last)
		}
	}
	// Other types pass untouched: an HTML error page is not an MCP body.
	rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
		respHeaders("content-type", "text/html; charset=utf-8"), respBody("<p>bad gateway</p>", true))
	if last := rs[len(rs)-1]; last.GetResponseBody() == nil || last.GetResponseBody().GetResponse().GetBodyMutation() != nil {
		t.Errorf("text/html was replaced: %v", last)
	}
}

// TestBodyWithoutResponseHeadersNotPassed: with response_header_mode SKIP
// Envoy sends the body without its headers, so Tollgate cannot know how to
// read it: the body is replaced, never passed unfiltered.
func TestBodyWithoutResponseHeadersNotPassed(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	for _, mode := range []filterv3.ProcessingMode_BodySendMode{filterv3.ProcessingMode_STREAMED, filterv3.ProcessingMode_BUFFERED} {
		rs := exchange(t, c, reqHeaders(research, mode), reqBody(listReq),
			respBody(listResp[:40], false), respBody(listResp[40:], true))
		out := forwarded(t, rs)
		if strings.Contains(out, "delete_repository") || !strings.Contains(out, `"id":4`) || !strings.Contains(out, "-32603") {
			t.Errorf("mode %v: forwarded %q", mode, out)
		}
	}
}

// TestForeignCharsetReplaced: a body labelled with a charset other than
// UTF-8 is read by Tollgate as UTF-8, but a client that honours the label
// (httpx's text decoding, UTF-7 decoders) reads other tool names than
// Tollgate decided: it is answered in place of the upstream.
func TestForeignCharsetReplaced(t *testing.T) {
	c, _ := processor(t, exampleEngine(t), Options{})
	for _, ct := range []string{
		"application/json; charset=utf-16",
		"application/json; charset=UTF-7",
		`application/json; charset="iso-8859-1"`,
		"text/event-stream; charset=utf-16le",
	} {
		rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
			respHeaders("content-type", ct), respBody(listResp, true))
		if rs[len(rs)-1].GetImmediateResponse() == nil {
			t.Errorf("%q: not replaced: %v", ct, rs[len(rs)-1])
		}
	}
	for _, ct := range []string{"application/json; charset=UTF-8", `application/json;charset="utf-8"`} {
		rs := exchange(t, c, reqHeaders(research, filterv3.ProcessingMode_STREAMED), reqBody(listReq),
			respHeaders("content-type", ct), respBody(listResp, true))
		if names, _, _ := toolNames(t, forwarded(t, rs)); len(names) != 2 {
			t.Errorf("%q: sees %v", ct, names)
		}
	}
}
