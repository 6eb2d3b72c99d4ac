package proxy_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	filterv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// procGateway stands where Envoy does in examples/mcp-gateway: ext_authz
// first (the CheckRequest of envoyCheckRequest), then ext_proc on the same
// Tollgate: request headers and the buffered request body, the upstream's
// response headers, and its body in the configured mode (STREAMED: each
// chunk as it arrives, answered before the next; BUFFERED: whole). Every
// chunk is replaced by Tollgate's body mutation, as Envoy does. The GET
// that opens the server's stream never ends, so it is always STREAMED, as
// an Envoy route for GET overriding the processing mode would have it.
type procGateway struct {
	authzHalf
	t        *testing.T
	upstream string
	mode     filterv3.ProcessingMode_BodySendMode
	client   procv3.ExternalProcessorClient
}

func newProcGateway(t *testing.T, p *harness.Proc, upstream string, mode filterv3.ProcessingMode_BodySendMode) *procGateway {
	conn, err := grpc.NewClient(p.GRPCAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &procGateway{authzHalf: authzHalf{p: p}, t: t, upstream: upstream, mode: mode, client: procv3.NewExternalProcessorClient(conn)}
}

func (g *procGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := g.authorize(w, r)
	if !ok {
		return
	}
	if err := g.process(w, r, body); err != nil && r.Context().Err() == nil {
		g.t.Errorf("ext_proc gateway: %v", err)
	}
}

// process runs one request's ext_proc stream around the upstream call.
func (g *procGateway) process(w http.ResponseWriter, r *http.Request, body []byte) error {
	mode := g.mode
	if r.Method == http.MethodGet {
		mode = filterv3.ProcessingMode_STREAMED
	}
	s, err := g.client.Process(r.Context())
	if err != nil {
		return err
	}
	defer func() { _ = s.CloseSend() }()
	call := func(req *procv3.ProcessingRequest) (*procv3.ProcessingResponse, error) {
		if err := s.Send(req); err != nil {
			return nil, err
		}
		return s.Recv()
	}
	hdrs := map[string]string{":method": r.Method, ":path": r.URL.RequestURI(), ":authority": r.Host, ":scheme": "https"}
	for k, vs := range r.Header {
		hdrs[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	if _, err := call(&procv3.ProcessingRequest{
		Request:        &procv3.ProcessingRequest_RequestHeaders{RequestHeaders: &procv3.HttpHeaders{Headers: headerMap(hdrs), EndOfStream: len(body) == 0}},
		ProtocolConfig: &procv3.ProtocolConfiguration{RequestBodyMode: filterv3.ProcessingMode_BUFFERED, ResponseBodyMode: mode},
		Attributes:     nil, // the agents present JWT-SVIDs; no peer certificate
	}); err != nil {
		return err
	}
	if len(body) > 0 {
		if _, err := call(&procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_RequestBody{RequestBody: &procv3.HttpBody{Body: body, EndOfStream: true}}}); err != nil {
			return err
		}
	}
	up, err := http.NewRequestWithContext(r.Context(), r.Method, g.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	up.Header = r.Header.Clone()
	up.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(up)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return g.respond(w, resp, mode, call)
}

func (g *procGateway) respond(w http.ResponseWriter, resp *http.Response, mode filterv3.ProcessingMode_BodySendMode,
	call func(*procv3.ProcessingRequest) (*procv3.ProcessingResponse, error)) error {
	hdrs := map[string]string{":status": strconv.Itoa(resp.StatusCode)}
	for k, vs := range resp.Header {
		hdrs[strings.ToLower(k)] = strings.Join(vs, ",")
	}
	noBody := resp.ContentLength == 0
	pr, err := call(&procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_ResponseHeaders{ResponseHeaders: &procv3.HttpHeaders{Headers: headerMap(hdrs), EndOfStream: noBody}}})
	if err != nil {
		return err
	}
	if im := pr.GetImmediateResponse(); im != nil {
		for _, h := range im.GetHeaders().GetSetHeaders() {
			w.Header().Set(h.GetHeader().GetKey(), string(h.GetHeader().GetRawValue()))
		}
		w.WriteHeader(int(im.GetStatus().GetCode()))
		_, _ = w.Write(im.GetBody())
		return nil
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	for _, h := range pr.GetResponseHeaders().GetResponse().GetHeaderMutation().GetRemoveHeaders() {
		w.Header().Del(h)
	}
	w.WriteHeader(resp.StatusCode)
	if noBody {
		return nil
	}
	if mode == filterv3.ProcessingMode_BUFFERED {
		all, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		return g.chunk(w, all, true, call)
	}
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			if cerr := g.chunk(w, buf[:n], false, call); cerr != nil {
				return cerr
			}
		}
		if errors.Is(err, io.EOF) {
			return g.chunk(w, nil, true, call)
		}
		if err != nil {
			return err
		}
	}
}

// chunk sends one body chunk and writes what Envoy would forward for it.
func (g *procGateway) chunk(w http.ResponseWriter, data []byte, end bool, call func(*procv3.ProcessingRequest) (*procv3.ProcessingResponse, error)) error {
	pr, err := call(&procv3.ProcessingRequest{Request: &procv3.ProcessingRequest_ResponseBody{ResponseBody: &procv3.HttpBody{Body: data, EndOfStream: end}}})
	if err != nil {
		return err
	}
	switch m := pr.GetResponseBody().GetResponse().GetBodyMutation().GetMutation().(type) {
	case *procv3.BodyMutation_Body:
		_, _ = w.Write(m.Body)
	case *procv3.BodyMutation_ClearBody:
	default:
		_, _ = w.Write(data)
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

func headerMap(m map[string]string) *corev3.HeaderMap {
	hm := &corev3.HeaderMap{}
	for k, v := range m {
		hm.Headers = append(hm.Headers, &corev3.HeaderValue{Key: k, RawValue: []byte(v)})
	}
	return hm
}
