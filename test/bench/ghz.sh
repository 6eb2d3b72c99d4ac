#!/usr/bin/env bash
# Whole-server load benchmark: Tollgate (quickstart policies and manifest,
# test-CA X.509 bundle, decision log to a file) against test/noopauthz, a
# no-op ext_authz server, loaded back to back with ghz in the same run.
#
#   ./test/bench/ghz.sh                 # 3 rounds of noop, noop-tuned, tollgate; 10s each
#   ROUNDS=5 DURATION=10s ./test/bench/ghz.sh
#   SCENARIO=mcp ./test/bench/ghz.sh     # x509 (default), jwt, xfcc, health, mcp
#   POLICIES=DIR ./test/bench/ghz.sh     # another policy directory (test/bench/scale.sh)
#   SHADOW=1 ./test/bench/ghz.sh         # tollgate vs tollgate with policy.shadow
#   UI=1 ./test/bench/ghz.sh             # noop, tollgate and tollgate with admin.ui: true
#   RUNTIME='{ memory_limit_auto: false }' ./test/bench/ghz.sh   # tollgate's runtime: section
#
# For each run it reports the server's CPU seconds per request (utime+stime
# from /proc/PID/stat before and after the load, divided by ghz's count)
# and ghz's p50/p99; then the medians and the ratios. "noop" is the plain
# no-op server (default Go and gRPC settings); "noop-tuned" runs with the
# GC, worker-pool and codec settings tollgate serve uses, so the second ratio
# isolates the cost of the decision itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

GHZ=${GHZ:-$PWD/.tools/bin/ghz}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONCURRENCY=${CONCURRENCY:-50}
WARMUP=${WARMUP:-2000}
# SCENARIO picks the allowed request: x509 (default), jwt (cached JWT-SVID),
# xfcc (certificate in XFCC from a trusted hop), health (a plain route on the
# examples/mcp policies) or mcp (a 4 KiB tools/call on the same policies).
SCENARIO=${SCENARIO:-x509}
# SHADOW=1 alternates tollgate and tollgate-shadow (the same policies also
# loaded as policy.shadow, so every Check is evaluated twice and the sets
# agree: the full cost, with no disagreement lines) and reports their ratio.
if [[ -n "${SHADOW:-}" ]]; then SERVERS=${SERVERS:-tollgate tollgate-shadow}; fi
# UI=1 adds tollgate-ui (admin.ui: true: every decision also feeds the
# admin page's ring) and reports its ratio to tollgate.
if [[ -n "${UI:-}" ]]; then SERVERS=${SERVERS:-noop tollgate tollgate-ui}; fi
SERVERS=${SERVERS:-noop noop-tuned tollgate}
command -v "$GHZ" >/dev/null || { echo "ghz not found at $GHZ (run test/tools/install.sh)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-bench.XXXXXX")
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
case $SCENARIO in
  x509|jwt|xfcc) example=examples/quickstart ;;
  health|mcp) example=examples/mcp ;;
  *) echo "unknown SCENARIO $SCENARIO (x509, jwt, xfcc, health, mcp)" >&2; exit 2 ;;
esac
cp -r "${POLICIES:-$example/policies}" "$work/policies"
cp -r "${POLICIES:-$example/policies}" "$work/shadow-policies"
cp "$example/manifest.yaml" "$work/manifest.yaml"

base=$((20000 + RANDOM % 30000))
grpc_addr=127.0.0.1:$base admin_addr=127.0.0.1:$((base + 1)) noop_addr=127.0.0.1:$((base + 2))
cat >"$work/tollgate.yaml" <<YAML
listen: { grpc: "$grpc_addr", admin: "$admin_addr" }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: bundle.pem, jwks: jwks.json }]
  jwt: { audiences: [tollgate] }
  xfcc: { trusted_proxies: [127.0.0.1/32] }
policy: { dir: policies, reload_interval: 1s }
manifests: [manifest.yaml]
signals:
  - { name: environment, from: context_extension, key: environment, type: string }
  - { name: tenant,      from: context_extension, key: tenant,      type: string }
  - { name: risk_score,  from: context_extension, key: risk_score,  type: long }
  - { name: task_type,   from: context_extension, key: task_type,   type: string } # examples/mcp's policies read it
log: { level: info, decisions: $work/decisions.log }
YAML
# RUNTIME='{ memory_limit_auto: false }' adds a runtime section to tollgate's config.
if [[ -n "${RUNTIME:-}" ]]; then echo "runtime: $RUNTIME" >>"$work/tollgate.yaml"; fi

sed 's#^policy: { dir: policies, reload_interval: 1s }#policy: { dir: policies, reload_interval: 1s, shadow: { dir: shadow-policies } }#' \
  "$work/tollgate.yaml" >"$work/tollgate-shadow.yaml"
grep -q shadow-policies "$work/tollgate-shadow.yaml" || { echo "could not write tollgate-shadow.yaml" >&2; exit 1; }

{ cat "$work/tollgate.yaml"; echo "admin: { ui: true }"; } >"$work/tollgate-ui.yaml"

# shellcheck source=test/bench/lib.sh
source test/bench/lib.sh # the scripts run from the repository root

