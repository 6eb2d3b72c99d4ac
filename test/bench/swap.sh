#!/usr/bin/env bash
# Policy swap under load: a signed bundle of 10,000 policies replaces
# another while ghz sends Checks; reports failed Checks, swap time, p99 in
# steady state vs during the swap, and peak RSS. About 30s. Loopback only.
#   test/bench/swap.sh [N_POLICIES]
#   CHECKS=80000 test/bench/swap.sh 100000   # more Checks, so the load outlasts a long swap
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10000}
CHECKS=${CHECKS:-10000}
GHZ=${GHZ:-.tools/bin/ghz}
W=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT

go build -o "$W/tollgate" ./cmd/tollgate
gen() { # gen DIR VERSION: N policies over the governance schema
  mkdir -p "$1"; cp examples/governance/policies/{schema.cedarschema,entities.json} "$1/"
  echo "$2" > "$1/VERSION"
  cp examples/governance/policies/orders.cedar "$1/"
  awk -v n="$N" -v v="$2" 'BEGIN { for (i = 0; i < n; i++)
    printf "@id(\"%s-p%d\")\npermit (principal == Workload::\"spiffe://example.org/ns/n%d/sa/s\", action == Action::\"ReadOrder\", resource == Order::\"%d\");\n", v, i, i, i }' > "$1/many.cedar"
}
gen "$W/v1" v1; gen "$W/v2" v2
"$W/tollgate" bundle keygen --out "$W/keys" >/dev/null
mkdir -p "$W/www"
publish() { "$W/tollgate" bundle build "$W/$1" -o "$W/www/next.tar.gz" >/dev/null
  "$W/tollgate" bundle sign "$W/www/next.tar.gz" --key "$W/keys/bundle-signing.key" >/dev/null
  mv "$W/www/next.tar.gz.sig" "$W/www/bundle.tar.gz.sig.new"; mv "$W/www/next.tar.gz" "$W/www/bundle.tar.gz"
  mv "$W/www/bundle.tar.gz.sig.new" "$W/www/bundle.tar.gz.sig"; }
publish v1
python3 -m http.server 18080 --bind 127.0.0.1 --directory "$W/www" >/dev/null 2>&1 & PIDS+=($!)
until curl -sf -o /dev/null http://127.0.0.1:18080/bundle.tar.gz; do sleep 0.1; done
cat > "$W/tollgate.yaml" <<YAML
listen: { grpc: 127.0.0.1:19391, admin: 127.0.0.1:19392, reflection: true }
identity:
  trust_domains: [example.org]
  bundles: [{ trust_domain: example.org, x509_pem: $PWD/examples/quickstart/bundle.pem }]
  trust_source_principal: true
policy:
  bundle: { url: http://127.0.0.1:18080/bundle.tar.gz, allow_insecure_http: true, public_keys: [$W/keys/bundle-signing.pub],
            interval: 200ms, cache_dir: $W/cache, max_staleness: 1h, on_stale: deny }
manifests: [$PWD/examples/governance/manifest.yaml]
signals: [{ name: environment, from: context_extension, key: environment, type: string }] # orders.cedar reads it
log: { level: warn, decisions: "off" }
YAML
"$W/tollgate" serve --config "$W/tollgate.yaml" 2>"$W/serve.err" & TG=$!; PIDS+=($TG)
until curl -sf -o /dev/null http://127.0.0.1:19392/readyz; do
  kill -0 "$TG" 2>/dev/null || { echo "tollgate serve exited:" >&2; tail -3 "$W/serve.err" >&2; exit 1; }
  sleep 0.1
done
REQ='{"attributes":{"source":{"principal":"spiffe://example.org/ns/shop/sa/frontend","address":{"socketAddress":{"address":"10.0.0.7","portValue":4000}}},"request":{"http":{"method":"GET","path":"/orders/42","host":"orders","scheme":"https","headers":{":path":"/orders/42"}}}}}'
load() { "$GHZ" --insecure --call envoy.service.auth.v3.Authorization.Check -d "$REQ" -c 8 -n "$1" -O json 127.0.0.1:19391 > "$2"; }
denied() { curl -s http://127.0.0.1:19392/metrics | awk '/^tollgate_decisions_total/ && !/decision="allow"/ { s += $NF } END { print s + 0 }'; }
version() { curl -s http://127.0.0.1:19392/metrics | sed -n 's/^tollgate_policy_info{.*version="\([^"]*\)"} 1$/\1/p'; }

load 5000 "$W/steady.json"
D0=$(denied)
load "$CHECKS" "$W/swap.json" & LOAD=$!
sleep 3
T0=$(date +%s.%N); publish v2
until [ "$(version)" = v2 ]; do sleep 0.01; done
T1=$(date +%s.%N)
kill -0 $LOAD 2>/dev/null || echo "warning: the load ended before the swap did; raise CHECKS" >&2
wait $LOAD
D1=$(denied)
python3 - "$W/steady.json" "$W/swap.json" "$T0" "$T1" "$((D1 - D0))" "$(grep VmHWM /proc/$TG/status | awk '{print $2}')" "$N" <<'PY'
import json, sys
def stats(f):
    r = json.load(open(f)); p = {d["percentage"]: d["latency"] / 1e6 for d in r["latencyDistribution"] or []}
    errs = sum(v for k, v in (r.get("statusCodeDistribution") or {}).items() if k != "OK")
    return r["count"], r["rps"], p.get(50), p.get(99), errs
s, w = stats(sys.argv[1]), stats(sys.argv[2])
print(f"policies per bundle:           {sys.argv[7]} (+3)")
print(f"steady: {s[0]} checks, {s[1]:.0f} rps, p50 {s[2]:.2f} ms, p99 {s[3]:.2f} ms, gRPC errors {s[4]}")
print(f"swap:   {w[0]} checks, {w[1]:.0f} rps, p50 {w[2]:.2f} ms, p99 {w[3]:.2f} ms, gRPC errors {w[4]}")
print("status codes:", json.load(open(sys.argv[1]))["statusCodeDistribution"], json.load(open(sys.argv[2]))["statusCodeDistribution"])
print(f"failed checks during swap run: {w[4]} gRPC errors + {sys.argv[5]} non-allow decisions")
print(f"swap time (publish -> new version in force, incl. <=200ms poll): {float(sys.argv[4]) - float(sys.argv[3]):.2f} s")
print(f"peak RSS (VmHWM): {int(sys.argv[6]) / 1024:.0f} MiB")
PY
