import MNISTEvaluation
import MNISTPlumbing

/// The report a person reads at the terminal after `mnist-eval`.
///
/// Sections, in order: inputs and weights; accuracy with its 95% interval (or
/// a note that there are no labels); a WARNING when predictions collapsed onto
/// one class; with a baseline, the comparison with it; with gates, a line
/// per gate, passed or failed; per-class precision/recall/F1 and the confusion matrix (or,
/// without labels, the predicted-class histogram); the most frequent
/// confusions; and a last line with the timing.
///
/// Lines stay within 80 columns for 10 classes and up to a million images,
/// except where a path is itself long: paths are never shortened, since the
/// point of printing them is to show exactly which files were used. A gate's
/// line is never wrapped either: it is one line per gate, so that a CI log
/// can be searched for `FAILED`, and its message is the one stderr and the
/// JUnit file carry.
/// Every number goes through `NumberFormat`, so the output depends only on the
/// result, not on the locale or the machine.
public enum TextReport {
    /// How many of the most frequent confusions to list.
    public static let topConfusionCount = 5

    /// What the labels line says when the run had no labels file.
    public static let noLabelsNote = "none (no labels file found; pass --labels)"

    /// The labels line without labels, naming the files that were looked for.
    static func noLabelsNote(lookedFor: [String]) -> String {
        lookedFor.isEmpty ? noLabelsNote : "none (looked for \(lookedFor.joined(separator: ", ")); pass --labels)"
    }

    public static func render(_ result: EvaluationResult) -> String {
        var lines: [String] = []
        lines += inputs(result)
        lines.append("")
        let metrics = result.metrics
        if let metrics {
            lines.append(accuracyLine(metrics))
        } else {
            lines.append("accuracy: not measured (no labels)")
        }
        lines += collapseWarning(result, metrics: metrics)
        lines.append("")
        if let comparison = result.comparison, let metrics {
            lines += comparisonBlock(comparison, metrics: metrics)
            lines.append("")
        }
        let gates = gatesBlock(result.gateOutcomes)
        if !gates.isEmpty {
            lines += gates
            lines.append("")
        }
        if let metrics {
            lines += perClassTable(metrics)
            lines.append("")
            lines += confusionMatrix(metrics.confusion)
            lines.append("")
            lines += topConfusions(metrics.topConfusions)
        } else {
            lines += histogramTable(result.predictedHistogram)
        }
        lines.append("")
        lines.append(timingLine(result))
        return lines.joined(separator: "\n") + "\n"
    }

    /// Which files and which network produced the figures below.
    static func inputs(_ result: EvaluationResult) -> [String] {
        let count = result.tally.images
        var rows: [(String, String)] = [
            ("images", "\(result.imagesPath) (\(NumberFormat.grouped(count)) image\(count == 1 ? "" : "s"))"),
            ("labels", result.labelsPath ?? noLabelsNote(lookedFor: result.labelsLookedFor)),
            ("weights", result.weightsPath),
            ("architecture", result.architecture.map(String.init).joined(separator: "-")),
            ("activation", result.activation),
            ("input", "mean \(result.inputMean), std \(result.inputStd)"),
        ]
        if result.preprocessing != "none" { rows.insert(("preprocess", result.preprocessing), at: rows.count - 1) }
        return ["inputs"] + rows.map { "  " + NumberFormat.left($0.0, 14) + $0.1 }
    }

    /// `accuracy: 98.12% (9812/10000), 95% CI [97.85%, 98.36%]`
    public static func accuracyLine(_ metrics: Metrics) -> String {
        let interval = metrics.wilson95
        return "accuracy: \(NumberFormat.percent(metrics.accuracy)) (\(metrics.correct)/\(metrics.images)), "
            + "95% CI [\(NumberFormat.percent(interval.lower)), \(NumberFormat.percent(interval.upper))]"
    }

    /// Two lines naming the collapsed class and its share, or nothing.
    static func collapseWarning(_ result: EvaluationResult, metrics: Metrics?) -> [String] {
        guard let digit = result.collapsedClass else { return [] }
        let histogram = result.predictedHistogram
        let share = Metrics.ratio(histogram[digit], histogram.reduce(0, +))
        var first = "WARNING: \(NumberFormat.percent(share)) of predictions are digit \(digit)"
        if let metrics {
            first += " (true share \(NumberFormat.percent(Metrics.ratio(metrics.perClass[digit].support, metrics.images))))"
        }
        return [first + ";", "         the weights or the input mean/std are probably wrong."]
    }

    /// `time: 0.041 s, 243,902 images/s, 2 threads, batch 256`
    public static func timingLine(_ result: EvaluationResult) -> String {
        let rate = result.imagesPerSecond.map { NumberFormat.grouped(roundedInt($0)) } ?? "n/a"
        let threads = "\(result.threads) thread\(result.threads == 1 ? "" : "s")"
        return "time: \(NumberFormat.fixed(result.seconds, decimals: 3)) s, \(rate) images/s, "
            + "\(threads), batch \(result.batchSize)"
    }

    /// `value` rounded to the nearest integer, clamped so that an absurd rate
    /// (a duration of a few nanoseconds) cannot trap the conversion.
    static func roundedInt(_ value: Double) -> Int {
        Int(min(max(value.rounded(), -9e18), 9e18))
    }
}
