package envoy

import (
	"encoding/json"
	"strconv"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

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

// toResponse is appendResponse's answer as a message, for tests and
// in-process callers (Server.Check reads its answer the same way). The
// gRPC listener sends appendResponse's bytes as they are (Register).
func toResponse(d *authz.Decision, opts *Options) *authv3.CheckResponse {
	return readResponse(appendResponse(nil, d, opts))
}

// readResponse reads an answer's wire bytes back as a message.
func readResponse(b []byte) *authv3.CheckResponse {
	resp := new(authv3.CheckResponse)
	if err := proto.Unmarshal(b, resp); err != nil {
		// Not reached: appendResponse writes only valid UTF-8 and
		// TestAnswerMatchesMessage reads every kind of answer back.
		return &authv3.CheckResponse{Status: &rpcstatus.Status{Code: int32(codes.PermissionDenied), Message: "internal"}}
	}
	return resp
}

// appendResponse appends Envoy's answer to d, a CheckResponse, in protobuf
// wire format: an allow with the decision id and SPIFFE ID headers, or the
// denial Deny builds, and the dynamic metadata (metadataFields) either way.
// Writing the bytes directly spares every Check the ~30 objects and
// ~1.9 KB that building the message and marshalling it took.
func appendResponse(b []byte, d *authz.Decision, opts *Options) []byte {
	d = Settled(d)
	w := wire{b: b}
	if d.Allowed() {
		w.end(w.begin(fResponseStatus)) // google.rpc.Status{code: OK}
		ok := w.begin(fResponseOK)
		w.header(fOKHeaders, HeaderDecisionID, d.ID)
		w.header(fOKHeaders, HeaderSPIFFEID, d.Identity.ID.String())
		if d.Identity.Source == identity.SourceJWT && !opts.ForwardJWT {
			w.str(fOKToRemove, "authorization") // the verified JWT-SVID: see Options.ForwardJWT
		}
		w.end(ok)
	} else {
		a := Deny(d, opts.MCPDenyStatus)
		st := w.begin(fResponseStatus)
		w.varint(fStatusCode, int64(grpcCode(d.Outcome)))
		w.str(fStatusMessage, d.Code.String())
		w.end(st)
		den := w.begin(fResponseDenied)
		hs := w.begin(fDeniedStatus)
		w.varint(fHTTPCode, int64(a.Status))
		w.end(hs)
		for _, h := range a.Headers {
			w.header(fDeniedHeaders, h[0], h[1])
		}
		w.str(fDeniedBody, string(a.Body))
		w.end(den)
	}
	md := w.begin(fResponseMetadata)
	metadataFields(d, metadataWire{&w})
	w.end(md)
	return w.b
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

// metadataSink receives the dynamic metadata fields of an answer.
type metadataSink interface {
	str(key, v string)
	list(key string, vs []string)
}

// metadataFields is what Envoy's access log can read under
// %DYNAMIC_METADATA(envoy.filters.http.ext_authz:...)%.
func metadataFields(d *authz.Decision, m metadataSink) {
	m.str("decision_id", d.ID)
	m.str("decision", d.Outcome.String())
	m.str("code", d.Code.String())
	m.str("action", d.Action)
	m.str("policy_version", d.PolicyVersion)
	m.list("policies", d.Policies)
	if d.Identity != nil {
		m.str("principal", d.Identity.ID.String())
	}
	if d.BodySHA256 != "" {
		// The decision is bound to these exact bytes.
		m.str("body_sha256", d.BodySHA256)
	}
	if len(d.Exceptions) > 0 {
		m.list("exceptions", d.Exceptions)
	}
	if d.Subject != "" {
		// The verified subject and its act chain; never the token.
		m.str("subject", d.Subject)
		m.list("delegation", d.Delegation)
	}
	if d.Txn != "" {
		// A Txn-Token's transaction id, for correlation; never the token.
		m.str("txn", d.Txn)
	}
}
