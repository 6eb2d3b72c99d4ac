package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

const bundlePushUsage = "usage: tollgate bundle push bundle.tar.gz --pub public.pem [--sig bundle.tar.gz.sig] [--allow-insecure-http] oci://host[:port]/repository:tag"

// pushTimeout bounds a whole push.
const pushTimeout = 5 * time.Minute

// bundlePush publishes a signed bundle to an OCI registry, after checking
// it as serve would (signature with the --pub keys, not expired), so a
// fleet is never pointed at a bundle it would refuse.
func bundlePush(args []string, stdout, stderr io.Writer) int {
	var pubs multiFlag
	var sigFile string
	var insecure bool
	if code, done := bundleFlags("push", args, 2, stdout, stderr, func(fs *flag.FlagSet) {
		fs.Var(&pubs, "pub", "trusted ed25519 public key (PEM; repeatable): the bundle must verify before it is published")
		fs.StringVar(&sigFile, "sig", "", "detached signature (default: the bundle path with .sig appended)")
		fs.BoolVar(&insecure, "allow-insecure-http", false, "speak plain http to the registry (tests only)")
	}); done {
		return code
	}
	path, loc := args[0], args[1]
	if sigFile == "" {
		sigFile = path + bundle.SignatureSuffix
	}
	digest, m, err := pushBundle(path, sigFile, loc, pubs, insecure)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate bundle push:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "pushed %s to %s: version %s, sequence %d, expires %s, manifest %s\n",
		path, loc, m.Version, m.Sequence, m.Expires.UTC().Format(time.RFC3339), digest)
	return exitOK
}

func pushBundle(path, sigFile, loc string, pubs []string, insecure bool) (string, *bundle.Manifest, error) {
	if _, err := oci.ParseReference(loc, insecure); err != nil {
		return "", nil, err
	}
	if len(pubs) == 0 {
		return "", nil, errors.New("--pub is required: a bundle is verified before it is published")
	}
	keys, err := bundle.LoadPublicKeys(pubs...)
	if err != nil {
		return "", nil, err
	}
	archive, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	sig, err := os.ReadFile(sigFile)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", bundle.ErrUnsigned, err)
	}
	_, m, err := bundle.VerifyAndOpen(archive, sig, keys, bundle.Limits{})
	if err != nil {
		return "", nil, err
	}
	if !time.Now().Before(m.Expires) {
		return "", nil, fmt.Errorf("%w: version %s (sequence %d) expired at %s: serve would refuse it; build and sign a new one",
			bundle.ErrExpired, m.Version, m.Sequence, m.Expires.UTC().Format(time.RFC3339))
	}
	ctx, cancel := context.WithTimeout(context.Background(), pushTimeout)
	defer cancel()
	digest, err := oci.Push(ctx, loc, archive, sig, oci.Options{AllowInsecureHTTP: insecure})
	return digest, m, err
}
