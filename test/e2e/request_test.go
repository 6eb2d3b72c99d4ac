package e2e

import (
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// reqOpt shapes a CheckRequest the way Envoy would send it.
type reqOpt func(*authv3.CheckRequest)

func newCheck(method, path string, opts ...reqOpt) *authv3.CheckRequest {
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

func withCert(urlEncodedPEM string) reqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Source.Certificate = urlEncodedPEM }
}

func withPrincipal(id string) reqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Source.Principal = id }
}

func withHeader(k, v string) reqOpt {
	return func(r *authv3.CheckRequest) { r.Attributes.Request.Http.Headers[k] = v }
}

func withBearer(tok string) reqOpt { return withHeader("authorization", "Bearer "+tok) }

func withBody(body []byte, asBytes bool) reqOpt {
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

// verdict summarises a CheckResponse for assertions.
type verdict struct {
	allow      bool
	httpStatus int
	code       string
	decisionID string
	version    string
	policies   []string
	headers    map[string]string // upstream headers on allow, response headers on deny
	body       string
}

func summarise(resp *authv3.CheckResponse) verdict {
	md := resp.GetDynamicMetadata().GetFields()
	v := verdict{
		code:       md["code"].GetStringValue(),
		decisionID: md["decision_id"].GetStringValue(),
		version:    md["policy_version"].GetStringValue(),
		headers:    map[string]string{},
	}
	for _, p := range md["policies"].GetListValue().GetValues() {
		v.policies = append(v.policies, p.GetStringValue())
	}
	if ok := resp.GetOkResponse(); ok != nil && resp.GetStatus().GetCode() == 0 {
		v.allow, v.httpStatus = true, 200
		for _, h := range ok.GetHeaders() {
			v.headers[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
		}
		return v
	}
	d := resp.GetDeniedResponse()
	v.httpStatus = int(d.GetStatus().GetCode())
	v.body = d.GetBody()
	for _, h := range d.GetHeaders() {
		v.headers[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
	}
	return v
}
