#!/usr/bin/env bash
# Runs every Tollgate test: unit, example-config, fuzz (briefly) and the
# end-to-end tests in test/ against the real binary, real SPIRE, real nginx,
# real Caddy and a real Prometheus on loopback. Installs what it needs first.
#
#   ./test/run.sh            everything
#   FUZZTIME=30s ./test/run.sh     (a duration, or Nx executions)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash test/tools/install.sh
export PATH="$PWD/.tools/bin:$PATH"
# End-to-end tests fail (rather than skip) when a real component is missing.
export TOLLGATE_E2E_REQUIRE=1

echo "== go vet"
go vet ./...

echo "== go test"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
go test -count=1 -timeout 40m ./... 2>&1 | tee "$log"
# The Helm chart's render test is its own module, so Helm stays out of go.mod.
(cd deploy/helm/charttest && go vet . && go test -count=1 .)
echo "== go test -race (libraries)"
go test -count=1 -race ./authz/... ./authzen/... ./identity/... ./policy/... ./envoy/... ./internal/... ./cmd/...
# Release builds use go-control-plane's generated vtprotobuf marshalling
# (envoy.Codec); test that path too.
go test -count=1 -tags vtprotobuf ./envoy/

echo "== fuzz (${FUZZTIME:=10000x} per target)"
# Every Fuzz* function in the module gets a short run on top of its seed corpus.
grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
  pkg="./$(dirname "${f#./}")"
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
    echo "-- $pkg $fn"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/tollgate-fuzz.log 2>&1 || { cat /tmp/tollgate-fuzz.log; exit 1; }
  done
done
echo "== all tests passed"
echo "packages: $(grep -c '^ok' "$log") passed, 0 failed"
