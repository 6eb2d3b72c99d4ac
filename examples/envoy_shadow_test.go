package examples_test

import (
	"os"
	"path/filepath"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	extauthzv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_authz/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/encoding/protojson"
)

// extAuthzFilters returns every ext_authz filter of every HTTP connection
// manager in the bootstrap at path, in chain order, and the number of
// HCMs.
func extAuthzFilters(t *testing.T, path string) (filters []*extauthzv3.ExtAuthz, names []string, hcms int) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	js, err := yamlToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var bs bootstrapv3.Bootstrap
	if err := protojson.Unmarshal(js, &bs); err != nil {
		t.Fatal(err)
	}
	for _, l := range bs.GetStaticResources().GetListeners() {
		for _, fc := range l.GetFilterChains() {
			for _, nf := range fc.GetFilters() {
				var hcm hcmv3.HttpConnectionManager
				if nf.GetTypedConfig().UnmarshalTo(&hcm) != nil {
					continue
				}
				hcms++
				for _, hf := range hcm.GetHttpFilters() {
					var ea extauthzv3.ExtAuthz
					if hf.GetTypedConfig().UnmarshalTo(&ea) == nil {
						filters, names = append(filters, &ea), append(names, hf.GetName())
					}
				}
			}
		}
	}
	return filters, names, hcms
}

// TestEnvoyShadowConfig: in envoy-shadow.yaml Tollgate is asked first and
// in shadow mode, and an existing authorizer enforces after it, failing
// closed. Every other example enforces Tollgate's answer: none may set
// shadow_mode, which would silently stop enforcing.
func TestEnvoyShadowConfig(t *testing.T) {
	filters, names, hcms := extAuthzFilters(t, filepath.Join("envoy", "envoy-shadow.yaml"))
	if hcms == 0 || len(filters) != 2*hcms {
		t.Fatalf("want two ext_authz filters per HCM, got %d in %d", len(filters), hcms)
	}
	for i := 0; i < len(filters); i += 2 {
		shadow, enforce := filters[i], filters[i+1]
		if !shadow.GetShadowMode() || shadow.GetGrpcService().GetEnvoyGrpc().GetClusterName() != "tollgate" {
			t.Errorf("first ext_authz (%s) must be Tollgate in shadow_mode", names[i])
		}
		if enforce.GetShadowMode() || enforce.GetFailureModeAllow() ||
			enforce.GetGrpcService().GetEnvoyGrpc().GetClusterName() == "tollgate" {
			t.Errorf("second ext_authz (%s) must be the existing authorizer, enforcing and failing closed", names[i+1])
		}
		if names[i] == names[i+1] {
			t.Errorf("the two ext_authz filters share the name %q (and the shadow FilterState key)", names[i])
		}
	}
	for _, path := range envoyConfigs(t) {
		if filepath.Base(path) == "envoy-shadow.yaml" {
			continue
		}
		fs, _, _ := extAuthzFilters(t, path)
		for _, f := range fs {
			if f.GetShadowMode() {
				t.Errorf("%s: shadow_mode set: Tollgate's denials would not be enforced", path)
			}
		}
	}
}
