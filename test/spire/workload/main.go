// Command workload is the test workload of the real-SPIRE end-to-end tests
// (and of examples/spire). It fetches its X.509-SVID and a JWT-SVID from a
// SPIFFE Workload API (a SPIRE agent), then asks Tollgate's ext_authz gRPC
// service about each request once per carrier, the way Envoy would:
//
//	cert  the leaf as attributes.source.certificate (URL-encoded PEM)
//	xfcc  an x-forwarded-client-cert header (By, Hash, Cert, Chain, URI)
//	jwt   the JWT-SVID as Authorization: Bearer
//
// With -mtls SPIFFE-ID it calls Tollgate over mTLS (Tollgate's listen.mtls),
// presenting its own X.509-SVID and accepting only that server ID.
//
// It prints one JSON line per check and exits. With -save it also writes
// the credentials it used to a directory, and with -replay it uses such
// saved credentials instead of the agent (to keep calling while the agent is
// down).
//
//	workload -socket unix:///tmp/tollgate-spire/agent/api.sock -tollgate 127.0.0.1:9191
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

type options struct {
	socket   string
	tollgate string
	audience string
	proxyID  string
	modes    []string
	requests []string
	save     string
	replay   string
	mtls     string
	timeout  time.Duration
}

func main() {
	var o options
	var modes, requests string
	flag.StringVar(&o.socket, "socket", os.Getenv("SPIFFE_ENDPOINT_SOCKET"), "Workload API socket (unix:///path)")
	flag.StringVar(&o.tollgate, "tollgate", "127.0.0.1:9191", "Tollgate ext_authz gRPC address")
	flag.StringVar(&o.audience, "audience", "tollgate", "JWT-SVID audience")
	flag.StringVar(&o.proxyID, "proxy-id", "spiffe://example.org/proxy", "XFCC By= (the proxy that saw the client)")
	flag.StringVar(&modes, "modes", "cert,xfcc,jwt", "carriers to send, comma-separated")
	flag.StringVar(&requests, "requests", "GET /orders/42,DELETE /orders/42", "METHOD PATH pairs, comma-separated")
	flag.StringVar(&o.save, "save", "", "write the credentials used to this directory")
	flag.StringVar(&o.replay, "replay", "", "use credentials saved with -save instead of the Workload API")
	flag.StringVar(&o.mtls, "mtls", "", "call Tollgate over mTLS, accepting only this server SPIFFE ID")
	flag.DurationVar(&o.timeout, "timeout", 20*time.Second, "overall deadline")
	flag.Parse()
	o.modes, o.requests = strings.Split(modes, ","), strings.Split(requests, ",")
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "workload:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	c, err := loadCreds(ctx, o)
	if err != nil {
		return err
	}
	if o.save != "" {
		if err := c.save(o.save); err != nil {
			return err
		}
	}
	results, err := checkAll(ctx, o, c)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	for _, r := range results {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}
