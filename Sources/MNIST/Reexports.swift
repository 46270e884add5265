import MNISTData
import MNISTEvaluation
import MNISTNetwork
import MNISTReport

/// The outcome of ``Classifier/evaluate(images:labels:)``: the inputs, the
/// network, the predictions per class and, with labels, the metrics.
public typealias EvaluationResult = MNISTEvaluation.EvaluationResult

/// Accuracy with its 95% interval, confusion matrix, and per-class
/// precision, recall and F1 of an evaluation with labels.
public typealias Metrics = MNISTEvaluation.Metrics

/// A dense network: its layers, hidden activation and input normalisation.
public typealias Network = MNISTNetwork.Network

/// Why a weights file could not be loaded, with its path and byte offset.
public typealias WeightsError = MNISTNetwork.WeightsError

/// Why an images or labels file could not be read, with its path and byte offset.
public typealias DataError = MNISTData.DataError

extension EvaluationResult {
    /// The report `mnist-eval` prints for this result.
    public var textReport: String { TextReport.render(self) }

    /// The JSON object `mnist-eval --format json` prints for this result.
    public var jsonReport: String { JSONReport.render(self) }
}
