#!/usr/bin/env bash
# scripts/check_dependent.sh [--bench]: the README's "Use it as a library"
# example, built as another package builds it.
#
# Clones this repository's HEAD, tags the clone 1.0.0, and builds a new
# package that depends on it by version through a file:// URL: SwiftPM resolves
# that like any remote package, and enforces there that no target of the
# MNIST product carries unsafe build flags. The new package's Package.swift
# and main.swift are the two code blocks of the README's "Use it as a library"
# section, with only the dependency's URL replaced by the clone's. It runs the
# example on the shipped test set and checks its answers against mnist-eval's.
#
# --bench also times the forward pass (scripts/dependent/forward_bench.swift)
# in that dependent build, and in the same program built against this
# repository as a path dependency, alternating runs; reported, not judged.
#
# Environment: DEPENDENT_DIR (scratch, default a new temporary directory,
# removed afterwards), MNIST_EVAL (the mnist-eval to compare with; default this
# repository's .build/release/mnist-eval, built when missing).
set -euo pipefail
SELF=$(realpath "$0")
ROOT=$(dirname "$(dirname "$SELF")")
BENCH=0
[[ ${1:-} == --bench ]] && BENCH=1

if [[ -n ${DEPENDENT_DIR:-} ]]; then
    WORK=$DEPENDENT_DIR
    rm -rf "$WORK"; mkdir -p "$WORK"
else
    WORK=$(mktemp -d)
    trap 'rm -rf "$WORK"' EXIT
fi

# The example's two files, straight from the README.
block() {  # the fenced code block after the line '<!-- dependent: NAME -->'
    awk -v marker="<!-- dependent: $1 -->" '
        $0 == marker { found = 1; next }
        found && /^```/ { if (inside) exit; inside = 1; next }
        inside { print }' "$ROOT/README.md"
}

echo "== cloning HEAD and tagging it 1.0.0"
git clone -q "$ROOT" "$WORK/mnist"
git -C "$WORK/mnist" -c user.name=check -c user.email=check@localhost tag -a 1.0.0 -m "dependent check"

echo "== the README's example, depending on the clone by version"
mkdir -p "$WORK/app/Sources/app"
block Package.swift | sed "s#url: \"[^\"]*\"#url: \"file://$WORK/mnist\"#" > "$WORK/app/Package.swift"
block main.swift > "$WORK/app/Sources/app/main.swift"
for file in Package.swift Sources/app/main.swift; do
    [[ -s $WORK/app/$file ]] || { echo "check_dependent: error: README.md has no '<!-- dependent: ${file##*/} -->' code block" >&2; exit 1; }
done
grep -q 'from: "1.0.0"' "$WORK/app/Package.swift" \
    || { echo "check_dependent: error: the README's Package.swift must depend on a version (from: \"1.0.0\")" >&2; exit 1; }
swift build -c release --package-path "$WORK/app" 2>&1 | grep -v '^\[' | tail -3

IMAGES=$ROOT/Data/t10k-images-idx3-ubyte.gz
echo "== running it from another directory"
output=$(cd "$WORK" && "$WORK/app/.build/release/app" "$IMAGES")
echo "$output"

MNIST_EVAL=${MNIST_EVAL:-$ROOT/.build/release/mnist-eval}
[[ -x $MNIST_EVAL ]] || swift build -c release --package-path "$ROOT" --product mnist-eval >/dev/null
report=$("$MNIST_EVAL" "$IMAGES" --format json)
expected=$(awk -F': ' '/"correct"/ && !done { gsub(/[ ,]/, "", $2); print $2; done = 1 }' <<<"$report")
grep -q "^correct $expected of 10000$" <<<"$output" \
    || { echo "check_dependent: error: the dependent counted other correct images than mnist-eval ($expected)" >&2; exit 1; }
grep -q "^a vertical stroke reads as 1 " <<<"$output" \
    || { echo "check_dependent: error: the example's drawn 1 was not read as 1" >&2; exit 1; }
echo "check_dependent: the dependent package resolved MNIST 1.0.0, built, and agrees with mnist-eval ($expected correct)"

if (( BENCH )); then
    echo "== forward pass: dependent (by version) and path-dependency builds, alternating"
    for kind in version path; do
        mkdir -p "$WORK/bench-$kind/Sources/bench"
        cp "$ROOT/scripts/dependent/forward_bench.swift" "$WORK/bench-$kind/Sources/bench/main.swift"
        if [[ $kind == version ]]; then dependency=".package(url: \"file://$WORK/mnist\", from: \"1.0.0\")"
        else dependency=".package(path: \"$ROOT\")"; fi
        package=$([[ $kind == version ]] && echo mnist || basename "$ROOT")
        cat > "$WORK/bench-$kind/Package.swift" <<MANIFEST
// swift-tools-version: 6.0
import PackageDescription
let package = Package(name: "bench", dependencies: [$dependency],
                      targets: [.executableTarget(name: "bench", dependencies: [.product(name: "MNIST", package: "$package")])])
MANIFEST
        swift build -c release --package-path "$WORK/bench-$kind" 2>&1 | grep -v '^\[' | tail -1
    done
    for round in 1 2 3; do
        for kind in version path; do
            echo "$kind round $round: $("$WORK/bench-$kind/.build/release/bench" "$IMAGES" 15)"
        done
    done
fi
