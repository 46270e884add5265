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
}
