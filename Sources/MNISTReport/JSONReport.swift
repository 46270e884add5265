import MNISTEvaluation
import MNISTPlumbing

/// The machine-readable report, for CI pipelines that gate on accuracy.
///
/// One JSON object whose keys always appear, always in the same order
/// (listed in `render`); a figure that does not apply to the run is `null`
/// rather than missing, so a pipeline can tell "no labels" from "broken
/// report". Fractions (accuracy, precision, ...) are in 0...1, not percent,
/// with at most six decimals.
public enum JSONReport {
    /// The report as pretty-printed JSON, ending with a newline.
    ///
    /// Keys, in order: `images_path`, `labels_path`, `weights`,
    /// `architecture`, `activation`, `input_mean`, `input_std`, `images`,
    /// `correct`, `accuracy`, `accuracy_ci95`, `collapsed_class`,
    /// `predicted_histogram`, `per_class`, `top_confusions`, `confusion`,
    /// `comparison`, `gates`, `seconds`, `images_per_second`, `threads`,
    /// `batch_size`.
    /// Without labels, `labels_path`, `correct`, `accuracy`, `accuracy_ci95`,
    /// `per_class`, `top_confusions` and `confusion` are `null`. Without a
    /// baseline `comparison` is `null`; without gates `gates` is `[]`.
    public static func render(_ result: EvaluationResult) -> String {
        document(result).rendered() + "\n"
    }

    static func document(_ result: EvaluationResult) -> JSONValue {
        let metrics = result.metrics
        return .object([
            ("images_path", .string(result.imagesPath)),
            ("labels_path", .string(result.labelsPath)),
            ("weights", .string(result.weightsPath)),
            ("architecture", .ints(result.architecture)),
            ("activation", .string(result.activation)),
            ("input_mean", .number(Double(result.inputMean))),
            ("input_std", .number(Double(result.inputStd))),
            ("preprocess", .string(result.preprocessing)),
            ("images", .int(result.tally.images)),
            ("correct", metrics.map { .int($0.correct) } ?? .null),
            ("accuracy", .number(metrics?.accuracy)),
            ("accuracy_ci95", metrics.map { .array([.number($0.wilson95.lower), .number($0.wilson95.upper)]) } ?? .null),
            ("collapsed_class", result.collapsedClass.map { .int($0) } ?? .null),
            ("predicted_histogram", .ints(result.predictedHistogram)),
            ("per_class", metrics.map { .array($0.perClass.map(perClass)) } ?? .null),
            ("top_confusions", metrics.map { .array($0.topConfusions.map(confusion)) } ?? .null),
            ("confusion", metrics.map { .array($0.confusion.map(JSONValue.ints)) } ?? .null),
            ("comparison", result.comparison.map(comparison) ?? .null),
            ("gates", .array(result.gateOutcomes.map(gate))),
            ("seconds", .number(result.seconds)),
            ("images_per_second", .number(result.imagesPerSecond)),
            ("threads", .int(result.threads)),
            ("batch_size", .int(result.batchSize)),
        ])
    }

    /// `{"digit", "precision", "recall", "f1", "support", "predicted"}`
    static func perClass(_ entry: ClassMetrics) -> JSONValue {
        .object([
            ("digit", .int(entry.digit)),
            ("precision", .number(entry.precision)),
            ("recall", .number(entry.recall)),
            ("f1", .number(entry.f1)),
            ("support", .int(entry.support)),
            ("predicted", .int(entry.predicted)),
        ])
    }

    /// `{"baseline", "baseline_accuracy", "accuracy_delta", "accuracy_delta_ci95",
    /// "regressions", "fixes", "p_value", "regressed_images"}`: the delta is
    /// this run's accuracy minus the baseline's (a fraction, negative for a
    /// drop) with its paired 95% interval; `p_value` is McNemar's exact
    /// two-sided p (six decimals, so 0 means below 0.0000005);
    /// `regressed_images` the first `Comparison.listedRegressions` as
    /// `{"index", "label", "before", "after"}`.
    static func comparison(_ comparison: Comparison) -> JSONValue {
        let interval = comparison.accuracyDeltaCI95
        return .object([
            ("baseline", .string(comparison.baselinePath)),
            ("baseline_accuracy", .number(comparison.baselineMetrics.accuracy)),
            ("accuracy_delta", .number(comparison.accuracyDelta)),
            ("accuracy_delta_ci95", .array([.number(interval.lower), .number(interval.upper)])),
            ("regressions", .int(comparison.regressions)),
            ("fixes", .int(comparison.fixes)),
            ("p_value", .number(comparison.pValue)),
            ("regressed_images", .array(comparison.regressedImages.prefix(Comparison.listedRegressions).map { image in
                .object([("index", .int(image.index)), ("label", .int(Int(image.label))),
                         ("before", .int(Int(image.before))), ("after", .int(Int(image.after)))])
            })),
        ])
    }

    /// `{"name", "value", "threshold", "passed"}`; `value` is `null` for a
    /// gate with nothing to measure (no images of the digit), which passes.
    static func gate(_ outcome: GateOutcome) -> JSONValue {
        .object([
            ("name", .string(outcome.name)),
            ("value", .number(outcome.value)),
            ("threshold", .number(outcome.threshold)),
            ("passed", .bool(outcome.passed)),
        ])
    }

    /// `{"true_digit", "predicted_digit", "count"}`: every nonzero
    /// off-diagonal cell in the order of `Metrics.topConfusions` (not cut to
    /// the text report's five). Not `"true"`, which older jq cannot address
    /// as `.true`, and not `"predicted"`, which in `per_class` is a count.
    static func confusion(_ cell: Confusion) -> JSONValue {
        .object([
            ("true_digit", .int(cell.trueLabel)),
            ("predicted_digit", .int(cell.predicted)),
            ("count", .int(cell.count)),
        ])
    }
}
