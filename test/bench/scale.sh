#!/usr/bin/env bash
# Enterprise-scale policy benchmark (issue 9). For each shape and size it
# writes a policy directory with test/bench/scalegen (the quickstart plus
# generated policies and entities), then:
#   - runs test/bench/ghz.sh on it (POLICIES=DIR): server CPU per Check as a
#     ratio to the no-op server in the same run, p50/p99, peak RSS (VmHWM),
#     start-to-ready time;
#   - runs the policy package's BenchmarkScale on it: Snapshot.Evaluate and
#     cedar-go's plain Authorize over the same set, per call, plus Load time
#     and live heap after load.
#
#   ./test/bench/scale.sh                                  # 1k policies, 10k entities, all shapes (a few minutes)
#   SIZES="10000:10000" ./test/bench/scale.sh              # the 10k sets
#   SIZES="100000:100000" SHAPES=mixed ./test/bench/scale.sh   # opt-in: big
#   SHAPES="eq team" ROUNDS=3 DURATION=10s ./test/bench/scale.sh
#
# SIZES is a list of POLICIES:ENTITIES; SHAPES of eq, team, folder, when,
# mixed (see test/bench/scalegen). ROUNDS and DURATION go to ghz.sh.
# PER_FILE is how many generated policies go in one .cedar file (default
# 1000; 0 puts them all in one file, which raises peak RSS: see
# docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

SIZES=${SIZES:-1000:10000}
SHAPES=${SHAPES:-eq team folder when mixed}
export ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-5s} WARMUP=${WARMUP:-1000}
BENCHTIME=${BENCHTIME:-1s}

work=$(mktemp -d "${TMPDIR:-/tmp}/tollgate-scale.XXXXXX")
trap '[[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
go build -o "$work/scalegen" ./test/bench/scalegen

# field PREFIX FILE: the first number after "PREFIX...:" in FILE.
field() { awk -v p="$1" 'index($0, p) == 1 { sub(/^[^:]*: */, ""); print $1 + 0; exit }' "$2"; }
gobench() { # file sub column-unit
  awk -v s="BenchmarkScale/$2-" -v u="$3" 'index($1, s) == 1 { for (i = 2; i < NF; i++) if ($(i + 1) == u) print $i }' "$1"
}

rows=()
for size in $SIZES; do
  n=${size%:*} m=${size#*:}
  for shape in $SHAPES; do
    dir="$work/$shape-$n-$m"
    "$work/scalegen" -shape "$shape" -policies "$n" -entities "$m" -per-file "${PER_FILE:-1000}" -out "$dir"
    echo "== $shape: $n policies, $m entities"
    POLICIES="$dir" ./test/bench/ghz.sh | tee "$dir.ghz"
    TOLLGATE_SCALE_DIR="$dir" go test ./policy -run '^$' -bench '^BenchmarkScale$' -benchtime "$BENCHTIME" | tee "$dir.bench"
    ratio=$(field 'ratio tollgate/noop (CPU' "$dir.ghz")
    tuned=$(field 'ratio tollgate/noop-tuned' "$dir.ghz")
    p=$(sed -n 's/^tollgate .*p50_ms=\([0-9.]*\) p99_ms=\([0-9.]*\).*/\1 \2/p' "$dir.ghz")
    rows+=("$(printf '| %s | %s | %s | %s× | %s× | %s / %s | %s | %s | %s | %s | %s |' "$shape" "$n" "$m" \
      "$ratio" "$tuned" "${p% *}" "${p#* }" "$(field 'tollgate peak RSS' "$dir.ghz")" \
      "$(field 'tollgate start to ready' "$dir.ghz")" "$(gobench "$dir.bench" tollgate load-ms)" \
      "$(gobench "$dir.bench" tollgate ns/op)" "$(gobench "$dir.bench" cedar-authorize ns/op)")")
  done
done

echo
echo "| shape | policies | entities | CPU/Check vs noop | vs noop-tuned | p50 / p99 ms | VmHWM MiB | start→ready s | Load ms | Evaluate ns | cedar.Authorize ns |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
