#!/usr/bin/env bash
# scripts/bench_gate.sh [WEIGHTS [BASELINE]]: what the CI gate costs, as a table like bench.sh's.
#
#   1. t10k end to end, whole processes: mnist-eval with one network (WEIGHTS, default the
#      shipped file) against the same run with --baseline-weights BASELINE (a second network in
#      the same pass; default WEIGHTS again, which costs the same as any 784-100-10 network)
#      and with --baseline CSV (an earlier run's --predictions). BENCH_GATE_ROUNDS rounds
#      (default 10) of 3 runs of each command, back to back, so all three medians come from
#      the same minutes (the machine's speed drifts; it is shared).
#   2. with BENCH_GATE_MILLION=DIR (make_million.py's output; or bench.sh's .build-bench/gzip9/1m
#      under BENCH_DIR when it exists): peak RSS of one network, --baseline CSV and --baseline-weights on the
#      1,000,000 images, one run each, to show the comparison keeps memory flat.
#
# Goals (issue 15): --baseline-weights at most 1.3x one network; a CSV baseline at most a few
# milliseconds more. Misses are reported, not fatal. BENCH_LOCK as in bench.sh.
set -euo pipefail

SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.."
WEIGHTS=${1:-Data/mnist-784-100-10.safetensors}
BASELINE=${2:-$WEIGHTS}
ROUNDS=${BENCH_GATE_ROUNDS:-10}
BIN=${BENCH_BIN:-.build/release}
OUT=${BENCH_DIR:-.build-bench}/gate
IMAGES=Data/t10k-images-idx3-ubyte.gz
MILLION=${BENCH_GATE_MILLION:-}
SETS=${BENCH_DIR:-.build-bench}/gzip9/1m
[[ -z $MILLION && -f $SETS/million-images-idx3-ubyte.gz ]] && MILLION=$SETS
if [[ -z ${BENCH_LOCK+set} && -d /work ]]; then BENCH_LOCK=/work/cpu.lock; fi
LOCK=${BENCH_LOCK:-}

command -v hyperfine >/dev/null || { echo "bench_gate.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 69; }
[[ -x $BIN/mnist-eval ]] || { echo "bench_gate.sh: no $BIN/mnist-eval (swift build -c release)" >&2; exit 66; }
if [[ -n $LOCK && -z ${BENCH_LOCK_HELD:-} ]]; then
    echo "== waiting for $LOCK ($(date -u +%H:%M:%S))"
    BENCH_LOCK_HELD=1 exec flock "$LOCK" "$SELF" "$@"
fi
mkdir -p "$OUT"
# calc, median, verdict, row and print_results.
source scripts/bench_table.sh
signed() { python3 -c "print(f'{$1:+.1f}')"; }

echo "== bench_gate $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc); load average$(uptime | sed 's/.*load average//')"
echo "== weights $WEIGHTS, baseline $BASELINE"

EVAL="$BIN/mnist-eval $IMAGES --weights $WEIGHTS --quiet"
"$BIN/mnist-eval" "$IMAGES" --weights "$BASELINE" --quiet --predictions "$OUT/baseline.csv" > /dev/null
: > "$OUT/one.txt"; : > "$OUT/weights.txt"; : > "$OUT/csv.txt"
echo "== 1. t10k end to end, $ROUNDS rounds of 3 runs of each"
for _ in $(seq "$ROUNDS"); do
    hyperfine -N --warmup 1 --runs 3 --export-json "$OUT/round.json" \
        "$EVAL" "$EVAL --baseline-weights $BASELINE" "$EVAL --baseline $OUT/baseline.csv" > /dev/null
    python3 - "$OUT/round.json" "$OUT/one.txt" "$OUT/weights.txt" "$OUT/csv.txt" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
for result, path in zip(results, sys.argv[2:]):
    with open(path, "a") as out:
        out.write("".join(f"{t * 1000:.2f}\n" for t in result["times"]))
PY
done
ONE=$(calc "$(median $(cat "$OUT/one.txt"))" 1)
TWO=$(calc "$(median $(cat "$OUT/weights.txt"))" 1)
CSV=$(calc "$(median $(cat "$OUT/csv.txt"))" 1)
echo "one network (ms): $(paste -sd' ' "$OUT/one.txt")"
echo "--baseline-weights (ms): $(paste -sd' ' "$OUT/weights.txt")"
echo "--baseline CSV (ms): $(paste -sd' ' "$OUT/csv.txt")"

row "gate: --baseline-weights, t10k end to end (ms)" "$TWO" "one network $ONE" "$(calc "$TWO/$ONE")x" "<= 1.3x" "$(verdict "$TWO/$ONE <= 1.3")"
row "gate: --baseline CSV, t10k end to end (ms)" "$CSV" "one network $ONE" "$(signed "$CSV-$ONE") ms" "<= +5 ms" "$(verdict "$CSV-$ONE <= 5")"

if [[ -n $MILLION ]]; then
    echo "== 2. peak RSS on $MILLION (1,000,000 images), one run each"
    M=$MILLION/million-images-idx3-ubyte.gz
    [[ -f $OUT/million.csv ]] || "$BIN/mnist-eval" "$M" --weights "$BASELINE" --quiet --predictions "$OUT/million.csv" > /dev/null
    rss() { /usr/bin/time -f '%M' -o "$OUT/time.txt" "$@" > /dev/null; tail -1 "$OUT/time.txt"; }
    R_ONE=$(rss "$BIN/mnist-eval" "$M" --weights "$WEIGHTS" --quiet)
    R_CSV=$(rss "$BIN/mnist-eval" "$M" --weights "$WEIGHTS" --quiet --baseline "$OUT/million.csv")
    R_TWO=$(rss "$BIN/mnist-eval" "$M" --weights "$WEIGHTS" --quiet --baseline-weights "$BASELINE")
    echo "peak RSS (KiB): one network $R_ONE, --baseline CSV $R_CSV, --baseline-weights $R_TWO"
    row "gate: 1M peak RSS, --baseline CSV (MiB)" "$(calc "$R_CSV/1024" 1)" "one network $(calc "$R_ONE/1024" 1)" "$(calc "$R_CSV/$R_ONE")x" "flat (<= 1.05x)" "$(verdict "$R_CSV/$R_ONE <= 1.05")"
    row "gate: 1M peak RSS, --baseline-weights (MiB)" "$(calc "$R_TWO/1024" 1)" "one network $(calc "$R_ONE/1024" 1)" "$(calc "$R_TWO/$R_ONE")x" "(info)" "-"
fi

print_results
