package extproc

import (
	"context"
	"encoding/json"
	"mime"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// stream is the state of one HTTP request's ext_proc stream.
type stream struct {
	s    *Server
	ctx  context.Context
	mode filterv3.ProcessingMode_BodySendMode // response body mode
	// modeKnown: Envoy sent its protocol configuration.
	modeKnown bool
	req       *authz.Request // from the request headers; nil if never sent
	reqBody   []byte
	reqIDs    []json.RawMessage // ids of the request's JSON-RPC requests
	body      bodyFilter        // nil: the response passes as it is
	// respHeaders: the response headers phase came (it chose body).
	respHeaders bool
}

func (st *stream) handle(req *procv3.ProcessingRequest) (*procv3.ProcessingResponse, error) {
	if pc := req.GetProtocolConfig(); pc != nil {
		st.mode, st.modeKnown = pc.GetResponseBodyMode(), true
	}
	switch r := req.GetRequest().(type) {
	case *procv3.ProcessingRequest_RequestHeaders:
		st.req = toRequest(st.ctx, r.RequestHeaders, req.GetAttributes(), st.s.opts.ProxyNormalizesPath)
		return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_RequestHeaders{RequestHeaders: &procv3.HeadersResponse{}}}, nil
	case *procv3.ProcessingRequest_RequestBody:
		st.requestBody(r.RequestBody)
		return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_RequestBody{RequestBody: &procv3.BodyResponse{}}}, nil
	case *procv3.ProcessingRequest_RequestTrailers:
		return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_RequestTrailers{RequestTrailers: &procv3.TrailersResponse{}}}, nil
	case *procv3.ProcessingRequest_ResponseHeaders:
		return st.responseHeaders(r.ResponseHeaders), nil
	case *procv3.ProcessingRequest_ResponseBody:
		return st.responseBody(r.ResponseBody), nil
	case *procv3.ProcessingRequest_ResponseTrailers:
		return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_ResponseTrailers{ResponseTrailers: &procv3.TrailersResponse{}}}, nil
	}
	// Flow control or a message this version does not know: no answer.
	return nil, nil
}

// requestBody learns the ids of the request's JSON-RPC requests, so that
// a response Tollgate cannot read is answered on the right id. ext_authz
// already decided the request; a body that does not parse only leaves the
// ids unknown.
func (st *stream) requestBody(b *procv3.HttpBody) {
	if len(st.reqBody)+len(b.GetBody()) > st.s.opts.MaxResponseBytes {
		st.reqBody = nil
		return
	}
	st.reqBody = append(st.reqBody, b.GetBody()...)
	if !b.GetEndOfStream() {
		return
	}
	if parsed, err := mcp.ParseContext(st.ctx, st.reqBody, mcp.Options{MaxBytes: st.s.opts.MaxResponseBytes}); err == nil {
		st.reqIDs = parsed.RequestIDs()
	}
	st.reqBody = nil
}

// errorID is the id a replacing error answers: the request's, when it
// had exactly one, else null.
func (st *stream) errorID() json.RawMessage {
	if len(st.reqIDs) == 1 {
		return st.reqIDs[0]
	}
	return nil
}

// responseHeaders picks how the body is read from its Content-Type.
func (st *stream) responseHeaders(h *procv3.HttpHeaders) *procv3.ProcessingResponse {
	st.respHeaders = true
	headers := headerMap(h.GetHeaders())
	kind, ok := contentKind(headers["content-type"])
	switch {
	case !ok:
		return st.immediate(reasonType)
	case kind == "" || h.GetEndOfStream():
		return headersContinue(nil)
	case headers["content-encoding"] != "" && !strings.EqualFold(strings.TrimSpace(headers["content-encoding"]), "identity"):
		return st.immediate(reasonEncoding)
	case !st.modeKnown || (st.mode != filterv3.ProcessingMode_BUFFERED && st.mode != filterv3.ProcessingMode_STREAMED):
		// Envoy would pass the body (or its tail) without showing it.
		return st.immediate(reasonBodyMode)
	}
	if kind == "sse" {
		st.body = newSSEFilter(st)
	} else {
		st.body = newJSONFilter(st)
	}
	// The body changes length: Envoy must not forward the upstream's.
	return headersContinue(&procv3.HeaderMutation{RemoveHeaders: []string{"content-length"}})
}

