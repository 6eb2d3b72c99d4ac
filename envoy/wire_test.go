package envoy

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	rpcstatus "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// dynamicMetadata is the metadata of d's answer.
func dynamicMetadata(d *authz.Decision) *structpb.Struct {
	return toResponse(d, &Options{MCPDenyStatus: 200}).GetDynamicMetadata()
}

func TestWireFieldNumbers(t *testing.T) {
	for _, c := range []struct {
		m     proto.Message
		field string
		num   fieldNum
	}{
		{&authv3.CheckResponse{}, "status", fResponseStatus},
		{&authv3.CheckResponse{}, "denied_response", fResponseDenied},
		{&authv3.CheckResponse{}, "ok_response", fResponseOK},
		{&authv3.CheckResponse{}, "dynamic_metadata", fResponseMetadata},
		{&rpcstatus.Status{}, "code", fStatusCode},
		{&rpcstatus.Status{}, "message", fStatusMessage},
		{&authv3.DeniedHttpResponse{}, "status", fDeniedStatus},
		{&authv3.DeniedHttpResponse{}, "headers", fDeniedHeaders},
		{&authv3.DeniedHttpResponse{}, "body", fDeniedBody},
		{&typev3.HttpStatus{}, "code", fHTTPCode},
		{&authv3.OkHttpResponse{}, "headers", fOKHeaders},
		{&authv3.OkHttpResponse{}, "headers_to_remove", fOKToRemove},
		{&corev3.HeaderValueOption{}, "header", fOptionHeader},
		{&corev3.HeaderValueOption{}, "append_action", fOptionAction},
		{&corev3.HeaderValue{}, "key", fHeaderKey},
		{&corev3.HeaderValue{}, "value", fHeaderValue},
		{&structpb.Struct{}, "fields", fStructFields},
		{&structpb.Value{}, "string_value", fValueString},
		{&structpb.Value{}, "list_value", fValueList},
		{&structpb.ListValue{}, "values", fListValues},
	} {
		d := c.m.ProtoReflect().Descriptor()
		f := d.Fields().ByName(protoreflect.Name(c.field))
		if f == nil || f.Number() != protoreflect.FieldNumber(c.num) {
			t.Errorf("%s.%s: field %v, wire.go writes %d", d.FullName(), c.field, f, c.num)
		}
	}
	entry := (&structpb.Struct{}).ProtoReflect().Descriptor().Fields().ByName("fields").Message()
	if entry.Fields().ByName("key").Number() != fEntryKey || entry.Fields().ByName("value").Number() != fEntryValue {
		t.Errorf("map entry fields: %v", entry.Fields())
	}
}

type fieldNum = int32

// referenceResponse builds the answer with the generated types: the
// message appendResponse must encode (it is how toResponse built it before
// the answer was written as wire bytes).
func referenceResponse(d *authz.Decision, opts *Options) *authv3.CheckResponse {
	d = Settled(d)
	valid := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	hv := func(k, v string) *corev3.HeaderValueOption {
		return &corev3.HeaderValueOption{Header: &corev3.HeaderValue{Key: valid(k), Value: valid(v)},
			AppendAction: corev3.HeaderValueOption_OVERWRITE_IF_EXISTS_OR_ADD}
	}
	str := func(s string) *structpb.Value { return structpb.NewStringValue(valid(s)) }
	list := func(ss []string) *structpb.Value {
		l := &structpb.ListValue{}
		for _, s := range ss {
			l.Values = append(l.Values, str(s))
		}
		return structpb.NewListValue(l)
	}
	f := map[string]*structpb.Value{"decision_id": str(d.ID), "decision": str(d.Outcome.String()),
		"code": str(d.Code.String()), "action": str(d.Action), "policy_version": str(d.PolicyVersion),
		"policies": list(d.Policies)}
	if d.Identity != nil {
		f["principal"] = str(d.Identity.ID.String())
	}
	if d.BodySHA256 != "" {
		f["body_sha256"] = str(d.BodySHA256)
	}
	if len(d.Exceptions) > 0 {
		f["exceptions"] = list(d.Exceptions)
	}
	if d.Subject != "" {
		f["subject"], f["delegation"] = str(d.Subject), list(d.Delegation)
	}
	if d.Txn != "" {
		f["txn"] = str(d.Txn)
	}
	md := &structpb.Struct{Fields: f}
	if d.Allowed() {
		ok := &authv3.OkHttpResponse{Headers: []*corev3.HeaderValueOption{
			hv(HeaderDecisionID, d.ID), hv(HeaderSPIFFEID, d.Identity.ID.String())}}
		if d.Identity.Source == identity.SourceJWT && !opts.ForwardJWT {
			ok.HeadersToRemove = []string{"authorization"}
		}
		return &authv3.CheckResponse{Status: &rpcstatus.Status{},
			HttpResponse: &authv3.CheckResponse_OkResponse{OkResponse: ok}, DynamicMetadata: md}
	}
	a := Deny(d, opts.MCPDenyStatus)
	den := &authv3.DeniedHttpResponse{Status: &typev3.HttpStatus{Code: typev3.StatusCode(a.Status)}, Body: valid(string(a.Body))}
	for _, h := range a.Headers {
		den.Headers = append(den.Headers, hv(h[0], h[1]))
	}
	return &authv3.CheckResponse{
		Status:       &rpcstatus.Status{Code: int32(grpcCode(d.Outcome)), Message: valid(d.Code.String())},
		HttpResponse: &authv3.CheckResponse_DeniedResponse{DeniedResponse: den}, DynamicMetadata: md}
}