ghz_run() { # addr, extra args...
  local addr=$1; shift
  "$GHZ" --insecure --protoset "$work/auth.protoset" --call envoy.service.auth.v3.Authorization.Check \
    -D "$work/request-$SCENARIO.json" -c "$CONCURRENCY" "$@" "$addr"
}

start_server() { # name; sets server_pid and addr
  case $1 in
    noop) "$work/noopauthz" -listen "$noop_addr" >"$work/noop.log" 2>&1 & server_pid=$! addr=$noop_addr
      wait_port "$addr" ;;
    noop-tuned) "$work/noopauthz" -tuned -listen "$noop_addr" >"$work/noop.log" 2>&1 & server_pid=$! addr=$noop_addr
      wait_port "$addr" ;;
    tollgate|tollgate-shadow|tollgate-ui) started=$(date +%s.%N)
      (cd "$work" && exec ./tollgate serve --config "$1.yaml" >"$work/tollgate.log" 2>&1) &
      server_pid=$! addr=$grpc_addr
      wait_port "$addr"
      for _ in $(seq 1 2400); do
        curl -fs "http://$admin_addr/readyz" >/dev/null &&
          awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }' >>"$work/ready.txt" && return 0
        sleep 0.05
      done
      echo "tollgate not ready:" >&2; cat "$work/tollgate.log" >&2; exit 1 ;;
  esac
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }

# check_allowed: Tollgate allowed every request except calls that ghz
# cancelled when a run ended (identity_internal: context cancelled), at
# most one per worker per ghz run.
check_allowed() {
  local m; m=$(curl -fs "http://$admin_addr/metrics" | grep '^tollgate_decisions_total{')
  if ! awk -v max=$((2 * CONCURRENCY)) '!/decision="allow"/ { if (!/code="identity_internal"/) bad = 1; n += $NF }
      END { exit (bad || n > max) }' <<<"$m"; then
    echo "tollgate denied requests:" >&2; echo "$m" >&2; exit 1
  fi
}

run_one() { # name round
  local name=$1 addr before after
  start_server "$name"
  ghz_run "$addr" -n "$WARMUP" --format json >/dev/null
  before=$(cpu_ticks "$server_pid")
  ghz_run "$addr" -z "$DURATION" --format json >"$work/$name-$2.json"
  after=$(cpu_ticks "$server_pid")
  if [[ $name == tollgate* ]]; then
    check_allowed
    awk '/^VmHWM/ { print $2 / 1024 }' "/proc/$server_pid/status" >>"$work/vmhwm-$name.txt"
  fi
  stop_server
  # Only calls cut off when the duration ends may fail (at most one per
  # worker); CPU per request divides by the OK answers.
  jq -r --arg name "$name" --argjson ticks $((after - before)) --argjson hz "$(getconf CLK_TCK)" --argjson c "$CONCURRENCY" '
    (.statusCodeDistribution // {}) as $codes
    | ($codes.OK // 0) as $ok
    | ($codes | del(.OK, .Unavailable, .Canceled, .DeadlineExceeded) | length) as $bad
    | if $bad > 0 or (.count - $ok) > $c then error("\($name): unexpected answers: \($codes)") else . end
    | (.latencyDistribution | map({(.percentage|tostring): .latency}) | add) as $p
    | [$name, $ok, ($ticks / $hz / $ok * 1e6), ($p["50"] / 1e6), ($p["99"] / 1e6), .rps]
    | @tsv' "$work/$name-$2.json" >>"$work/results.tsv"
}

echo "== scenario $SCENARIO: ghz -c $CONCURRENCY -z $DURATION, $ROUNDS rounds ($SERVERS alternating)"
for round in $(seq 1 "$ROUNDS"); do
  for s in $SERVERS; do run_one "$s" "$round"; done
done

echo
printf '%-15s %9s %16s %9s %9s %9s\n' server requests cpu_us_per_req p50_ms p99_ms rps
awk -F'\t' '{ printf "%-15s %9d %16.2f %9.2f %9.2f %9.0f\n", $1, $2, $3, $4, $5, $6 }' "$work/results.tsv"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v s="$1" -v c="$2" '$1 == s { print $c }' "$work/results.tsv" | median; }
echo
echo "medians over $ROUNDS rounds:"
for s in $SERVERS; do
  printf '%-15s cpu_us_per_req=%.2f p50_ms=%.2f p99_ms=%.2f rps=%.0f\n' "$s" "$(col "$s" 3)" "$(col "$s" 4)" "$(col "$s" 5)" "$(col "$s" 6)"
done
ratio() { # a b
  if [[ " $SERVERS " == *" $1 "* && " $SERVERS " == *" $2 "* ]]; then
    printf 'ratio %s/%s (CPU per request): %.2f\n' "$1" "$2" "$(awk -v t="$(col "$1" 3)" -v n="$(col "$2" 3)" 'BEGIN { print t / n }')"
  fi
}
ratio tollgate noop
ratio tollgate noop-tuned
ratio tollgate-shadow tollgate
ratio tollgate-ui tollgate
ratio tollgate-ui noop
printf 'tollgate peak RSS (VmHWM, max over rounds): %.0f MiB\n' "$(sort -g "$work/vmhwm-tollgate.txt" | tail -1)"
printf 'tollgate start to ready (median, incl. policy load): %.2f s\n' "$(median <"$work/ready.txt")"
echo "decision log lines (last run): $(wc -l <"$work/decisions.log")"
