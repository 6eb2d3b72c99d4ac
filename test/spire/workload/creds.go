package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spiffe/go-spiffe/v2/bundle/x509bundle"
	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
)

// creds are the workload's SVIDs: PEM leaf and chain, and a JWT-SVID.
// From the Workload API (not -replay) they also hold the X.509-SVID with
// its key and the trust bundles, for -mtls.
type creds struct {
	id       string
	leaf     *x509.Certificate
	leafPEM  []byte
	chainPEM []byte
	jwt      string
	svid     *x509svid.SVID
	bundles  *x509bundle.Set
}

func loadCreds(ctx context.Context, o options) (*creds, error) {
	if o.replay != "" {
		return readCreds(o.replay)
	}
	if o.socket == "" {
		return nil, fmt.Errorf("no -socket and no SPIFFE_ENDPOINT_SOCKET")
	}
	client, err := workloadapi.New(ctx, workloadapi.WithAddr(o.socket))
	if err != nil {
		return nil, fmt.Errorf("workload API: %w", err)
	}
	defer client.Close()
	x509ctx, err := client.FetchX509Context(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetching X.509-SVID: %w", err)
	}
	svid := x509ctx.DefaultSVID()
	tok, err := client.FetchJWTSVID(ctx, jwtsvid.Params{Audience: o.audience})
	if err != nil {
		return nil, fmt.Errorf("fetching JWT-SVID: %w", err)
	}
	c := &creds{id: svid.ID.String(), leaf: svid.Certificates[0], jwt: tok.Marshal(),
		svid: svid, bundles: x509ctx.Bundles}
	for i, cert := range svid.Certificates {
		b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
		if i == 0 {
			c.leafPEM = b
		}
		c.chainPEM = append(c.chainPEM, b...)
	}
	return c, nil
}

func (c *creds) save(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "chain.pem"), c.chainPEM, 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "jwt"), []byte(c.jwt), 0o600)
}

func readCreds(dir string) (*creds, error) {
	chain, err := os.ReadFile(filepath.Join(dir, "chain.pem"))
	if err != nil {
		return nil, err
	}
	tok, err := os.ReadFile(filepath.Join(dir, "jwt"))
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(chain)
	if block == nil {
		return nil, fmt.Errorf("%s: no PEM certificate", dir)
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, err
	}
	if len(leaf.URIs) != 1 {
		return nil, fmt.Errorf("%s: leaf has %d URI SANs", dir, len(leaf.URIs))
	}
	c := &creds{id: leaf.URIs[0].String(), leaf: leaf, chainPEM: chain, jwt: string(tok)}
	c.leafPEM = pem.EncodeToMemory(block)
	return c, nil
}
