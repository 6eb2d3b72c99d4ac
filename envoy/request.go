package envoy

import (
	"context"
	"strconv"
	"strings"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/peer"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// partialBodyHeader is set by Envoy when with_request_body truncated the body.
const partialBodyHeader = "x-envoy-auth-partial-body"

// PartialBody reports Envoy's mark of a truncated body. Anything but an
// absent header or exactly "false" (a repeated header is comma-joined)
// counts as truncated.
func PartialBody(headers map[string]string) bool {
	v, ok := headers[partialBodyHeader]
	return ok && v != "false"
}

// toRequest converts a CheckRequest into a proxy-neutral authz.Request.
// It never fails: missing parts stay empty and the engine denies.
func toRequest(req *authv3.CheckRequest) *authz.Request {
	attrs := req.GetAttributes()
	httpReq := attrs.GetRequest().GetHttp()
	src := attrs.GetSource()
	headers := headerMap(httpReq)
	r := &authz.Request{
		Method:            httpReq.GetMethod(),
		Path:              httpReq.GetPath(),
		Host:              httpReq.GetHost(),
		Scheme:            httpReq.GetScheme(),
		Headers:           headers,
		SourceAddress:     src.GetAddress().GetSocketAddress().GetAddress(),
		TLS:               attrs.GetTlsSession() != nil || src.GetPrincipal() != "" || src.GetCertificate() != "",
		ContextExtensions: attrs.GetContextExtensions(),
		Metadata:          flattenMetadata(attrs.GetMetadataContext()),
		ContentLength:     -1,
		Credentials: identity.Credentials{
			PeerCertificate: src.GetCertificate(),
			SourcePrincipal: src.GetPrincipal(),
			XFCC:            headers["x-forwarded-client-cert"],
			Authorization:   headers["authorization"],
		},
	}
	r.Body = httpReq.GetRawBody()
	if len(r.Body) == 0 && httpReq.GetBody() != "" {
		r.Body = []byte(httpReq.GetBody())
	}
	r.BodyTruncated = PartialBody(headers)
	if cl, ok := headers["content-length"]; ok {
		n, ok := contentLength(cl)
		if ok {
			r.ContentLength = n
		}
		// A length that cannot be read cannot confirm a whole body.
		r.BodyTruncated = r.BodyTruncated || !ok
	}
	return r
}

// contentLength reads a Content-Length value: one non-negative decimal
// number, or a comma-separated list of equal ones (a repeated header,
// RFC 9110 section 8.6). Anything else is not ok.
func contentLength(v string) (int64, bool) {
	n := int64(-1)
	for _, part := range strings.Split(v, ",") {
		part = strings.Trim(part, " \t")
		if part == "" || len(part) > 18 || strings.Trim(part, "0123456789") != "" {
			return -1, false
		}
		m, err := strconv.ParseInt(part, 10, 64)
		if err != nil || (n >= 0 && m != n) {
			return -1, false
		}
		n = m
	}
	return n, true
}

// headerMap returns the request headers. Envoy sends either the headers map
// or, with encode_raw_headers, header_map; repeated headers in header_map
// are comma-joined as Envoy does for the plain map.
//
// Names are lower-cased whatever map they come in: Envoy sends them so, but
// a name in another case (X-Envoy-Auth-Partial-Body) must never be missed.
// Names equal but for case are joined like repeated headers.
func headerMap(h *authv3.AttributeContext_HttpRequest) map[string]string {
	raw := h.GetHeaderMap().GetHeaders()
	plain := h.GetHeaders()
	if len(raw) == 0 && lowerKeys(plain) {
		if plain != nil {
			return plain
		}
		return map[string]string{}
	}
	m := make(map[string]string, len(raw)+len(plain))
	for k, v := range plain {
		mergeHeader(m, k, v)
	}
	for _, hv := range raw {
		v := hv.GetValue()
		if v == "" {
			v = string(hv.GetRawValue())
		}
		mergeHeader(m, hv.GetKey(), v)
	}
	return m
}

// lowerKeys reports whether every name of m is already lower case.
func lowerKeys(m map[string]string) bool {
	for k := range m {
		if lower(k) != k {
			return false
		}
	}
	return true
}

func mergeHeader(m map[string]string, key, v string) {
	k := lower(key)
	if old, ok := m[k]; ok {
		m[k] = old + "," + v
		return
	}
	m[k] = v
}

func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// flattenMetadata keeps the string, number and bool values of filter
// metadata as "filter.key" so that signals can read them.
func flattenMetadata(md *corev3.Metadata) map[string]string {
	fm := md.GetFilterMetadata()
	if len(fm) == 0 {
		return nil
	}
	out := make(map[string]string)
	for filter, st := range fm {
		for k, v := range st.GetFields() {
			if filter == envoyMCPFilter && k == "params" {
				flattenMCPParams(out, v)
			}
			switch kind := v.GetKind().(type) {
			case *structpb.Value_StringValue:
				out[filter+"."+k] = kind.StringValue
			case *structpb.Value_NumberValue:
				out[filter+"."+k] = strconv.FormatFloat(kind.NumberValue, 'f', -1, 64)
			case *structpb.Value_BoolValue:
				out[filter+"."+k] = strconv.FormatBool(kind.BoolValue)
			default: // a list, struct or null: a signal on it is refused, not absent
				out[filter+"."+k] = authz.MetadataUnreadable
			}
		}
	}
	return out
}

// peerHop returns the proxy that called Check: its SPIFFE ID when it
// connected over the mTLS listener (the handshake already verified the
// certificate against the trust bundles), and its network address. The
// identity package trusts XFCC only from configured hops.
func peerHop(ctx context.Context) (spiffeid.ID, string) {
	p, ok := peer.FromContext(ctx)
	if !ok {
		return spiffeid.ID{}, ""
	}
	var addr string
	if p.Addr != nil && p.Addr.Network() != "unix" {
		addr = p.Addr.String()
	}
	info, ok := p.AuthInfo.(credentials.TLSInfo)
	if !ok || len(info.State.PeerCertificates) == 0 || !info.State.HandshakeComplete {
		return spiffeid.ID{}, addr
	}
	id, err := x509svid.IDFromCert(info.State.PeerCertificates[0])
	if err != nil {
		return spiffeid.ID{}, addr
	}
	return id, addr
}

// PeerHop is the proxy that called Tollgate on ctx's gRPC stream (see
// peerHop), for the other Envoy services on the listener (ext_proc).
func PeerHop(ctx context.Context) (spiffeid.ID, string) { return peerHop(ctx) }
