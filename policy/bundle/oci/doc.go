// Package oci stores signed policy bundles in an OCI registry and fetches
// them from one, as a bundle.Source.
//
// # Layout
//
// One bundle is one OCI image manifest (application/vnd.oci.image.manifest.v1+json)
// with artifactType application/vnd.tollgate.bundle.v1, the empty config
// (application/vnd.oci.empty.v1+json) and exactly two layers:
//
//	application/vnd.tollgate.bundle.v1.tar+gzip   the bundle archive (bundle.tar.gz)
//	application/vnd.tollgate.bundle.v1.signature  its detached signature (bundle.tar.gz.sig)
//
// The manifest names both blobs by SHA-256 digest, so the archive and its
// signature always come as a pair: a tag moves from one pair to the next in
// a single manifest write. The same artifact can be pushed with
// `oras push --artifact-type application/vnd.tollgate.bundle.v1 REF
// bundle.tar.gz:application/vnd.tollgate.bundle.v1.tar+gzip
// bundle.tar.gz.sig:application/vnd.tollgate.bundle.v1.signature`.
//
// # Trust
//
// The registry is a transport, not a trust anchor. Source computes the
// manifest's digest and each blob's digest itself, refuses a manifest that
// is not exactly the layout above, and hands the pair to bundle.Fetcher,
// which verifies the signature against the configured keys and applies the
// same sequence, expiry and last-known-good rules as for HTTP. A registry
// (or anyone on the path) can withhold a new bundle until the one in use
// expires, but cannot forge, alter or roll one back.
//
// Plain HTTP is refused, also for loopback and private addresses (where
// go-containerregistry would otherwise fall back to it), unless
// Options.AllowInsecureHTTP is set. Every response body is bounded.
package oci
