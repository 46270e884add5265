import MNISTEvaluation
import MNISTPlumbing

/// The tabular sections of the text report: per-class figures, the confusion
/// matrix, the most frequent confusions and the unlabeled histogram.
///
/// Numbers are right-aligned so that digits of the same place line up and a
/// reader can compare rows at a glance.
extension TextReport {
    /// Precision, recall, F1 (as percentages) and support, one row per digit.
    static func perClassTable(_ metrics: Metrics) -> [String] {
        let supportWidth = max(7, metrics.perClass.map { String($0.support).count }.max() ?? 0)
        let widths = [5, 9, 8, 8, supportWidth]
        var lines = ["per class", row(["digit", "precision", "recall", "F1", "support"], widths)]
        for entry in metrics.perClass {
            let cells = [String(entry.digit), NumberFormat.percent(entry.precision),
                         NumberFormat.percent(entry.recall), NumberFormat.percent(entry.f1),
                         String(entry.support)]
            lines.append(row(cells, widths))
        }
        return lines
    }

    /// The matrix with true digits down the side and predicted digits across.
    ///
    /// Each column is as wide as its largest count (at least 3), so 10 classes
    /// fit in 80 columns while no cell passes 6 digits: a balanced
    /// million-image set has diagonal cells of about 100,000.
    static func confusionMatrix(_ confusion: [[Int]]) -> [String] {
        let classes = confusion.count
        let labelWidth = String(max(classes - 1, 0)).count
        let widths = (0..<classes).map { column in
            max(3, String(column).count, confusion.map { String($0[column]).count }.max() ?? 0)
        }
        let header = (0..<classes).map { " " + NumberFormat.right(String($0), widths[$0]) }.joined()
        var lines = ["confusion matrix (rows: true digit, columns: predicted digit)",
                     "  " + String(repeating: " ", count: labelWidth) + header]
        for (digit, counts) in confusion.enumerated() {
            let cells = counts.enumerated().map { " " + NumberFormat.right(String($1), widths[$0]) }
            lines.append("  " + NumberFormat.right(String(digit), labelWidth) + cells.joined())
        }
        return lines
    }

    /// Up to `topConfusionCount` lines `4 → 9: 12`, or `none`.
    static func topConfusions(_ confusions: [Confusion]) -> [String] {
        let shown = confusions.prefix(topConfusionCount)
        let body = shown.isEmpty
            ? ["  none"]
            : shown.map { "  \($0.trueLabel) → \($0.predicted): \($0.count)" }
        return ["most frequent confusions (true → predicted)"] + body
    }

    /// Without labels: how many images were predicted as each digit, and
    /// their share. This is what is left to check a run by when there is no
    /// accuracy: a healthy network spreads its answers over all digits.
    static func histogramTable(_ histogram: [Int]) -> [String] {
        let total = histogram.reduce(0, +)
        let countWidth = max(7, histogram.map { String($0).count }.max() ?? 0)
        let widths = [5, countWidth, 8]
        var lines = ["predicted digits", row(["digit", "count", "percent"], widths)]
        for (digit, count) in histogram.enumerated() {
            lines.append(row([String(digit), String(count),
                              NumberFormat.percent(Metrics.ratio(count, total))], widths))
        }
        return lines
    }

    /// One table row: an indent, then each cell right-aligned to its width,
    /// cells separated by two spaces.
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        "  " + zip(cells, widths).map { NumberFormat.right($0, $1) }.joined(separator: "  ")
    }
}
