#!/usr/bin/env bash
# scripts/bench.sh [WEIGHTS]: every performance comparison of the project in one run,
# printed as a table: figure | this project | reference | ratio | goal | met?
#
#   1. forward only, 10,000 t10k images uint8 -> classes, in process:
#      mnist-bench vs numpy whole-batch float32 and onnxruntime (same run);
#   2. mnist-eval end to end on t10k as a process vs the textbook numpy script,
#      and vs this program's own read+inflate floor (mnist-bench, in process,
#      timed in rounds alternating with the end-to-end runs);
#      the fixed cost of a run (mnist-eval on a 1-image file) as information;
#   3. streaming: mnist-eval on 1,000,000 gzip -9 images (made by make_million.py),
#      images/s and peak RSS, and 100k vs 1M peak RSS; against zlib's own in-memory
#      inflate of the same file (scripts/zlib_inflate.c, in alternating rounds), and
#      the same file's read+inflate alone (mnist-bench, in process);
#   4. training: one mnist-train epoch (as it reports it, in process) vs sklearn
#      MLPClassifier's fit of one epoch, same data and batch size, in alternating
#      rounds; whole-process times as information;
#   5. the CI gate (scripts/bench_gate.sh): t10k end to end with --baseline-weights and
#      with a --baseline CSV against one network, in interleaved rounds; with the 1M set,
#      their peak RSS.
#
# Fails (exit 1) if numpy, onnxruntime and mnist-eval disagree on the number of
# correctly classified images. Missed performance goals are reported, not fatal.
#
# Environment: BENCH_RUNS (in-process runs, default 15), BENCH_E2E_RUNS (textbook
# script runs, default 10), BENCH_E2E_ROUNDS (rounds of 3 mnist-eval runs and 3
# read+inflate timings, default 7), BENCH_TRAIN_ROUNDS (rounds of one augmented, one
# plain and one sklearn epoch, default 5), BENCH_STREAM_RUNS (1M runs, default 5), BENCH_LOCK (flock file
# held for the whole run, serialising it with other timed jobs on the machine; default
# /work/cpu.lock when /work exists, "" for none), BENCH_DIR (scratch, default .build-bench).
set -euo pipefail

SELF=$(realpath "$0")
cd "$(dirname "$SELF")/.."
WEIGHTS=${1:-Data/mnist-784-100-10.safetensors}
RUNS=${BENCH_RUNS:-15}
E2E_RUNS=${BENCH_E2E_RUNS:-10}
E2E_ROUNDS=${BENCH_E2E_ROUNDS:-7}
STREAM_RUNS=${BENCH_STREAM_RUNS:-5}
TRAIN_ROUNDS=${BENCH_TRAIN_ROUNDS:-5}
SCRATCH=${BENCH_DIR:-.build-bench}
if [[ -z ${BENCH_LOCK+set} && -d /work ]]; then BENCH_LOCK=/work/cpu.lock; fi
LOCK=${BENCH_LOCK:-}
IMAGES=Data/t10k-images-idx3-ubyte.gz
BIN=.build/release
OUT=$SCRATCH/run
# make_million.py's sets, at its default level 9 (as the MNIST files); made once.
SETS=$SCRATCH/gzip9
# numpy/sklearn are benchmarked with OpenBLAS choosing its own kernel (see mnist_common.blas_info).
PY=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3)

