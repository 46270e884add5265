#!/usr/bin/env bash
# Replays every file of the end-to-end malformed suite (Tests/EndToEndTests/
# MalformedFileTests.swift) through the release mnist-eval under
# /usr/bin/time and checks the limits: each bad input rejected with its
# documented exit code in under a second, with a peak RSS under 100 MiB.
#
#   scripts/check_malformed_limits.sh          (MNIST_EVAL=path overrides the binary)
#
# Timing is measured here, not asserted in tests: a loaded machine must not
# fail the test suite, but a human reads this table.
set -euo pipefail
cd "$(dirname "$0")/.."

max_seconds=1.0
max_kib=$((100 * 1024))
files=$PWD/.build/malformed-files
lock=${CPU_LOCK:-/work/cpu.lock}
locked() { if [ -e "$(dirname "$lock")" ]; then flock "$lock" "$@"; else "$@"; fi; }

binary=${MNIST_EVAL:-}
if [ -z "$binary" ]; then
    locked swift build -c release --product mnist-eval 2>&1 | tail -1
    binary=$PWD/.build/release/mnist-eval
fi

rm -rf "$files"
swift build --build-tests 2>&1 | tail -1
MALFORMED_FILES_DIR=$files swift test --skip-build --filter MalformedFileTests 2>&1 | tail -1

failures=0
printf '%-55s %4s %4s %8s %9s\n' case want got seconds peak_KiB
cd "$files"
for args_file in cases/*.args; do
    IFS=$'\t' read -r -a fields <"$args_file"
    want=${fields[0]}
    set +e
    /usr/bin/time -f '%e %M' -o time.txt "$binary" "${fields[@]:1}" >stdout.txt 2>stderr.txt
    got=$?
    set -e
    # GNU time puts "Command exited with non-zero status N" first; the numbers are last.
    read -r seconds kib < <(tail -n 1 time.txt)
    verdict=ok
    if [ "$got" != "$want" ] || [ -s stdout.txt ]; then verdict="WRONG EXIT/OUTPUT"; fi
    if awk -v s="$seconds" -v m="$max_seconds" 'BEGIN { exit !(s >= m) }'; then verdict="TOO SLOW"; fi
    if [ "$kib" -ge "$max_kib" ]; then verdict="TOO MUCH MEMORY"; fi
    [ "$verdict" = ok ] || failures=$((failures + 1))
    printf '%-55s %4s %4s %8s %9s %s\n' "$(basename "$args_file" .args)" "$want" "$got" "$seconds" "$kib" "$verdict"
done
echo "$(ls cases/*.args | wc -l) files, $failures over the limits (${max_seconds}s, $((max_kib / 1024)) MiB)"
[ "$failures" = 0 ]
