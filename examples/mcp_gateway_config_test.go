package examples_test

import (
	"os"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	authzv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_authz/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	hcmv3 "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	"google.golang.org/protobuf/encoding/protojson"
)

// TestMCPGatewayHasBothHalves: examples/mcp-gateway runs ext_authz and then
// ext_proc, both failing closed, with ext_proc reading the response body in
// a mode Tollgate accepts and sending the identity inputs it verifies; the
// MCP route keeps ext_proc and every other route turns it off.
func TestMCPGatewayHasBothHalves(t *testing.T) {
	raw, err := os.ReadFile("mcp-gateway/envoy.yaml")
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
	var hcm hcmv3.HttpConnectionManager
	if err := bs.GetStaticResources().GetListeners()[0].GetFilterChains()[0].GetFilters()[0].GetTypedConfig().UnmarshalTo(&hcm); err != nil {
		t.Fatal(err)
	}
	var names []string
	var ea authzv3.ExtAuthz
	var ep procv3.ExternalProcessor
	for _, f := range hcm.GetHttpFilters() {
		names = append(names, f.GetName())
		switch f.GetName() {
		case "envoy.filters.http.ext_authz":
			err = f.GetTypedConfig().UnmarshalTo(&ea)
		case "envoy.filters.http.ext_proc":
			err = f.GetTypedConfig().UnmarshalTo(&ep)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(names) != 3 || names[0] != "envoy.filters.http.ext_authz" || names[1] != "envoy.filters.http.ext_proc" {
		t.Fatalf("filters %v, want ext_authz, ext_proc, router", names)
	}
	pm := ep.GetProcessingMode()
	if ea.GetFailureModeAllow() || ep.GetFailureModeAllow() || !ea.GetWithRequestBody().GetPackAsBytes() ||
		pm.GetResponseHeaderMode() != procv3.ProcessingMode_SEND ||
		(pm.GetResponseBodyMode() != procv3.ProcessingMode_STREAMED && pm.GetResponseBodyMode() != procv3.ProcessingMode_BUFFERED) ||
		len(ep.GetRequestAttributes()) == 0 || ep.GetRequestAttributes()[0] != "connection.uri_san_peer_certificate" {
		t.Fatalf("ext_authz %v / ext_proc %v", &ea, &ep)
	}
	routes := hcm.GetRouteConfig().GetVirtualHosts()[0].GetRoutes()
	if routes[0].GetMatch().GetPath() != "/mcp" || routes[0].GetTypedPerFilterConfig()["envoy.filters.http.ext_proc"] != nil {
		t.Fatalf("the MCP route must keep ext_proc: %v", routes[0])
	}
	var per procv3.ExtProcPerRoute
	if err := routes[1].GetTypedPerFilterConfig()["envoy.filters.http.ext_proc"].UnmarshalTo(&per); err != nil || !per.GetDisabled() {
		t.Fatalf("other routes must turn ext_proc off: %v %v", &per, err)
	}
}