[[ -f $WEIGHTS ]] || { echo "bench.sh: no weights at $WEIGHTS (pass a path, e.g. /work/random-784-100-10.safetensors)" >&2; exit 66; }
command -v hyperfine >/dev/null || { echo "bench.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 69; }
[[ -x /usr/bin/time ]] || { echo "bench.sh: needs /usr/bin/time (apt-get install -y time)" >&2; exit 69; }
mkdir -p "$OUT"

# The whole run holds the lock once: per-command locking lets another user's long
# job in between every step (flock is not FIFO), and the figures would come from
# different machine states.
if [[ -n $LOCK && -z ${BENCH_LOCK_HELD:-} ]]; then
    echo "== waiting for $LOCK ($(date -u +%H:%M:%S))"
    BENCH_LOCK_HELD=1 exec flock "$LOCK" "$SELF" "$@"
fi
# field FILE KEY NAME: the value of NAME=... on the first line of FILE starting with KEY.
field() { awk -v key="$2" -v name="$3" '$1 == key { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) { print kv[2]; exit } } }' "$1"; }
# hyperfine_median JSON: median seconds of its (single) command.
hyperfine_median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
# calc, median, verdict, row and print_results.
source scripts/bench_table.sh

echo "== bench $(date -u '+%Y-%m-%d %H:%M:%S UTC') on $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') × $(nproc); load average$(uptime | sed 's/.*load average//')"
echo "== weights $WEIGHTS; lock ${LOCK:-none}"

echo "== build"
swift build -c release 2>&1 | grep -E 'error|warning: unre|Compiling|Build' | tail -3

for set in 1:1 100k:100000 1m:1000000; do
    dir=$SETS/${set%%:*}
    if [[ ! -f $dir/million-labels-idx1-ubyte.gz ]]; then
        echo "== making $dir (${set##*:} images)"
        python3 scripts/make_million.py "$dir" "${set##*:}"
    fi
done

echo "== 1. forward only (in process, medians of $RUNS)"
"$BIN/mnist-bench" --weights "$WEIGHTS" --images "$IMAGES" --runs "$RUNS" --no-read --predictions "$OUT/swift.txt" | tee "$OUT/swift.log"
"${PY[@]}" scripts/reference_numpy.py --forward-only "$IMAGES" --weights "$WEIGHTS" --runs "$RUNS" \
    --predictions "$OUT/numpy.txt" | tee "$OUT/numpy.log"
ONNX=yes
python3 scripts/reference_onnx.py "$IMAGES" --weights "$WEIGHTS" --runs "$RUNS" --predictions "$OUT/onnx.txt" \
    | tee "$OUT/onnx.log" || ONNX=no

echo "== 2. end to end on t10k ($E2E_ROUNDS rounds of 3 processes and 3 in-process read+inflate timings; textbook: hyperfine medians of $E2E_RUNS)"
# Interleaved: the machine's speed drifts by up to a third over minutes, so the
# end-to-end time and the read+inflate floor it is divided by are timed in
# alternating rounds, and their medians come from the same minutes.
: > "$OUT/eval-times.txt"; : > "$OUT/floor-times.txt"
for round in $(seq "$E2E_ROUNDS"); do
    hyperfine -N --warmup 1 --runs 3 --export-json "$OUT/eval.json" "$BIN/mnist-eval $IMAGES --weights $WEIGHTS --quiet" > /dev/null
    python3 -c 'import json,sys; print(*json.load(open(sys.argv[1]))["results"][0]["times"], sep="\n")' "$OUT/eval.json" >> "$OUT/eval-times.txt"
    "$BIN/mnist-bench" --images "$IMAGES" --weights "$WEIGHTS" --no-forward --runs 3 > "$OUT/floor.log"
    field "$OUT/floor.log" read_inflate_ms median >> "$OUT/floor-times.txt"
done
echo "mnist-eval (s): $(paste -sd' ' "$OUT/eval-times.txt")"
echo "read+inflate medians (ms): $(paste -sd' ' "$OUT/floor-times.txt")"
hyperfine -N --warmup 1 --runs "$E2E_RUNS" --export-json "$OUT/textbook.json" \
    "${PY[*]} scripts/reference_numpy.py $IMAGES --weights $WEIGHTS" | grep -E 'Time|Range'
# Process start-up alone (dynamic linking, Swift runtime, argument parsing): part of the
# end-to-end time that the in-process read+inflate floor does not have.
hyperfine -N --warmup 2 --runs 20 --export-json "$OUT/startup.json" "$BIN/mnist-eval --help" | grep -E 'Time|Range'
# The fixed cost of a run: start-up, argument parsing, weights, one image, the report.
hyperfine -N --warmup 2 --runs 20 --export-json "$OUT/one.json" \
    "$BIN/mnist-eval $SETS/1/million-images-idx3-ubyte.gz --weights $WEIGHTS --quiet" | grep -E 'Time|Range'
"$BIN/mnist-eval" "$IMAGES" --weights "$WEIGHTS" --quiet --format json --predictions "$OUT/eval.csv" > "$OUT/eval-report.json" || true
tail -n +2 "$OUT/eval.csv" | cut -d, -f3 > "$OUT/eval.txt"
"${PY[@]}" scripts/reference_numpy.py "$IMAGES" --weights "$WEIGHTS" --predictions "$OUT/textbook.txt" > "$OUT/textbook.log"

echo "== 3. streaming (/usr/bin/time, $STREAM_RUNS runs on 1M, 3 on 100k)"
stream() {  # stream DIR RUNS -> "median_seconds max_rss_kib", and the report of the last run in $OUT/
    local times=() rss=() line
    for _ in $(seq "$2"); do
        /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$BIN/mnist-eval" "$1/million-images-idx3-ubyte.gz" \
            --weights "$WEIGHTS" --quiet --format json > "$OUT/$(basename "$1")-report.json" || true
        line=$(tail -1 "$OUT/time.txt"); times+=("${line% *}"); rss+=("${line#* }")
    done
    echo "$(median "${times[@]}") $(printf '%s\n' "${rss[@]}" | sort -n | tail -1)"
}
# This program's read + inflate alone over the 1M file, in process: the streaming floor.
"$BIN/mnist-bench" --images "$SETS/1m/million-images-idx3-ubyte.gz" --weights "$WEIGHTS" --no-forward --runs 3 \
    | tee "$OUT/read1m.log"
# zlib's own in-memory inflate of the same file (its own CRC-32 included;
# scripts/zlib_inflate.c), in rounds alternating with mnist-eval's 1M runs, so
# both medians share minutes.
cc -O2 scripts/zlib_inflate.c -lz -o "$OUT/zlib_inflate"
: > "$OUT/zlib1m-times.txt"; : > "$OUT/eval1m-times.txt"; S1M_RSS=()
for round in $(seq "$STREAM_RUNS"); do
    read -r seconds rss < <(stream "$SETS/1m" 1)
    echo "$seconds" >> "$OUT/eval1m-times.txt"; S1M_RSS+=("$rss")
    "$OUT/zlib_inflate" "$SETS/1m/million-images-idx3-ubyte.gz" 1 > "$OUT/zlib1m.log"
    field "$OUT/zlib1m.log" zlib_inflate_ms median >> "$OUT/zlib1m-times.txt"
done
S1M=$(median $(cat "$OUT/eval1m-times.txt"))
RSS1M=$(printf '%s\n' "${S1M_RSS[@]}" | sort -n | tail -1)
ZLIB1M=$(median $(cat "$OUT/zlib1m-times.txt"))
echo "1M mnist-eval (s): $(paste -sd' ' "$OUT/eval1m-times.txt"); zlib inflate (ms): $(paste -sd' ' "$OUT/zlib1m-times.txt")"
read -r S100K RSS100K < <(stream "$SETS/100k" 3)
echo "1M: ${S1M}s peak ${RSS1M} KiB; 100k: ${S100K}s peak ${RSS100K} KiB"

echo "== 4. training epoch"
# The help is read whole first: grep -q would stop reading it, and pipefail
# would count the trainer's broken pipe as a failure.
TRAIN_HELP=$("$BIN/mnist-train" --help)
BATCH=$(grep -A1 -- '--batch-size' <<< "$TRAIN_HELP" | grep -o 'default: [0-9]*' | grep -o '[0-9]*' || true)
BATCH=${BATCH:-128}
hyperfine -N --runs 3 --export-json "$OUT/train.json" \
    "$BIN/mnist-train --epochs 1 --quiet --corrupt none --output $OUT/epoch.safetensors --overwrite" | grep -E 'Time|Range'
hyperfine -N --runs 3 --export-json "$OUT/train-plain.json" \
    "$BIN/mnist-train --epochs 1 --quiet --no-augment --corrupt none --output $OUT/epoch.safetensors --overwrite" | grep -E 'Time|Range'
# In process, like sklearn's fit: the epoch time mnist-train itself reports
# (train + validate, data already in memory), in rounds alternating with
# sklearn's fit so that all three medians come from the same minutes.
epoch_seconds() {
    "$BIN/mnist-train" --epochs 1 "$@" --output "$OUT/epoch.safetensors" --overwrite 2>&1 >/dev/null \
        | awk '$1 == "epoch" && $2 == "1/1" { print $(NF-1) }'
}
AUG=(); PLAIN=(); SK=()
for _ in $(seq "$TRAIN_ROUNDS"); do
    AUG+=("$(epoch_seconds --augment --corrupt none)")
    PLAIN+=("$(epoch_seconds --no-augment --corrupt none)")
    "${PY[@]}" scripts/sklearn_epoch.py --batch-size "$BATCH" --runs 1 > "$OUT/sklearn.log"
    SK+=("$(field "$OUT/sklearn.log" sklearn_epoch_ms median)")
done
E_AUG=$(median "${AUG[@]}")
E_PLAIN=$(median "${PLAIN[@]}")
T_SK=$(median "${SK[@]}")
echo "in-process epoch (s): augmented ${AUG[*]}, --no-augment ${PLAIN[*]}; sklearn fit (ms): ${SK[*]}"

echo "== 5. the CI gate: --baseline-weights and --baseline CSV against one network (scripts/bench_gate.sh)"
BENCH_LOCK_HELD=1 BENCH_BIN="$BIN" BENCH_DIR="$SCRATCH" scripts/bench_gate.sh "$WEIGHTS" | tee "$OUT/gate.log"

echo "== accuracy agreement"
json_correct() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["correct"])' "$1"; }
C_SWIFT=$(field "$OUT/swift.log" accuracy correct)
C_NUMPY=$(field "$OUT/numpy.log" accuracy correct)
C_TEXTBOOK=$(field "$OUT/textbook.log" accuracy correct)
C_EVAL=$(json_correct "$OUT/eval-report.json")
C_ONNX=$([[ $ONNX == yes ]] && field "$OUT/onnx.log" accuracy correct || echo "$C_SWIFT")
C_1M=$(json_correct "$OUT/1m-report.json")
differ() { paste -d' ' "$1" "$2" | awk '$1 != $2' | wc -l; }
echo "correct: mnist-bench $C_SWIFT, mnist-eval $C_EVAL, numpy $C_NUMPY, textbook numpy $C_TEXTBOOK, onnxruntime ${ONNX/yes/$C_ONNX}; 1M set $C_1M (expect 100 × t10k)"
echo "predictions differing from mnist-bench: numpy $(differ "$OUT/swift.txt" "$OUT/numpy.txt"), textbook $(differ "$OUT/swift.txt" "$OUT/textbook.txt"), mnist-eval $(differ "$OUT/swift.txt" "$OUT/eval.txt")$([[ $ONNX == yes ]] && echo ", onnxruntime $(differ "$OUT/swift.txt" "$OUT/onnx.txt")")"
AGREE=yes
for c in "$C_EVAL" "$C_NUMPY" "$C_TEXTBOOK" "$C_ONNX"; do [[ $c == "$C_SWIFT" ]] || AGREE=no; done
[[ $C_1M == $((C_SWIFT * 100)) ]] || AGREE=no

