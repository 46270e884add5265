#!/usr/bin/env bash
# scripts/tsan.sh: the concurrency tests under ThreadSanitizer.
#
# The suites that run threads: the reader's ring (ChunkPipelineTests), the
# evaluator that overlaps reading and classifying (EvaluatorTests), the batch
# classifier's concurrentPerform (BatchClassifierTests, and with a network that
# preprocesses, PreprocessingTests), the trainer's worker team (WorkerPoolTests,
# TrainingRunTests, and with a teacher per shard, DistillationTests) and
# mnist-predict's agreement with the evaluator (AgreementTests). A debug build with -sanitize=thread, in its
# own scratch folder (.build-tsan, git-ignored), so the ordinary build is not
# rebuilt. Any report fails the run: TSAN_OPTIONS halt_on_error=1 makes the
# test process exit non-zero at the first race.
set -euo pipefail
cd "$(dirname "$0")/.."
suites='ChunkPipelineTests|EvaluatorTests|BatchClassifierTests|PreprocessingTests|WorkerPoolTests|TrainingRunTests|DistillationTests|AgreementTests'
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
swift build --build-tests --sanitize=thread --scratch-path .build-tsan 2>&1 | grep -E 'error|warning: ' || true
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! swift test --skip-build --sanitize=thread --scratch-path .build-tsan --filter "$suites" >"$log" 2>&1; then
    grep -E 'WARNING: ThreadSanitizer|SUMMARY: ThreadSanitizer|✘|error' "$log" | head -40
    echo "tsan.sh: FAILED (ThreadSanitizer report or test failure above)" >&2
    exit 1
fi
grep -q 'ThreadSanitizer' "$log" && { grep -A30 'WARNING: ThreadSanitizer' "$log" | head -60; exit 1; }
grep -E 'Test run with' "$log"
echo "tsan.sh: no ThreadSanitizer report in suites $suites"
