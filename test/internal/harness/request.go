package harness

import (
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// ReqOpt shapes a CheckRequest the way Envoy would send it.
type ReqOpt func(*authv3.CheckRequest)

func NewCheck(method, path string, opts ...ReqOpt) *authv3.CheckRequest {
	r := &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source: &authv3.AttributeContext_Peer{Address: &corev3.Address{Address: &corev3.Address_SocketAddress{
			SocketAddress: &corev3.SocketAddress{Address: "10.1.2.3", PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 51000}},
		}}},
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "req-1", Method: method, Path: path, Host: "orders.internal", Scheme: "https",
			Headers: map[string]string{":method": method, ":path": path, ":authority": "orders.internal"},
		}},
	}}
	for _, o := range opts {
		o(r)
	}
	return r
}

func WithCert(urlEncodedPEM string) ReqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Source.Certificate = urlEncodedPEM }
}

func WithPrincipal(id string) ReqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Source.Principal = id }
}

func WithHeader(k, v string) ReqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Request.Http.Headers[k] = v }
}

func WithBearer(tok string) ReqOpt { return WithHeader("authorization", "Bearer "+tok) }

func WithBody(body []byte, asBytes bool) ReqOpt {
	return func(r *authv3.CheckRequest) {
		h := r.Attributes.Request.Http
		if asBytes {
			h.RawBody = body
		} else {
			h.Body = string(body)
		}
		h.Size = int64(len(body))
	}
}

// Verdict summarises a CheckResponse for assertions.
type Verdict struct {
	Allow      bool
	HTTPStatus int
	Code       string
	DecisionID string
	Version    string
	Policies   []string
	Headers    map[string]string // upstream headers on allow, response headers on deny
	Body       string
}

func Summarise(resp *authv3.CheckResponse) Verdict {
	md := resp.GetDynamicMetadata().GetFields()
	v := Verdict{
		Code:       md["code"].GetStringValue(),
		DecisionID: md["decision_id"].GetStringValue(),
		Version:    md["policy_version"].GetStringValue(),
		Headers:    map[string]string{},
	}
	for _, p := range md["policies"].GetListValue().GetValues() {
		v.Policies = append(v.Policies, p.GetStringValue())
	}
	if ok := resp.GetOkResponse(); ok != nil && resp.GetStatus().GetCode() == 0 {
		v.Allow, v.HTTPStatus = true, 200
		for _, h := range ok.GetHeaders() {
			v.Headers[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
		}
		return v
	}
	d := resp.GetDeniedResponse()
	v.HTTPStatus = int(d.GetStatus().GetCode())
	v.Body = d.GetBody()
	for _, h := range d.GetHeaders() {
		v.Headers[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
	}
	return v
}