# ---- table
F_OURS=$(field "$OUT/swift.log" forward_ms median)
F_ONE=$(awk '$1 == "forward_ms" && $2 == "threads=1"' "$OUT/swift.log" | grep -o 'median=[0-9.]*' | cut -d= -f2)
F_NUMPY=$(field "$OUT/numpy.log" numpy_forward_ms median)
GF=$(field "$OUT/swift.log" forward_gflops actual_gflops)
GF_DENSE=$(field "$OUT/swift.log" forward_gflops effective_dense_equivalent)
GF_FRAC=$(field "$OUT/swift.log" forward_gflops fraction_of_peak)
GF_PEAK=$(field "$OUT/swift.log" forward_gflops peak)
GF1=$(awk '$1 == "forward_gflops" && $2 == "threads=1"' "$OUT/swift.log" | grep -o 'actual_gflops=[0-9.]*' | cut -d= -f2)
GF1_FRAC=$(awk '$1 == "forward_gflops" && $2 == "threads=1"' "$OUT/swift.log" | grep -o 'fraction_of_peak=[0-9.]*' | cut -d= -f2)
READ=$(calc "$(median $(cat "$OUT/floor-times.txt"))" 1)
E_OURS=$(calc "$(median $(cat "$OUT/eval-times.txt"))*1000" 1)
E_TEXT=$(calc "$(hyperfine_median "$OUT/textbook.json")*1000" 1)

