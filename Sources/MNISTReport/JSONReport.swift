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
    /// `seconds`, `images_per_second`, `threads`, `batch_size`.
    /// Without labels, `labels_path`, `correct`, `accuracy`, `accuracy_ci95`,
    /// `per_class`, `top_confusions` and `confusion` are `null`.
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
            ("images", .int(result.tally.images)),
            ("correct", metrics.map { .int($0.correct) } ?? .null),
            ("accuracy", .number(metrics?.accuracy)),
            ("accuracy_ci95", metrics.map { .array([.number($0.wilson95.lower), .number($0.wilson95.upper)]) } ?? .null),
            ("collapsed_class", result.collapsedClass.map { .int($0) } ?? .null),
            ("predicted_histogram", .ints(result.predictedHistogram)),
            ("per_class", metrics.map { .array($0.perClass.map(perClass)) } ?? .null),
            ("top_confusions", metrics.map { .array($0.topConfusions.map(confusion)) } ?? .null),
            ("confusion", metrics.map { .array($0.confusion.map(JSONValue.ints)) } ?? .null),
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
