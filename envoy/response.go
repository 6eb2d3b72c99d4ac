package envoy

import (
	"encoding/json"
	"strconv"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// Upstream headers Tollgate sets on allowed requests. Any copy the client
// sent is overwritten (OVERWRITE_IF_EXISTS_OR_ADD replaces every value).
const (
	HeaderDecisionID = authz.HeaderDecisionID
	HeaderSPIFFEID   = authz.HeaderSPIFFEID
)

// HeaderCode carries the bounded code of a denial (no_permit, no_snapshot,
// internal, ...) to the client, on both listeners.
const HeaderCode = "x-tollgate-code"

// MetadataNamespace is the dynamic metadata namespace for Envoy's access log.
const MetadataNamespace = "envoy.filters.http.ext_authz"

// toResponse converts a decision into Envoy's answer.
func toResponse(d *authz.Decision, opts *Options) *authv3.CheckResponse {
	d = Settled(d)
	md := dynamicMetadata(d)
	if d.Allowed() {
		ok := &authv3.OkHttpResponse{
			Headers: []*corev3.HeaderValueOption{
				overwrite(HeaderDecisionID, d.ID),
				overwrite(HeaderSPIFFEID, d.Identity.ID.String()),
			},
		}
		if d.Identity.Source == identity.SourceJWT && !opts.ForwardJWT {
			ok.HeadersToRemove = []string{"authorization"} // the verified JWT-SVID: see Options.ForwardJWT
		}
		return &authv3.CheckResponse{
			Status:          &rpcstatus.Status{Code: int32(codes.OK)},
			HttpResponse:    &authv3.CheckResponse_OkResponse{OkResponse: ok},
			DynamicMetadata: md,
		}
	}
	a := Deny(d, opts.MCPDenyStatus)
	headers := make([]*corev3.HeaderValueOption, len(a.Headers))
	for i, h := range a.Headers {
		headers[i] = overwrite(h[0], h[1])
	}
	return &authv3.CheckResponse{
		Status: &rpcstatus.Status{Code: int32(grpcCode(d.Outcome)), Message: d.Code.String()}, //nolint:gosec // a gRPC code (0-16)
		HttpResponse: &authv3.CheckResponse_DeniedResponse{DeniedResponse: &authv3.DeniedHttpResponse{
			Status:  &typev3.HttpStatus{Code: typev3.StatusCode(a.Status)}, //nolint:gosec // an HTTP status (4xx/5xx)
			Headers: headers,
			Body:    string(a.Body),
		}},
		DynamicMetadata: md,
	}
}

// Settled returns d, or an internal-error denial in its place when d is
// not a decision the adapters know how to answer: an Allow without the
// verified identity every allow is decided for (it would map to gRPC OK,
// which Envoy reads as an allow whatever the HTTP status), the zero
// Outcome (nothing decided) or an Outcome out of range.
func Settled(d *authz.Decision) *authz.Decision {
	if d.Allowed() || knownDenial(d.Outcome) {
		return d
	}
	e := authz.Errored("internal error: no decision")
	if d.Outcome == authz.Allow {
		e = authz.Allowed(nil) // the constructor's own answer to an allow without identity
	}
	c := *d
	c.Outcome, c.Code, c.Detail = e.Outcome, e.Code, e.Detail
	return &c
}

// PanicDecision answers a check that panicked. The panic value is not
// logged: it may hold request data.
func PanicDecision() authz.Decision {
	d := authz.Errored("internal error")
	d.ID = "panic"
	return d
}

func knownDenial(o authz.Outcome) bool {
	switch o {
	case authz.Unauthenticated, authz.Forbidden, authz.BadRequest, authz.Unavailable:
		return true
	}
	return false
}

// Denial is what the client sees of a denial. The ext_authz server and
// the forward-auth listener (internal/forwardauth) both build it with
// Deny, so a denial reads the same whichever listener decided it.
type Denial struct {
	Status  int
	Headers [][2]string // lower-case names
	Body    []byte
}

// Deny builds the answer to a settled denial. mcpStatus is the status of
// a denied MCP call.
func Deny(d *authz.Decision, mcpStatus int) Denial {
	hs := make([][2]string, 2, 5)
	hs[0], hs[1] = [2]string{HeaderDecisionID, d.ID}, [2]string{HeaderCode, d.Code.String()}
	switch {
	case d.MCP.JSONRPC(): // a denied notification or response gets the plain denial below
		return Denial{mcpStatus, append(hs, [2]string{"content-type", "application/json"}), mcpErrorBody(d)}
	case d.GRPC:
		hs = append(hs, [2]string{"content-type", "application/grpc"},
			[2]string{"grpc-status", strconv.Itoa(int(grpcCode(d.Outcome)))},
			[2]string{"grpc-message", grpcMessage(d)})
		return Denial{HTTPStatus(d.Outcome), hs, nil}
	}
	return Denial{HTTPStatus(d.Outcome), append(hs, [2]string{"content-type", "application/json"}), DenyBody(d)}
}

// HTTPStatus maps an outcome to the HTTP status a denied client sees. A
// denial is never a 5xx: Envoy's failure_mode_allow and Istio's failOpen
// turn a 5xx from an HTTP authorization service into an allow. Tollgate
// being unable to decide (no or stale policy, internal error) is a 403
// whose code (x-tollgate-code) says why.
func HTTPStatus(o authz.Outcome) int {
	switch o {
	case authz.Allow:
		return 200
	case authz.Unauthenticated:
		return 401
	case authz.BadRequest:
		return 400
	}
	return 403
}

func grpcCode(o authz.Outcome) codes.Code {
	switch o {
	case authz.Allow:
		return codes.OK
	case authz.Unauthenticated:
		return codes.Unauthenticated
	case authz.BadRequest:
		return codes.InvalidArgument
	case authz.Unavailable:
		return codes.Unavailable
	}
	return codes.PermissionDenied
}

// DenyBody is the small JSON body of a denied HTTP request.
func DenyBody(d *authz.Decision) []byte {
	b, _ := json.Marshal(struct {
		DecisionID string `json:"decision_id"`
		Reason     string `json:"reason"`
	}{d.ID, d.Detail})
	return b
}

func grpcMessage(d *authz.Decision) string {
	// grpc-message is percent-encoded on the wire; keep it to safe ASCII.
	return "tollgate: " + d.Code.String() + " (decision " + d.ID + ")"
}

func overwrite(key, value string) *corev3.HeaderValueOption {
	return &corev3.HeaderValueOption{
		Header:       &corev3.HeaderValue{Key: key, Value: value},
		AppendAction: corev3.HeaderValueOption_OVERWRITE_IF_EXISTS_OR_ADD,
	}
}

// dynamicMetadata is what Envoy's access log can read under
// %DYNAMIC_METADATA(envoy.filters.http.ext_authz:...)%.
func dynamicMetadata(d *authz.Decision) *structpb.Struct {
	n := 11 + len(d.Policies) + len(d.Exceptions) + len(d.Delegation)
	sv := newStringValues(n)
	f := make(map[string]*structpb.Value, 8)
	f["decision_id"] = sv.add(d.ID)
	f["decision"] = sv.add(d.Outcome.String())
	f["code"] = sv.add(d.Code.String())
	f["action"] = sv.add(d.Action)
	f["policy_version"] = sv.add(d.PolicyVersion)
	f["policies"] = sv.list(d.Policies)
	if d.Identity != nil {
		f["principal"] = sv.add(d.Identity.ID.String())
	}
	if d.BodySHA256 != "" {
		// The decision is bound to these exact bytes.
		f["body_sha256"] = sv.add(d.BodySHA256)
	}
	if len(d.Exceptions) > 0 {
		f["exceptions"] = sv.list(d.Exceptions)
	}
	if d.Subject != "" {
		// The verified subject and its act chain; never the token.
		f["subject"] = sv.add(d.Subject)
		f["delegation"] = sv.list(d.Delegation)
	}
	if d.Txn != "" {
		// A Txn-Token's transaction id, for correlation; never the token.
		f["txn"] = sv.add(d.Txn)
	}
	return &structpb.Struct{Fields: f}
}

// stringValues hands out string *structpb.Values from two slices, so the
// metadata of one answer costs a few allocations instead of two per value.
type stringValues struct {
	vals  []structpb.Value
	kinds []structpb.Value_StringValue
}

func newStringValues(n int) *stringValues {
	return &stringValues{vals: make([]structpb.Value, 0, n), kinds: make([]structpb.Value_StringValue, 0, n)}
}

// next is the next unused Value (a fresh one if the slice is full).
func (s *stringValues) next() *structpb.Value {
	if len(s.vals) == cap(s.vals) {
		return &structpb.Value{}
	}
	s.vals = s.vals[:len(s.vals)+1]
	return &s.vals[len(s.vals)-1]
}

func (s *stringValues) add(v string) *structpb.Value {
	val := s.next()
	if len(s.kinds) == cap(s.kinds) {
		val.Kind = &structpb.Value_StringValue{StringValue: v}
		return val
	}
	s.kinds = append(s.kinds, structpb.Value_StringValue{StringValue: v})
	val.Kind = &s.kinds[len(s.kinds)-1]
	return val
}

// list is a list value of the strings ss.
func (s *stringValues) list(ss []string) *structpb.Value {
	vs := make([]*structpb.Value, len(ss))
	for i, v := range ss {
		vs[i] = s.add(v)
	}
	lv := s.next()
	lv.Kind = &structpb.Value_ListValue{ListValue: &structpb.ListValue{Values: vs}}
	return lv
}
