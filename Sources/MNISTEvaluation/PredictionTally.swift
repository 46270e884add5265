/// Everything the reports need from the per-image predictions, as counts:
/// folded in while the images stream past, so an evaluation's memory does not
/// grow with the number of images.
public struct PredictionTally: Sendable, Equatable {
    public let classCount: Int
    public private(set) var images = 0
    /// Images predicted as each class.
    public private(set) var predictedHistogram: [Int]
    /// `[true][predicted]` counts; `nil` when the run had no labels.
    public private(set) var confusion: [[Int]]?

    public init(classCount: Int, labeled: Bool) {
        precondition(classCount > 0, "classCount must be positive")
        self.classCount = classCount
        predictedHistogram = [Int](repeating: 0, count: classCount)
        confusion = labeled ? [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount) : nil
    }

    /// The tally of whole arrays, for results built by hand (tests, tools).
    public init(predictions: [UInt8], labels: [UInt8]?, classCount: Int) {
        precondition(labels.map { $0.count == predictions.count } ?? true, "one label per prediction")
        self.init(classCount: classCount, labeled: labels != nil)
        for (index, predicted) in predictions.enumerated() { add(predicted: predicted, label: labels?[index]) }
    }

    /// Counts one image. `label` must be given exactly when the tally is labeled.
    public mutating func add(predicted: UInt8, label: UInt8?) {
        precondition(Int(predicted) < classCount, "class \(predicted) out of range 0..<\(classCount)")
        precondition((label == nil) == (confusion == nil), "labels for every image or for none")
        images += 1
        predictedHistogram[Int(predicted)] += 1
        if let label {
            precondition(Int(label) < classCount, "label \(label) out of range 0..<\(classCount)")
            confusion![Int(label)][Int(predicted)] += 1
        }
    }
}