// answerCases are decisions of every kind an answer takes.
func answerCases() []authz.Decision {
	allow := allowDecision()
	jwt := allowDecision()
	jwt.Identity.Source = identity.SourceJWT
	full := allowDecision()
	full.BodySHA256, full.Exceptions, full.Subject = "ab12", []string{"CHG-1", "CHG-2"}, `User::"alice"`
	full.Delegation, full.Txn, full.Policies = []string{"a", "b"}, "txn-1", nil
	deny := authz.Decision{ID: "d-2", Outcome: authz.Forbidden, Code: authz.CodeForbid, Detail: "denied \"x\"", Policies: []string{"f1", "f2"}}
	grpcDeny := deny
	grpcDeny.GRPC = true
	mcpDeny := deny
	mcpDeny.MCP = &authz.MCPInfo{ID: `"x"`}
	unauth := authz.Decision{ID: "d-3", Outcome: authz.Unauthenticated, Code: authz.CodeIdentityMissing}
	bad := authz.Decision{ID: "d-4", Outcome: authz.BadRequest, Code: authz.CodeBadRequest, Detail: "bad"}
	unavailable := authz.Decision{ID: "d-5", Outcome: authz.Unavailable, Code: authz.CodeNoSnapshot}
	noIdentity := authz.Decision{ID: "d-6", Outcome: authz.Allow, Code: authz.CodePermit}
	return []authz.Decision{allow, jwt, full, deny, grpcDeny, mcpDeny, unauth, bad, unavailable, noIdentity,
		{ID: "zero"}, PanicDecision()}
}

// The wire bytes are the message the generated types build, for every
// kind of answer and with both settings that change it.
func TestAnswerMatchesMessage(t *testing.T) {
	for _, opts := range []*Options{{MCPDenyStatus: 200}, {MCPDenyStatus: 403, ForwardJWT: true}} {
		for i, d := range answerCases() {
			got, want := toResponse(&d, opts), referenceResponse(&d, opts)
			if !proto.Equal(got, want) {
				t.Errorf("%d (%s): wire answer\n%v\nwant\n%v", i, d.ID, got, want)
			}
		}
	}
}

// FuzzAnswer: any strings in a decision (invalid UTF-8 included, which
// Envoy would refuse to parse) give the reference message, and bytes that
// parse.
func FuzzAnswer(f *testing.F) {
	f.Add("d-1", `Action::"A"`, "p1", "v1", "sub", "\xff\xfe", uint8(0), true)
	f.Add("", "", "", "", "", "", uint8(2), false)
	f.Fuzz(func(t *testing.T, id, action, pol, version, subject, txn string, outcome uint8, jwt bool) {
		for i, d := range answerCases() {
			d.ID, d.Action, d.PolicyVersion, d.Subject, d.Txn = id, action, version, subject, txn
			d.Policies = append(d.Policies, pol)
			d.Outcome = authz.Outcome(int(outcome) % 7)
			if d.Identity != nil && jwt {
				d.Identity.Source = identity.SourceJWT
			}
			b := appendResponse(nil, &d, &Options{MCPDenyStatus: 200})
			got := new(authv3.CheckResponse)
			if err := proto.Unmarshal(b, got); err != nil {
				t.Fatalf("%d: answer does not parse: %v", i, err)
			}
			if want := referenceResponse(&d, &Options{MCPDenyStatus: 200}); !proto.Equal(got, want) {
				t.Fatalf("%d: wire answer\n%v\nwant\n%v", i, got, want)
			}
		}
	})
}

// The registered service answers over gRPC as Server.Check does in
// process, and a panicking checker is a denial there too.
func TestRegisteredAnswersAsCheck(t *testing.T) {
	for i, d := range answerCases() {
		s := NewServer(&recorder{Decision: d}, Options{})
		got, err := dial(t, s).Check(context.Background(), &authv3.CheckRequest{})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		want, _ := s.Check(context.Background(), &authv3.CheckRequest{})
		if !proto.Equal(got, want) {
			t.Errorf("%d: over gRPC %v, in process %v", i, got, want)
		}
	}
	resp := toResponse(&authz.Decision{ID: "\xff", Outcome: authz.Forbidden, Code: authz.CodeForbid}, &Options{})
	if id := resp.GetDynamicMetadata().GetFields()["decision_id"].GetStringValue(); !utf8.ValidString(id) || id != "\uFFFD" {
		t.Errorf("invalid UTF-8 id written as %q", id)
	}
}
