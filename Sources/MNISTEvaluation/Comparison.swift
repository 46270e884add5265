/// The run compared image by image with a baseline: an earlier run's
/// predictions (`--baseline`) or a second network evaluated in the same pass
/// (`--baseline-weights`).
///
/// Counts only, folded in as the images stream past (like `PredictionTally`),
/// plus the first few regressed images: memory does not grow with the number
/// of images. The reports derive everything else (accuracies, their
/// difference and its interval, McNemar's p-value) from these counts.
public struct Comparison: Sendable, Equatable {
    /// Where the baseline's predictions came from.
    public enum Source: Sendable, Equatable {
        /// A predictions CSV written by `--predictions`.
        case predictions
        /// A network, described as the run's own is.
        case weights(architecture: [Int], activation: String, inputMean: Float, inputStd: Float)
    }

    /// How many regressed images the reports list (text, JSON, summary).
    public static let listedRegressions = 10

    /// The baseline file, as given.
    public var baselinePath: String
    public var source: Source
    /// The baseline's predictions against the labels.
    public private(set) var baselineTally: PredictionTally
    /// Images the baseline got right and this run gets wrong.
    public private(set) var regressions = 0
    /// Images the baseline got wrong and this run gets right.
    public private(set) var fixes = 0
    /// Images both got right.
    public private(set) var bothRight = 0
    /// The first regressed images, in image order; as many as the evaluator
    /// was asked to keep (at least `listedRegressions` when there are that many).
    public var regressedImages: [RegressedImage] = []

    public init(baselinePath: String, source: Source, classCount: Int) {
        self.baselinePath = baselinePath
        self.source = source
        baselineTally = PredictionTally(classCount: classCount, labeled: true)
    }

    /// A comparison of whole arrays (tests, tools that classify in memory);
    /// keeps every regressed image, without pixels.
    public init(baselinePath: String, source: Source, classCount: Int,
                labels: [UInt8], predictions: [UInt8], baseline: [UInt8]) {
        precondition(labels.count == predictions.count && labels.count == baseline.count, "one of each per image")
        self.init(baselinePath: baselinePath, source: source, classCount: classCount)
        for index in labels.indices {
            let regressed = add(label: labels[index], predicted: predictions[index], before: baseline[index])
            if regressed {
                regressedImages.append(RegressedImage(index: index, label: labels[index], before: baseline[index],
                                                      after: predictions[index], confidence: 0, pixels: []))
            }
        }
    }

    /// Counts one image; returns whether it regressed (the caller keeps it
    /// in `regressedImages` if it wants).
    @discardableResult
    public mutating func add(label: UInt8, predicted: UInt8, before: UInt8) -> Bool {
        baselineTally.add(predicted: before, label: label)
        let rightBefore = before == label, rightNow = predicted == label
        if rightBefore && rightNow {
            bothRight += 1
        } else if rightBefore {
            regressions += 1
            return true
        } else if rightNow {
            fixes += 1
        }
        return false
    }
}

extension Comparison {
    /// Images compared.
    public var images: Int { baselineTally.images }

    /// The baseline's metrics against the labels.
    public var baselineMetrics: Metrics { Metrics(confusion: baselineTally.confusion!) }

    /// Images both got wrong (whether with the same answer or not).
    public var bothWrong: Int { images - bothRight - regressions - fixes }

    /// This run's accuracy minus the baseline's, in −1...1: one division of
    /// a count, so that a difference equal to a threshold compares equal.
    public var accuracyDelta: Double { Metrics.ratio(fixes - regressions, images) }

    /// How far the accuracy fell, in −1...1 (negative when it rose).
    public var accuracyDrop: Double { Metrics.ratio(regressions - fixes, images) }

    /// The 95% interval of `accuracyDelta` for paired proportions.
    public var accuracyDeltaCI95: ConfidenceInterval {
        PairedDifference.newcombe95(bothRight: bothRight, nowOnly: fixes, beforeOnly: regressions, bothWrong: bothWrong)
    }

    /// McNemar's exact two-sided p-value on the regressions and fixes.
    public var pValue: Double { McNemar.exactPValue(regressions, fixes) }

    /// What the reports call the baseline: `prev.csv (predictions CSV)`, or
    /// `old.safetensors (784-100-10, relu, mean 0.0, std 1.0)`.
    public var baselineDescription: String {
        switch source {
        case .predictions:
            return "\(baselinePath) (predictions CSV)"
        case .weights(let architecture, let activation, let mean, let std):
            let shape = architecture.map(String.init).joined(separator: "-")
            return "\(baselinePath) (\(shape), \(activation), mean \(mean), std \(std))"
        }
    }
}

/// An image the baseline got right and this run gets wrong.
public struct RegressedImage: Sendable, Equatable {
    public var index: Int
    public var label: UInt8
    /// The baseline's prediction (the label: it was right).
    public var before: UInt8
    /// This run's prediction.
    public var after: UInt8
    /// Softmax probability of `after`.
    public var confidence: Float
    /// `[28 * 28]`, 255 = ink; empty when not kept.
    public var pixels: [UInt8]

    public init(index: Int, label: UInt8, before: UInt8, after: UInt8, confidence: Float, pixels: [UInt8]) {
        self.index = index
        self.label = label
        self.before = before
        self.after = after
        self.confidence = confidence
        self.pixels = pixels
    }
}
