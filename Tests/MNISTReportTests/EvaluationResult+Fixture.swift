@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport

/// Tiny results for the report tests, built in the test rather than read
/// from files so each test shows every value it depends on.
extension EvaluationResult {
    static func fixture(
        predictions: [UInt8],
        labels: [UInt8]?,
        labelsPath: String? = "data/t10k-labels-idx1-ubyte.gz",
        seconds: Double = 0.041,
        threads: Int = 2
    ) -> EvaluationResult {
        EvaluationResult(
            imagesPath: "data/t10k-images-idx3-ubyte.gz",
            labelsPath: labels == nil ? nil : labelsPath,
            weightsPath: "weights/mnist-784-100-10.safetensors",
            architecture: [784, 100, 10],
            activation: "relu",
            inputMean: 0.1307,
            inputStd: 0.3081,
            predictions: predictions,
            labels: labels,
            seconds: seconds,
            threads: threads,
            batchSize: 256
        )
    }

    /// 20 images, two of each digit; predictions right except that one 4 is
    /// read as 9, one 7 as 1 and one 9 as 4 (17/20 correct).
    static var twentyLabelled: EvaluationResult {
        let labels: [UInt8] = (0..<20).map { UInt8($0 % 10) }
        var predictions = labels
        predictions[4] = 9
        predictions[7] = 1
        predictions[19] = 4
        return fixture(predictions: predictions, labels: labels)
    }

    /// `twentyLabelled` compared with a baseline that was right on images 4
    /// and 19 (regressions), wrong on 0 and 1 (fixes) and, like this run,
    /// wrong on 7: 17/20 both, a difference of 0.
    static var twentyCompared: EvaluationResult {
        var result = twentyLabelled
        let labels: [UInt8] = (0..<20).map { UInt8($0 % 10) }
        var baseline = labels
        baseline[0] = 6
        baseline[1] = 7
        baseline[7] = 2
        result.comparison = Comparison(baselinePath: "runs/main.csv", source: .predictions, classCount: 10,
                                       labels: labels, predictions: predictionsOfTwenty, baseline: baseline)
        return result
    }

    /// The predictions of `twentyLabelled`.
    static var predictionsOfTwenty: [UInt8] {
        var predictions: [UInt8] = (0..<20).map { UInt8($0 % 10) }
        predictions[4] = 9
        predictions[7] = 1
        predictions[19] = 4
        return predictions
    }

    /// 1,000 images, a hundred of each digit; the baseline got every one
    /// right, this run gets the first twelve wrong (each read as the next
    /// digit): a drop of 1.2 points, McNemar p = 2/2¹² = 0.00048828125.
    static func thousandDropped(gates: GateSettings = GateSettings()) -> EvaluationResult {
        let labels: [UInt8] = (0..<1000).map { UInt8($0 % 10) }
        var predictions = labels
        for index in 0..<12 { predictions[index] = UInt8((index + 1) % 10) }
        var result = fixture(predictions: predictions, labels: labels)
        result.comparison = Comparison(baselinePath: "old.safetensors",
                                       source: .weights(architecture: [784, 100, 10], activation: "relu", inputMean: 0, inputStd: 1),
                                       classCount: 10, labels: labels, predictions: predictions, baseline: labels)
        result.gates = gates
        return result
    }
}
