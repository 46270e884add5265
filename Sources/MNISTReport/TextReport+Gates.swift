import MNISTEvaluation
import MNISTPlumbing

/// The text report's sections for CI: the comparison with a baseline and
/// the gates, one line each.
extension TextReport {
    /// `compared with baseline`: both accuracies, their difference with its
    /// paired 95% interval (percentage points), regressions and fixes,
    /// McNemar's exact p-value and the first regressed images.
    static func comparisonBlock(_ comparison: Comparison, metrics: Metrics) -> [String] {
        let before = comparison.baselineMetrics
        let (now, then) = NumberFormat.percentsCompared(metrics.accuracy, before.accuracy)
        let interval = comparison.accuracyDeltaCI95
        let changed = comparison.regressions + comparison.fixes
        let rows: [(String, String)] = [
            ("baseline", comparison.baselineDescription),
            ("accuracy", "\(now) now (\(metrics.correct)/\(metrics.images)), \(then) before (\(before.correct)/\(before.images))"),
            ("difference", "\(NumberFormat.signedPoints(comparison.accuracyDelta)) points, 95% CI "
                + "[\(NumberFormat.signedPoints(interval.lower)), \(NumberFormat.signedPoints(interval.upper))] (paired)"),
            ("regressions", "\(comparison.regressions) (right before, wrong now)"),
            ("fixes", "\(comparison.fixes) (wrong before, right now)"),
            ("McNemar", "\(NumberFormat.pValue(comparison.pValue)) (exact, two-sided, on \(changed) changed "
                + "image\(changed == 1 ? "" : "s"))"),
        ]
        var lines = ["compared with baseline"] + rows.map { "  " + NumberFormat.left($0.0, 14) + $0.1 }
        let listed = comparison.regressedImages.prefix(Comparison.listedRegressions)
        guard !listed.isEmpty else { return lines }
        let first = listed.count == comparison.regressions
            ? "regressed images" : "first \(listed.count) of \(comparison.regressions) regressed images"
        let indexWidth = max(5, listed.map { String($0.index).count }.max() ?? 0)
        let widths = [indexWidth, 5, 6, 5]
        lines.append("  " + first)
        lines.append("  " + row(["index", "label", "before", "after"], widths))
        for image in listed {
            lines.append("  " + row([String(image.index), String(image.label), String(image.before), String(image.after)], widths))
        }
        return lines
    }

    /// `gates (1 of 3 failed)` and a line per gate: `passed`, `FAILED` or
    /// `skipped`, its name, and what was measured against what.
    static func gatesBlock(_ outcomes: [GateOutcome]) -> [String] {
        guard !outcomes.isEmpty else { return [] }
        let failed = outcomes.filter { !$0.passed }.count
        let nameWidth = outcomes.map(\.name.count).max() ?? 0
        let header = failed == 0
            ? "gates (\(outcomes.count == 1 ? "the gate" : "all \(outcomes.count)") passed)"
            : "gates (\(failed) of \(outcomes.count) failed)"
        return [header] + outcomes.map { outcome in
            "  " + NumberFormat.left(verdict(outcome), 8) + NumberFormat.left(outcome.name, nameWidth + 2) + outcome.message
        }
    }

    /// `passed`, `FAILED` (capitals: the word a reader scans for) or `skipped`.
    static func verdict(_ outcome: GateOutcome) -> String {
        outcome.skipped ? "skipped" : outcome.passed ? "passed" : "FAILED"
    }
}
