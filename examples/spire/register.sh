#!/usr/bin/env bash
# Registers the two workloads of the SPIRE example with a running SPIRE server:
#
#   spiffe://example.org/tollgate             the tollgate binary (its own SVID and the bundles)
#   spiffe://example.org/ns/shop/sa/frontend  the test workload (test/spire/workload)
#
# Both are selected by the absolute path of their executable (unix:path), so
# build them where the entries point. The end-to-end tests in test/spire run
# this script with their own paths.
#
#   TOLLGATE_SPIRE_ROOT  state directory (default /tmp/tollgate-spire)
#   TOLLGATE_BIN         tollgate binary (default $TOLLGATE_SPIRE_ROOT/bin/tollgate)
#   WORKLOAD_BIN         workload binary (default $TOLLGATE_SPIRE_ROOT/bin/workload)
#   SPIRE_SERVER         spire-server binary (default: spire-server on PATH)
set -euo pipefail

ROOT="${TOLLGATE_SPIRE_ROOT:-/tmp/tollgate-spire}"
TOLLGATE_BIN="${TOLLGATE_BIN:-$ROOT/bin/tollgate}"
WORKLOAD_BIN="${WORKLOAD_BIN:-$ROOT/bin/workload}"
SPIRE_SERVER="${SPIRE_SERVER:-spire-server}"
SOCK="$ROOT/server/api.sock"
AGENT_ID=spiffe://example.org/agent

register() { # spiffe-id binary
  if "$SPIRE_SERVER" entry show -socketPath "$SOCK" -spiffeID "$1" | grep -q '^Entry ID'; then
    echo "already registered: $1"
    return
  fi
  "$SPIRE_SERVER" entry create -socketPath "$SOCK" \
    -parentID "$AGENT_ID" -spiffeID "$1" -selector "unix:path:$2"
}

register spiffe://example.org/tollgate "$TOLLGATE_BIN"
register spiffe://example.org/ns/shop/sa/frontend "$WORKLOAD_BIN"
