import MNISTEvaluation
import MNISTPlumbing

/// The run as Markdown (`mnist-eval --summary FILE`), for the page of a CI
/// run: GitHub Actions shows what a step appends to `$GITHUB_STEP_SUMMARY`.
///
/// A heading with the verdict; the accuracy with its 95% interval and the
/// files used; a table of the gates; with a baseline, the comparison and the
/// first regressed images; the per-class table (with the baseline's recall
/// beside this run's). Without labels, the predicted-digit histogram instead.
/// Every number is written as the text report writes it.
public enum SummaryReport {
    /// The block to append, ending with a blank line so that a next block
    /// (another run's) starts a new paragraph.
    public static func render(_ result: EvaluationResult) -> String {
        let outcomes = result.gateOutcomes
        var lines = [heading(result, outcomes), ""]
        guard let metrics = result.metrics else {
            lines.append("Accuracy not measured (no labels): images \(code(result.imagesPath)), weights \(code(result.weightsPath)).")
            lines.append("")
            lines += table(["digit", "predicted", "share"], right: [true, true, true],
                           result.predictedHistogram.enumerated().map { digit, count in
                               [String(digit), String(count),
                                NumberFormat.percent(Metrics.ratio(count, result.tally.images))]
                           })
            return lines.joined(separator: "\n") + "\n\n"
        }
        let interval = metrics.wilson95
        lines.append("Accuracy **\(NumberFormat.percent(metrics.accuracy))** (\(metrics.correct)/\(metrics.images)), "
            + "95% CI [\(NumberFormat.percent(interval.lower)), \(NumberFormat.percent(interval.upper))]: "
            + "images \(code(result.imagesPath)), weights \(code(result.weightsPath)).")
        if !outcomes.isEmpty {
            lines.append("")
            lines += table(["gate", "result", "measured"], right: [false, false, false], outcomes.map { outcome in
                [outcome.name, outcome.skipped ? "➖ skipped" : outcome.passed ? "✅ passed" : "❌ failed", outcome.message]
            })
        }
        if let comparison = result.comparison {
            lines += [""] + comparisonSection(comparison, metrics: metrics)
        }
        lines += ["", "#### Per class", ""]
        let before = result.comparison?.baselineMetrics
        var headers = ["digit", "precision", "recall", "F1", "support"]
        if before != nil { headers.insert("recall before", at: 3) }
        lines += table(headers, right: headers.map { _ in true }, metrics.perClass.map { entry in
            var cells = [String(entry.digit), NumberFormat.percent(entry.precision), NumberFormat.percent(entry.recall),
                         NumberFormat.percent(entry.f1), String(entry.support)]
            if let before { cells.insert(NumberFormat.percent(before.perClass[entry.digit].recall), at: 3) }
            return cells
        })
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// `### mnist-eval: all 3 gates passed ✅`, `### mnist-eval: 1 of 3 gates
    /// failed ❌`, or without gates the accuracy.
    static func heading(_ result: EvaluationResult, _ outcomes: [GateOutcome]) -> String {
        let failed = outcomes.filter { !$0.passed }.count
        let verdict: String
        if outcomes.isEmpty {
            verdict = result.metrics.map { "accuracy \(NumberFormat.percent($0.accuracy))" } ?? "no labels"
        } else if failed == 0 {
            verdict = (outcomes.count == 1 ? "the gate passed" : "all \(outcomes.count) gates passed") + " ✅"
        } else {
            verdict = "\(failed) of \(outcomes.count) gate\(outcomes.count == 1 ? "" : "s") failed ❌"
        }
        return "### \(JUnitReport.suiteName): \(verdict)"
    }

    static func comparisonSection(_ comparison: Comparison, metrics: Metrics) -> [String] {
        let before = comparison.baselineMetrics
        let (now, then) = NumberFormat.percentsCompared(metrics.accuracy, before.accuracy)
        let interval = comparison.accuracyDeltaCI95
        var lines = ["#### Compared with the baseline", "",
                     "Baseline \(code(comparison.baselinePath)) "
                        + (comparison.source == .predictions ? "(predictions CSV)." : "(weights, evaluated in the same pass)."),
                     ""]
        lines += table(["", "now", "before", "difference (paired 95% CI)"], right: [false, true, true, true], [[
            "accuracy", now, then,
            "\(NumberFormat.signedPoints(comparison.accuracyDelta)) points "
                + "[\(NumberFormat.signedPoints(interval.lower)), \(NumberFormat.signedPoints(interval.upper))]",
        ]])
        lines.append("")
        lines.append("\(comparison.regressions) regression\(comparison.regressions == 1 ? "" : "s") (right before, wrong now), "
            + "\(comparison.fixes) fix\(comparison.fixes == 1 ? "" : "es") (wrong before, right now); "
            + "McNemar's exact test: \(NumberFormat.pValue(comparison.pValue)).")
        let listed = comparison.regressedImages.prefix(Comparison.listedRegressions)
        if !listed.isEmpty {
            lines += ["", listed.count == comparison.regressions ? "Regressed images:" : "First \(listed.count) regressed images:", ""]
            lines += table(["index", "label", "before", "after"], right: [true, true, true, true], listed.map {
                [String($0.index), String($0.label), String($0.before), String($0.after)]
            })
        }
        return lines
    }

    /// A Markdown table; `right` aligns a column's cells to the right.
    static func table(_ headers: [String], right: [Bool], _ rows: [[String]]) -> [String] {
        func line(_ cells: [String]) -> String { "| " + cells.map(cell).joined(separator: " | ") + " |" }
        return [line(headers), "|" + right.map { $0 ? "---:|" : "---|" }.joined()] + rows.map(line)
    }

    /// Text for a table cell: `|` would end the cell, a line break the row.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// `text` as inline code, with a fence longer than any run of backticks in it.
    static func code(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        return fence + padded + fence
    }
}
