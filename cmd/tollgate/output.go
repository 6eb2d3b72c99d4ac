package main

import (
	"encoding/json"
	"fmt"
	"io"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"

	"github.com/tollgate-authz/tollgate/authz"
)

// outputFlag is --output text|json, for scripts.
type outputFlag string

func (o *outputFlag) String() string { return string(*o) }

func (o *outputFlag) Set(v string) error {
	if v != "text" && v != "json" {
		return fmt.Errorf("want text or json, not %q", v)
	}
	*o = outputFlag(v)
	return nil
}

func (o outputFlag) json() bool { return o == "json" }

// checkResult is one decision as check --output json prints it.
type checkResult struct {
	Allowed         bool              `json:"allowed"`
	Status          int32             `json:"status,omitempty"` // HTTP status of a denial
	DecisionID      string            `json:"decision_id,omitempty"`
	Code            string            `json:"code,omitempty"`
	Reason          string            `json:"reason,omitempty"`
	Principal       string            `json:"principal,omitempty"`
	Action          string            `json:"action,omitempty"`
	Resource        string            `json:"resource,omitempty"`
	Policies        []string          `json:"policies"`
	Exceptions      []string          `json:"exceptions,omitempty"`
	PolicyVersion   string            `json:"policy_version,omitempty"`
	UpstreamHeaders map[string]string `json:"upstream_headers,omitempty"`
	Body            string            `json:"body,omitempty"`
}

// exit is check's exit status for the result: 0 allowed, 3 denied.
func (r *checkResult) exit() int {
	if r.Allowed {
		return exitOK
	}
	return exitDenied
}

// responseResult reads a CheckResponse as printCheckResponse does.
func responseResult(resp *authv3.CheckResponse) *checkResult {
	md := resp.GetDynamicMetadata().GetFields()
	str := func(k string) string { return md[k].GetStringValue() }
	r := &checkResult{DecisionID: str("decision_id"), Code: str("code"), Principal: str("principal"),
		Action: str("action"), PolicyVersion: str("policy_version"), Policies: []string{}}
	for _, v := range md["policies"].GetListValue().GetValues() {
		r.Policies = append(r.Policies, v.GetStringValue())
	}
	if ok := resp.GetOkResponse(); ok != nil && resp.GetStatus().GetCode() == 0 {
		r.Allowed, r.UpstreamHeaders = true, map[string]string{}
		for _, h := range ok.GetHeaders() {
			r.UpstreamHeaders[h.GetHeader().GetKey()] = h.GetHeader().GetValue()
		}
		return r
	}
	d := resp.GetDeniedResponse()
	r.Status, r.Body = int32(d.GetStatus().GetCode()), d.GetBody()
	return r
}

// decisionResult is an offline decision as JSON.
func decisionResult(d *authz.Decision) *checkResult {
	r := &checkResult{Allowed: d.Allowed(), DecisionID: d.ID, Code: d.Code.String(), Reason: d.Detail, Action: d.Action,
		Resource: d.Resource, Policies: append([]string{}, d.Policies...), Exceptions: d.Exceptions, PolicyVersion: d.PolicyVersion}
	if d.Identity != nil {
		r.Principal = d.Identity.ID.String()
	}
	return r
}

func printJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
