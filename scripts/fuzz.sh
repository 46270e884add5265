#!/usr/bin/env bash
# Builds the libFuzzer targets with ASan and runs each for SECONDS (default 60).
#
#   scripts/fuzz.sh [seconds] [target...]      (targets: fuzz-gzip fuzz-idx fuzz-weights fuzz-pairing fuzz-image)
#
# FUZZ_CONFIG=release builds with -O (still ASan, preconditions and overflow
# checks): about 1.4x the executions per second of the default debug build.
# Everything lands under .build-fuzz/ (git-ignored): the build, the seed
# corpora (scripts/make_fuzz_corpus.py), the growing corpora (.build-fuzz/corpus/<target>),
# crashes (.build-fuzz/crashes/<target>/) and logs (.build-fuzz/logs/<target>.log).
# On a shared machine each run holds /work/cpu.lock (or $FUZZ_LOCK) so heavy jobs take turns.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-gzip fuzz-idx fuzz-weights fuzz-pairing fuzz-image)
lock=${FUZZ_LOCK:-/work/cpu.lock}
scratch=.build-fuzz
config=${FUZZ_CONFIG:-debug}
locked() { if [ -e "$(dirname "$lock")" ]; then flock "$lock" "$@"; else "$@"; fi; }

for target in "${targets[@]}"; do
    locked swift build -c "$config" --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
        --product "$target" 2>&1 | grep -v 'ld.gold: warning' | tail -1
done

python3 scripts/make_fuzz_corpus.py "$scratch/seeds"

# -max_len: a few images or a small weights file; enough to reach every branch.
max_len() {
    case $1 in
        fuzz-gzip|fuzz-idx) echo 4096 ;;
        fuzz-weights) echo 8192 ;;
        fuzz-pairing) echo 4096 ;;
        fuzz-image) echo 4096 ;;
    esac
}

# The Swift runtime's backtracer would answer a crash with its own report and
# slow every one of them; libFuzzer and ASan report crashes here.
export SWIFT_BACKTRACE=enable=no
# ASan keeps freed memory in quarantine (256 MB by default) and in its own
# caches, so a target that decodes valid large pictures (8192×8192 is 64 MB)
# crept past -rss_limit_mb over thousands of inputs though each stays under
# 50 MB alone. A 32 MB quarantine, returned to the system, keeps the RSS
# limit about the input under test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=32:allocator_release_to_os_interval_ms=100}
status=0
for target in "${targets[@]}"; do
    corpus=$scratch/corpus/$target
    crashes=$scratch/crashes/$target
    mkdir -p "$corpus" "$crashes" "$scratch/logs"
    echo "== $target ($config): ${seconds}s"
    # -rss_limit_mb=512 also caps single allocations (malloc_limit_mb defaults to it),
    # so an allocation sized by a header field is reported as a finding.
    if ! locked "$scratch/$config/$target" "$corpus" "$scratch/seeds/$target" \
        -max_total_time="$seconds" -rss_limit_mb=512 -max_len="$(max_len "$target")" -timeout=5 \
        -print_final_stats=1 -artifact_prefix="$crashes/" >"$scratch/logs/$target.log" 2>&1; then
        status=1
        echo "   FINDING: see $scratch/logs/$target.log and $crashes/"
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$scratch/logs/$target.log" | sed 's/^/   /' || true
done
exit $status
