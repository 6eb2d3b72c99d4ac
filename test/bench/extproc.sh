#!/usr/bin/env bash
# Whole-server ext_proc benchmark: Tollgate's external processor filtering a
# 50-tool tools/list (examples/mcp policies and manifest, the research
# agent's JWT-SVID, decision log to a file) against test/noopauthz -extproc,
# a no-op processor on the same gRPC stack, loaded back to back with ghz.
# Each ghz "request" is one HTTP request's whole bidirectional stream:
# request headers, request body, response headers, a 12 KiB JSON body.
#
#   ./test/bench/extproc.sh                  # 3 rounds of noop, tollgate; 10s each
#   ROUNDS=5 DURATION=10s ./test/bench/extproc.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

GHZ=${GHZ:-$PWD/.tools/bin/ghz}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-20}
WARMUP=${WARMUP:-500}
command -v "$GHZ" >/dev/null || { echo "ghz not found at $GHZ (run test/tools/install.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-extproc-bench.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  [[ -n "${KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

echo "== building into $work"
go build -tags vtprotobuf -o "$work/tollgate" ./cmd/tollgate
go build -tags vtprotobuf -o "$work/noopauthz" ./test/noopauthz
go build -o "$work/benchfix" ./test/bench/benchfix
"$work/benchfix" -dir "$work"
cp -r examples/mcp/policies "$work/policies"
cp examples/mcp/manifest.yaml "$work/manifest.yaml"

base=$((20000 + RANDOM % 30000))
grpc_addr=127.0.0.1:$base admin_addr=127.0.0.1:$((base + 1)) noop_addr=127.0.0.1:$((base + 2))
cat >"$work/tollgate.yaml" <<YAML
listen: { grpc: "$grpc_addr", admin: "$admin_addr" }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem, jwks: jwks.json }]
  jwt: { audiences: [tollgate] }
policy: { dir: policies }
manifests: [manifest.yaml]
signals:
  - { name: risk_score, from: context_extension, key: risk_score, type: long }
  - { name: task_type,  from: context_extension, key: task_type,  type: string }
ext_proc: { enabled: true }
log: { level: info, decisions: $work/decisions.log }
YAML

# shellcheck source=test/bench/lib.sh
source test/bench/lib.sh # the scripts run from the repository root

ghz_run() { # addr, extra args...
  local addr=$1; shift
  "$GHZ" --insecure --protoset "$work/extproc.protoset" --call envoy.service.ext_proc.v3.ExternalProcessor.Process \
    -D "$work/extproc-list50.json" -c "$CONCURRENCY" "$@" "$addr"
}

start_server() { # name; sets server_pid and addr
  case $1 in
    noop) "$work/noopauthz" -extproc -tuned -listen "$noop_addr" >"$work/noop.log" 2>&1 & server_pid=$! addr=$noop_addr
      wait_port "$addr" ;;
    tollgate) (cd "$work" && exec ./tollgate serve --config tollgate.yaml >"$work/tollgate.log" 2>&1) &
      server_pid=$! addr=$grpc_addr
      wait_port "$addr"
      for _ in $(seq 1 2400); do curl -fs "http://$admin_addr/readyz" >/dev/null && return 0; sleep 0.05; done
      echo "tollgate not ready:" >&2; cat "$work/tollgate.log" >&2; exit 1 ;;
  esac
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

run_one() { # name round
  local name=$1 before after
  start_server "$name"
  ghz_run "$addr" -n "$WARMUP" --format json >/dev/null
  before=$(cpu_ticks "$server_pid")
  ghz_run "$addr" -z "$DURATION" --format json >"$work/$name-$2.json"
  after=$(cpu_ticks "$server_pid")
  if [[ $name == tollgate ]]; then
    # Every list was filtered for a verified caller, none replaced.
    m=$(curl -fs "http://$admin_addr/metrics")
    grep -q '^tollgate_extproc_tool_lists_total{result="filtered"}' <<<"$m" || { echo "no list filtered" >&2; exit 1; }
    if grep -q '^tollgate_extproc_replaced_total' <<<"$m"; then echo "lists replaced:" >&2; grep extproc <<<"$m" >&2; exit 1; fi
  fi
  stop_server
  jq -r --arg name "$name" --argjson ticks $((after - before)) --argjson hz "$(getconf CLK_TCK)" '
    ((.statusCodeDistribution // {}).OK // 0) as $ok
    | (.latencyDistribution | map({(.percentage|tostring): .latency}) | add) as $p
    | [$name, $ok, ($ticks / $hz / $ok * 1e6), ($p["50"] / 1e6), ($p["99"] / 1e6), .rps]
    | @tsv' "$work/$name-$2.json" >>"$work/results.tsv"
}

echo "== ext_proc tools/list of 50: ghz -c $CONCURRENCY -z $DURATION, $ROUNDS rounds (noop, tollgate alternating)"
for round in $(seq 1 "$ROUNDS"); do
  for s in noop tollgate; do run_one "$s" "$round"; done
done

printf '%-10s %9s %16s %9s %9s %9s\n' server streams cpu_us_per_req p50_ms p99_ms rps
awk -F'\t' '{ printf "%-10s %9d %16.2f %9.2f %9.2f %9.0f\n", $1, $2, $3, $4, $5, $6 }' "$work/results.tsv"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v s="$1" -v c="$2" '$1 == s { print $c }' "$work/results.tsv" | median; }
echo "medians over $ROUNDS rounds:"
for s in noop tollgate; do
  printf '%-10s cpu_us_per_stream=%.2f p50_ms=%.2f p99_ms=%.2f rps=%.0f\n' "$s" "$(col "$s" 3)" "$(col "$s" 4)" "$(col "$s" 5)" "$(col "$s" 6)"
done
printf 'ratio tollgate/noop (CPU per stream): %.2f\n' "$(awk -v t="$(col tollgate 3)" -v n="$(col noop 3)" 'BEGIN { print t / n }')"