row "1. forward 10k, all cores (ms)" "$F_OURS" "numpy $F_NUMPY" "$(calc "$F_NUMPY/$F_OURS")x" ">= 1.5x" "$(verdict "$F_NUMPY/$F_OURS >= 1.5")"
if [[ $ONNX == yes ]]; then
    F_ONNX=$(field "$OUT/onnx.log" onnx_forward_ms median)
    row "1. forward 10k, all cores (ms)" "$F_OURS" "onnxruntime $F_ONNX" "$(calc "$F_ONNX/$F_OURS")x" ">= 1.2x" "$(verdict "$F_ONNX/$F_OURS >= 1.2")"
else
    row "1. forward 10k vs onnxruntime" "$F_OURS" "not installed" "-" ">= 1.2x" "skip"
fi
row "1. forward 10k, 1 thread (ms)" "${F_ONE:--}" "numpy (2 thr) $F_NUMPY" "$( [[ -n $F_ONE ]] && calc "$F_NUMPY/$F_ONE")x" "(info)" "-"
row "1. GFLOP/s done (non-zero pixels), all cores" "$GF" "peak $GF_PEAK" "$GF_FRAC" "(report)" "-"
row "1. GFLOP/s done (non-zero pixels), 1 thread" "${GF1:--}" "peak 115" "${GF1_FRAC:--}" "(report)" "-"
row "1. (info) dense-equivalent GFLOP/s, all cores" "$GF_DENSE" "1.589 GFLOP dense" "-" "(info)" "-"
row "2. mnist-eval t10k end to end (ms)" "$E_OURS" "textbook numpy $E_TEXT" "$(calc "$E_TEXT/$E_OURS")x" ">= 6x" "$(verdict "$E_TEXT/$E_OURS >= 6")"
row "2. end to end vs read+inflate floor (ms)" "$E_OURS" "read+inflate $READ" "$(calc "$E_OURS/$READ")x" "<= 1.5x" "$(verdict "$E_OURS/$READ <= 1.5")"
row "2. (info) start-up: mnist-eval --help (ms)" "$(calc "$(hyperfine_median "$OUT/startup.json")*1000" 1)" "-" "-" "(info)" "-"
row "2. (info) fixed cost: mnist-eval on 1 image (ms)" "$(calc "$(hyperfine_median "$OUT/one.json")*1000" 1)" "-" "-" "(info)" "-"
READ1M=$(field "$OUT/read1m.log" read_inflate_ms median)
row "3. 1M images (gzip -9) end to end (images/s)" "$(calc "1000000/$S1M" 0)" "${S1M} s" "-" ">= 500,000/s" "$(verdict "1000000/$S1M >= 500000")"
row "3. 1M end to end vs zlib's own in-memory inflate (s)" "${S1M}" "zlib $(calc "$ZLIB1M/1000")" "$(calc "$S1M*1000/$ZLIB1M")x" "<= 1.15x" "$(verdict "$S1M*1000/$ZLIB1M <= 1.15")"
row "3. (info) 1M read+inflate only, in process (s)" "$(calc "$READ1M/1000")" "end to end ${S1M} s" "$(calc "$S1M*1000/$READ1M")x" "(info)" "-"
row "3. 1M peak RSS (MiB)" "$(calc "$RSS1M/1024")" "-" "-" "<= 64 MiB" "$(verdict "$RSS1M/1024 <= 64")"
row "3. peak RSS 1M vs 100k (MiB)" "$(calc "$RSS1M/1024")" "100k: $(calc "$RSS100K/1024")" "$(calc "$RSS1M/$RSS100K")x" "no growth (<= 1.05x)" "$(verdict "$RSS1M/$RSS100K <= 1.05")"
T_EAUG=$(calc "$E_AUG*1000" 0)
T_EPLAIN=$(calc "$E_PLAIN*1000" 0)
row "4. epoch in process, 55k, batch $BATCH, augmented (ms)" "$T_EAUG" "sklearn fit $T_SK" "$(calc "$T_SK/$T_EAUG")x" "> 1x" "$(verdict "$T_SK/$T_EAUG > 1")"
row "4. epoch in process, --no-augment (ms)" "$T_EPLAIN" "sklearn fit $T_SK" "$(calc "$T_SK/$T_EPLAIN")x" "> 1x" "$(verdict "$T_SK/$T_EPLAIN > 1")"
T_OURS=$(calc "$(hyperfine_median "$OUT/train.json")*1000" 1)
row "4. (info) whole mnist-train process, 1 epoch (ms)" "$T_OURS" "sklearn fit $T_SK" "$(calc "$T_SK/$T_OURS")x" "(info)" "-"
T_PLAIN=$(calc "$(hyperfine_median "$OUT/train-plain.json")*1000" 1)
row "4. (info) same, --no-augment (ms)" "$T_PLAIN" "sklearn fit $T_SK" "$(calc "$T_SK/$T_PLAIN")x" "(info)" "-"

while IFS= read -r line; do ROWS+=("$line"); done < <(grep '^| gate:' "$OUT/gate.log")

print_results
echo "GFLOP/s done: 2·(non-zero pixels·100 + 100·10) FLOPs per image over the time (the input layer skips zero pixels); dense-equivalent: 2·(784·100 + 100·10), which counts the skipped FMAs."
echo "End to end (2.) compares whole processes; the read+inflate floor is in process (mnist-bench), timed in rounds between the end-to-end runs. Training (4.): the epoch mnist-train reports (train + validate, in process) against sklearn's fit (in process, no augmentation); both without the shipped recipe's corruptions (--corrupt none), so the figures compare the trainers, not the recipes; the (info) rows time the whole process (load, augment, validate, save)."

if [[ $AGREE != yes ]]; then
    echo "bench.sh: FAIL: the tools disagree on the number of correct images (see 'accuracy agreement' above)" >&2
    exit 1
fi
