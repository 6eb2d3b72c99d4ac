package main

import (
	"testing"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	typev3 "github.com/envoyproxy/go-control-plane/envoy/type/v3"
	"google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// TestResponseResult reads a server's answer as check's text output does.
func TestResponseResult(t *testing.T) {
	md, _ := structpb.NewStruct(map[string]any{"decision_id": "d1", "code": "forbid", "principal": "spiffe://example.org/a",
		"action": `Action::"ReadOrder"`, "policy_version": "v1", "policies": []any{"deny-x"}})
	deny := &authv3.CheckResponse{Status: &status.Status{Code: 7}, DynamicMetadata: md,
		HttpResponse: &authv3.CheckResponse_DeniedResponse{DeniedResponse: &authv3.DeniedHttpResponse{
			Status: &typev3.HttpStatus{Code: typev3.StatusCode_Forbidden}, Body: "denied"}}}
	r := responseResult(deny)
	if r.Allowed || r.Status != 403 || r.Code != "forbid" || r.Policies[0] != "deny-x" || r.Body != "denied" || r.exit() != exitDenied {
		t.Errorf("deny: %+v", r)
	}
	allow := &authv3.CheckResponse{Status: &status.Status{}, DynamicMetadata: md,
		HttpResponse: &authv3.CheckResponse_OkResponse{OkResponse: &authv3.OkHttpResponse{Headers: []*corev3.HeaderValueOption{
			{Header: &corev3.HeaderValue{Key: "x-tollgate-principal", Value: "spiffe://example.org/a"}}}}}}
	r = responseResult(allow)
	if !r.Allowed || r.UpstreamHeaders["x-tollgate-principal"] == "" || r.exit() != exitOK {
		t.Errorf("allow: %+v", r)
	}
	if r := responseResult(&authv3.CheckResponse{}); r.Allowed {
		t.Errorf("an empty response is allowed: %+v", r)
	}
}
