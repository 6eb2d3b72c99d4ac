#!/bin/sh
# Lists the files and packages one allowed Check runs through (the trace in
# docs/architecture.md): the storefront's GET /orders/42 with the
# quickstart config, over gRPC, into a coverage-instrumented Tollgate whose
# counters are cleared just before the Check and written just after it.
#   ./test/bench/trace.sh          # prints the files, then the counts
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir "$out/cov"
go build -cover -covermode=atomic -coverpkg=./... -o "$out/checktrace" ./test/bench/checktrace
(cd examples/quickstart && GOCOVERDIR="$out/cov" "$out/checktrace" tollgate.yaml "$out/cov")
go tool covdata textfmt -i="$out/cov" -o "$out/profile.txt"
awk 'NR > 1 && $NF > 0 { split($1, a, ":"); print a[1] }' "$out/profile.txt" |
  sed 's|^github.com/tollgate-authz/tollgate/||' | grep -v '^test/bench/checktrace/' | sort -u > "$out/files.txt"
cat "$out/files.txt"
echo "files: $(wc -l < "$out/files.txt")"
echo "packages: $(sed 's|/[^/]*$||' "$out/files.txt" | sort -u | tr '\n' ' ')"
