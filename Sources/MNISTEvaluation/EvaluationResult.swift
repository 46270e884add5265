/// What one evaluation run produced: where the inputs came from, how the
/// network was built, what it predicted and how long it took.
///
/// The evaluation pipeline fills this in; the text, JSON and CSV reports only
/// read it. Keeping the reports pure functions of this value is what makes
/// them testable with tiny hand-made fixtures and keeps their output stable.
public struct EvaluationResult: Sendable {
    /// Path of the IDX image file that was classified.
    public var imagesPath: String
    /// Path of the IDX label file; `nil` when there were no labels, in which
    /// case the reports show the predicted-class histogram instead of accuracy.
    public var labelsPath: String?
    /// Where the labels were looked for when none were given or found
    /// (`LabelsLocator`), for the report to say; empty otherwise.
    public var labelsLookedFor: [String] = []
    /// Path of the safetensors weights file.
    public var weightsPath: String
    /// Layer widths from input to output, e.g. `[784, 100, 10]`.
    public var architecture: [Int]
    /// Name of the hidden-layer activation, e.g. `"relu"`.
    public var activation: String
    /// Normalisation applied to pixels before the first layer: `(x - mean) / std`.
    public var inputMean: Float
    public var inputStd: Float
    /// What the network does to each image first (`Preprocessing`'s name):
    /// `none` for weights that do not say.
    public var preprocessing = "none"
    /// The predictions, counted per class (and against the labels when there
    /// are any). Per-image rows go to `PredictionsCSV` as they stream past.
    public var tally: PredictionTally
    /// Wall time of reading and classifying, in seconds.
    public var seconds: Double
    public var threads: Int
    public var batchSize: Int
    /// Pixels of the first misclassified images, in image order, when the
    /// evaluator was asked to keep them (`Evaluator.keepMisclassified`).
    public var misclassifiedImages: [RetainedImage] = []
    /// The run compared with a baseline (`Evaluator.baseline`), or `nil`.
    public var comparison: Comparison?
    /// The thresholds the run is gated on; the reports show each gate's
    /// outcome (`gateOutcomes`). Set by the caller: gating is not evaluating.
    public var gates = GateSettings()

    /// Number of classes: the width of the network's output layer (10 for
    /// MNIST). Falls back to 10 when the architecture is empty, so a report can
    /// still be written for a result that was filled in only partly.
    public var classCount: Int { Self.classCount(of: architecture) }

    static func classCount(of architecture: [Int]) -> Int { architecture.last.map { max($0, 1) } ?? 10 }

    public init(
        imagesPath: String,
        labelsPath: String?,
        weightsPath: String,
        architecture: [Int],
        activation: String,
        inputMean: Float,
        inputStd: Float,
        tally: PredictionTally,
        seconds: Double,
        threads: Int,
        batchSize: Int
    ) {
        self.imagesPath = imagesPath
        self.labelsPath = labelsPath
        self.weightsPath = weightsPath
        self.architecture = architecture
        self.activation = activation
        self.inputMean = inputMean
        self.inputStd = inputStd
        self.tally = tally
        self.seconds = seconds
        self.threads = threads
        self.batchSize = batchSize
    }

    /// A result from whole arrays (tests and tools that classify in memory).
    public init(
        imagesPath: String,
        labelsPath: String?,
        weightsPath: String,
        architecture: [Int],
        activation: String,
        inputMean: Float,
        inputStd: Float,
        predictions: [UInt8],
        labels: [UInt8]?,
        seconds: Double,
        threads: Int,
        batchSize: Int
    ) {
        let classCount = Self.classCount(of: architecture)
        self.init(imagesPath: imagesPath, labelsPath: labelsPath, weightsPath: weightsPath,
                  architecture: architecture, activation: activation, inputMean: inputMean, inputStd: inputStd,
                  tally: PredictionTally(predictions: predictions, labels: labels, classCount: classCount),
                  seconds: seconds, threads: threads, batchSize: batchSize)
    }
}

extension EvaluationResult {
    /// Metrics against the labels, or `nil` when the run had no labels.
    public var metrics: Metrics? {
        tally.confusion.map { Metrics(confusion: $0) }
    }

    /// How many images were predicted as each class, indexed by class.
    public var predictedHistogram: [Int] {
        tally.predictedHistogram
    }

    /// The class predictions collapsed onto, judged from labels when there
    /// are any and from the prediction share alone otherwise
    /// (see `Metrics.collapsedClass(predicted:truth:)`).
    public var collapsedClass: Int? {
        if let metrics { return metrics.collapsedClass }
        return Metrics.collapsedClass(predicted: predictedHistogram, truth: nil)
    }

    /// Images classified per second, or `nil` when no time was measured
    /// (a zero or negative duration would give infinity or nonsense).
    public var imagesPerSecond: Double? {
        guard seconds > 0, seconds.isFinite else { return nil }
        return Double(tally.images) / seconds
    }
}

/// One misclassified image kept from an evaluation run: its index in the
/// file, what it is and what the network said, and its pixels.
public struct RetainedImage: Sendable, Equatable {
    public var index: Int
    public var label: UInt8
    public var predicted: UInt8
    /// Softmax probability of `predicted`.
    public var confidence: Float
    /// `[28 * 28]`, 0...255, 255 = ink (as stored in the IDX file).
    public var pixels: [UInt8]

    public init(index: Int, label: UInt8, predicted: UInt8, confidence: Float, pixels: [UInt8]) {
        self.index = index
        self.label = label
        self.predicted = predicted
        self.confidence = confidence
        self.pixels = pixels
    }
}
