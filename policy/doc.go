// Package policy loads IAM's Cedar policies and evaluates requests against
// them, failing closed.
//
// A policy source is a directory (or fs.FS) of *.cedar files, each policy
// carrying a unique @id annotation, plus optional entities.json (Cedar JSON
// entities), schema.cedarschema or schema.cedarschema.json, and VERSION.
// Load turns it into an immutable Snapshot: policies by @id, entity data
// with every entity's ancestors precomputed, the resolved schema (policies
// and entities are validated against it, strictly by default), and a
// content-hash version. Load reports every problem at once, each pointing at
// file:line:column and naming the policy @id.
//
// Snapshot.Evaluate runs cedar.Authorize over only the policies whose action
// scope can match the request, with the request's own entities laid over
// IAM's data. A forbid that errors denies (ReasonForbidError); a permit that
// errors never allows.
//
// A .cedar file with no policy (empty, or only comments) is a load error,
// and so is a version with no policies at all unless Options.AllowEmpty.
//
// Governed exceptions are policies annotated @exception("TICKET"),
// @approved_by("name") and @expires("RFC3339"). They stop applying at the
// exact instant they expire, without a reload. An expired exception never
// fails a load: it is kept, inactive, and reported (ExpiredExceptions). A
// malformed exception, or one approved for longer than
// Options.MaxExceptionWindow, is refused: its file is left out and the
// rest loads (Refused), unless that file also holds a forbid, which is
// never dropped: then the whole load fails.
//
// A Store publishes the snapshot in force with an atomic swap; a Watcher
// reloads it when the directory changes and keeps the last good snapshot
// when a reload fails. A new version is swapped in only after two reads a
// settle interval apart gave the same content hash, so a directory caught
// half-written is never used. A Kubernetes ConfigMap volume is read
// through its "..data" symlink, one whole version at a time.
package policy