// contentKind is "json", "sse" or "" (not an MCP message body); ok is
// false for a Content-Type that does not parse.
func contentKind(ct string) (string, bool) {
	if strings.TrimSpace(ct) == "" {
		return "", true
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", false
	}
	// Tollgate reads UTF-8; a client honouring another charset label
	// would read other tool names than were decided.
	utf8 := params["charset"] == "" || strings.EqualFold(params["charset"], "utf-8")
	switch mt {
	case "application/json":
		return "json", utf8
	case "text/event-stream":
		return "sse", utf8
	}
	// Clients that match the type by prefix or substring (the TypeScript
	// and Python SDKs) would read this body as an MCP message: refuse it.
	lower := strings.ToLower(ct)
	if strings.Contains(lower, "application/json") || strings.Contains(lower, "text/event-stream") {
		return "", false
	}
	return "", true
}

func headersContinue(m *procv3.HeaderMutation) *procv3.ProcessingResponse {
	return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_ResponseHeaders{
		ResponseHeaders: &procv3.HeadersResponse{Response: &procv3.CommonResponse{HeaderMutation: m}}}}
}

// immediate answers in place of the upstream's response: a JSON-RPC error
// on the request's id (HTTP 200, so the client reads it), or with id null
// and HTTP 502 when the id is not known.
func (st *stream) immediate(reason string) *procv3.ProcessingResponse {
	st.replaced(reason)
	code := typev3.StatusCode_OK
	id := st.errorID()
	if id == nil {
		code = typev3.StatusCode_BadGateway
	}
	return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_ImmediateResponse{ImmediateResponse: &procv3.ImmediateResponse{
		Status: &typev3.HttpStatus{Code: code},
		Headers: &procv3.HeaderMutation{SetHeaders: []*corev3.HeaderValueOption{{
			Header:       &corev3.HeaderValue{Key: "content-type", RawValue: []byte("application/json")},
			AppendAction: corev3.HeaderValueOption_OVERWRITE_IF_EXISTS_OR_ADD,
		}}},
		Body:    errorBody(id, reason),
		Details: "tollgate_" + reason,
	}}}
}

func (st *stream) responseBody(b *procv3.HttpBody) *procv3.ProcessingResponse {
	if !st.respHeaders {
		// response_header_mode SKIP: how to read the body is not known.
		st.respHeaders, st.body = true, &blindFilter{st: st}
	}
	var mut *procv3.BodyMutation
	if st.body != nil {
		// Every chunk is replaced by what the filter forwards for it.
		out := st.body.chunk(b.GetBody(), b.GetEndOfStream())
		mut = &procv3.BodyMutation{Mutation: &procv3.BodyMutation_ClearBody{ClearBody: true}}
		if len(out) > 0 {
			mut.Mutation = &procv3.BodyMutation_Body{Body: out}
		}
	}
	return &procv3.ProcessingResponse{Response: &procv3.ProcessingResponse_ResponseBody{
		ResponseBody: &procv3.BodyResponse{Response: &procv3.CommonResponse{BodyMutation: mut}}}}
}

// codeInternal is JSON-RPC's "internal error": the server's answer could
// not be checked.
const codeInternal = -32603

// errorBody is the JSON-RPC error that replaces what Tollgate would not
// pass: a fixed message per reason, never response content.
func errorBody(id json.RawMessage, reason string) []byte {
	msg := "tollgate: the MCP server's response could not be checked (" + reason + ")"
	return mcp.ErrorResponse(id, codeInternal, msg, "")
}
