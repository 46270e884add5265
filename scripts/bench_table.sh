# Sourced by scripts/bench.sh and scripts/bench_gate.sh: arithmetic through
# python3, and the results table both print (figure | this project | reference |
# ratio | goal | met?), so that bench.sh can take bench_gate.sh's rows as they are.

# calc EXPR [DECIMALS]: floating-point arithmetic, 2 decimals unless told.
calc() { python3 -c "print(f'{$1:.${2:-2}f}')"; }
# median X...: the median of the numbers.
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
# verdict OK?: yes/NO from a python boolean expression.
verdict() { python3 -c "print('yes' if ($1) else 'NO')"; }

ROWS=()
# row FIGURE OURS REFERENCE RATIO GOAL MET
row() { ROWS+=("$(printf '| %-46s | %-16s | %-22s | %-8s | %-18s | %-4s |' "$@")"); }

# print_results: the heading, the date and load, and every row so far.
print_results() {
    echo
    echo "== results $(date -u '+%Y-%m-%d %H:%M:%S UTC'); load average$(uptime | sed 's/.*load average//')"
    printf '| %-46s | %-16s | %-22s | %-8s | %-18s | %-4s |\n' figure "this project" reference ratio goal "met?"
    printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..48})" "$(printf -- '-%.0s' {1..18})" "$(printf -- '-%.0s' {1..24})" \
        "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..20})" "$(printf -- '-%.0s' {1..6})"
    printf '%s\n' "${ROWS[@]}"
}
