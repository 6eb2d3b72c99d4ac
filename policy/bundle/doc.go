// Package bundle builds, signs, verifies and fetches signed policy bundles.
//
// # Format
//
// A bundle is a gzip-compressed tar archive (bundle.tar.gz) holding the
// files of a policy directory (*.cedar at any depth; entities.json,
// schema.cedarschema, schema.cedarschema.json and VERSION at the root) plus a
// ".manifest.json" at the root:
//
//	{"version": "2024-06-01.1", "sequence": 1717236000,
//	 "created": "2024-06-01T10:00:00Z", "expires": "2024-06-04T10:00:00Z",
//	 "files": {"main.cedar": "sha256:<hex>", ...}}
//
// Every archive entry is a regular file; the manifest lists every other entry
// with its SHA-256 digest, and nothing else. Build produces byte-identical
// archives for identical input and BuildOptions (sorted entries, fixed mtime,
// mode, uid and gid).
//
// "sequence" (at least 1) orders a publisher's bundles and "expires" (after
// "created", at most MaxValidity later) bounds how long one may be used.
// Both are signed with the rest of the archive. A manifest without them
// (built by an older tollgate) is refused with ErrLegacy: rebuild and sign
// it again.
//
// # Signature
//
// The signature is detached: an ed25519 signature over the exact bytes of the
// .tar.gz, base64-encoded (standard encoding, one line) in a companion file
// named bundle.tar.gz.sig. Verify checks it against a set of trusted public
// keys BEFORE anything is decompressed; Open then extracts the archive into
// memory under Limits and checks it against the manifest. VerifyAndOpen does
// both in the right order.
//
// Keys are PEM files: PKCS#8 "PRIVATE KEY" for signing and PKIX "PUBLIC KEY"
// for verification (the formats of `openssl genpkey -algorithm ed25519`).
//
// # Fetching
//
// A Fetcher polls a Source: by default an https URL (plain http only with
// AllowInsecureHTTP, and never through a redirect) with If-None-Match, or
// an OCI registry tag (package oci). It verifies and validates each
// new bundle, hands it to the caller, and persists it as the last-known-good
// bundle, which it falls back to when the server is down at start. Any
// failure keeps the current version.
//
// Freshness: a bundle past its "expires" is never accepted, and one with a
// lower sequence than the highest accepted, or the same sequence and other
// content, is refused with ErrRollback (a replay). Stale reports when the
// bundle in use is past its "expires", whatever the server says (so 304s
// cannot keep a bundle fresh forever), or when the server has not been
// reached successfully (200 or 304) for longer than MaxStaleness; the time
// of that success is kept with the last-known-good, so a restart during an
// outage does not reset the window.
//
// The cache directory holds "highest" (the highest accepted sequence and
// its digest), bundle-<hex>.tar.gz, its .sig, and the file "current" naming
// <hex>. "highest" is written first and "current" last (each a temporary
// file and a rename), so a crash never leaves a mismatched pair in use and
// never lowers the recorded sequence. The cached bundle is verified again,
// with the configured keys, and checked against "highest" when it is
// loaded; a restart therefore refuses the same replays.
package bundle
