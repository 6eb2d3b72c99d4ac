package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

// Result is one check, printed as a JSON line. A Check that failed at the
// transport (no CheckResponse, for example a refused mTLS handshake) has
// Error and GRPCCode set, and is the last line.
type Result struct {
	Mode         string `json:"mode"`
	Method       string `json:"method"`
	Path         string `json:"path"`
	Allow        bool   `json:"allow"`
	Status       int    `json:"status"`
	Code         string `json:"code"`
	Serial       string `json:"serial"`
	ID           string `json:"spiffe_id"`
	Upstream     string `json:"x_spiffe_id,omitempty"`
	ServerSerial string `json:"server_serial,omitempty"`
	ServerID     string `json:"server_id,omitempty"`
	Error        string `json:"error,omitempty"`
	GRPCCode     string `json:"grpc_code,omitempty"`
}

func checkAll(ctx context.Context, o options, c *creds) ([]Result, error) {
	dial, err := transport(o, c)
	if err != nil {
		return nil, err
	}
	conn, err := grpc.NewClient(o.tollgate, dial)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := authv3.NewAuthorizationClient(conn)
	var out []Result
	for _, mode := range o.modes {
		carrier, err := carrierFor(mode, o, c)
		if err != nil {
			return nil, err
		}
		for _, rq := range o.requests {
			method, path, ok := strings.Cut(strings.TrimSpace(rq), " ")
			if !ok {
				return nil, fmt.Errorf("request %q: want METHOD PATH", rq)
			}
			r := Result{Mode: mode, Method: method, Path: path, Serial: c.leaf.SerialNumber.Text(16), ID: c.id}
			var p peer.Peer
			resp, err := client.Check(ctx, harness.NewCheck(method, path, carrier), grpc.Peer(&p))
			if err != nil {
				r.Error, r.GRPCCode = err.Error(), status.Code(err).String()
				return append(out, r), nil
			}
			v := harness.Summarise(resp)
			r.Allow, r.Status, r.Code, r.Upstream = v.Allow, v.HTTPStatus, v.Code, v.Headers["x-spiffe-id"]
			r.ServerSerial, r.ServerID = server(&p)
			out = append(out, r)
		}
	}
	return out, nil
}

// carrierFor puts the credentials where Envoy would.
func carrierFor(mode string, o options, c *creds) (harness.ReqOpt, error) {
	switch mode {
	case "cert":
		return harness.WithCert(url.QueryEscape(string(c.leafPEM))), nil
	case "xfcc":
		sum := sha256.Sum256(c.leaf.Raw)
		return harness.WithHeader("x-forwarded-client-cert", xfcc.Format([]xfcc.Element{{
			By: []string{o.proxyID}, Hash: hex.EncodeToString(sum[:]),
			Cert: string(c.leafPEM), Chain: string(c.chainPEM), URI: []string{c.id},
		}})), nil
	case "jwt":
		return harness.WithBearer(c.jwt), nil
	}
	return nil, fmt.Errorf("unknown mode %q (want cert, xfcc or jwt)", mode)
}
