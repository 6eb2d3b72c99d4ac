// Command benchfix writes the fixtures of test/bench/ghz.sh into a
// directory: a test-CA trust bundle (bundle.pem, jwks.json), one allowed
// CheckRequest per scenario (request-SCENARIO.json) and a FileDescriptorSet
// of envoy.service.auth.v3 (auth.protoset) for ghz --protoset. Scenarios:
// x509 (the storefront's X.509-SVID in source.certificate), jwt (its
// JWT-SVID as a bearer token), xfcc (its certificate in XFCC from a trusted
// hop), health and mcp (an MCP agent's plain route and a 4 KiB tools/call
// on the examples/mcp policies). For test/bench/extproc.sh it also writes
// extproc.protoset and extproc-list50.json (an ext_proc stream for a
// 50-tool tools/list). It mints with internal/testca and is for benchmarks
// only.
package main

import (
	"flag"

	"fmt"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	procv3 "github.com/envoyproxy/go-control-plane/envoy/service/ext_proc/v3"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
	"github.com/tollgate-authz/tollgate/internal/testca"
)

func main() {
	dir := flag.String("dir", ".", "directory to write the fixtures into")
	flag.Parse()
	if err := write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "benchfix:", err)
		os.Exit(1)
	}
}

func write(dir string) (err error) {
	tb := &fatalTB{}
	defer tb.recoverInto(&err)
	ca := testca.New(tb, "example.org")
	front := ca.NewX509SVID("/ns/shop/sa/frontend")
	agent := ca.NewX509SVID("/ns/agents/sa/research-agent")
	jwt := ca.NewJWTSVID("/ns/shop/sa/frontend", []string{"tollgate"}, testca.WithExpiry(time.Now().Add(24*time.Hour)))
	xfccHeader := xfcc.Format([]xfcc.Element{{Cert: string(front.LeafPEM()), URI: []string{front.ID.String()}}})
	files := map[string][]byte{"bundle.pem": ca.X509BundlePEM(), "jwks.json": ca.JWKS()}
	reqs := map[string]func() ([]byte, error){
		"x509": func() ([]byte, error) { return request("GET", "/orders/42", front.EnvoyLeaf(), nil, nil) },
		"jwt": func() ([]byte, error) {
			return request("GET", "/orders/42", "", map[string]string{"authorization": "Bearer " + jwt}, nil)
		},
		"xfcc": func() ([]byte, error) {
			return request("GET", "/orders/42", "", map[string]string{"x-forwarded-client-cert": xfccHeader}, nil)
		},
		"health": func() ([]byte, error) { return request("GET", "/health", agent.EnvoyLeaf(), nil, nil) },
		"mcp": func() ([]byte, error) {
			body := mcpCall()
			return request("POST", "/mcp", agent.EnvoyLeaf(), map[string]string{
				"content-type": "application/json", "content-length": strconv.Itoa(len(body))}, body)
		},
	}
	for name, build := range reqs {
		if files["request-"+name+".json"], err = build(); err != nil {
			return err
		}
	}
	if files["auth.protoset"], err = protoset((&authv3.CheckRequest{}).ProtoReflect().Descriptor().ParentFile()); err != nil {
		return err
	}
	if files["extproc.protoset"], err = protoset((&procv3.ProcessingRequest{}).ProtoReflect().Descriptor().ParentFile()); err != nil {
		return err
	}
	agentJWT := ca.NewJWTSVID("/ns/agents/sa/research-agent", []string{"tollgate"}, testca.WithExpiry(time.Now().Add(24*time.Hour)))
	if files["extproc-list50.json"], err = extprocList50(agentJWT); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
