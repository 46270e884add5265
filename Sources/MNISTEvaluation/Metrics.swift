/// Accuracy and per-class figures for predictions against true labels.
///
/// Everything a report shows is computed here once, so the text and JSON
/// reports cannot disagree. Ratios whose denominator is zero (a class never
/// predicted, never present, or an empty run) are defined as 0 rather than
/// NaN: JSON has no NaN, and 0 is the honest score for "no evidence".
public struct Metrics: Sendable, Equatable {
    /// Number of images scored.
    public let images: Int
    /// Number of images whose prediction equals the label.
    public let correct: Int
    /// `correct / images` as a fraction in 0...1 (0 when there are no images).
    public let accuracy: Double
    /// 95% Wilson score interval of the accuracy; (0, 1) when there are no images.
    public let wilson95: ConfidenceInterval
    /// Counts indexed `[true][predicted]`, `classCount × classCount`.
    public let confusion: [[Int]]
    /// One entry per class, in class order.
    public let perClass: [ClassMetrics]
    /// All nonzero off-diagonal cells of `confusion`, most frequent first, ties
    /// broken by true class then predicted class (both ascending) so the order
    /// is total and the reports are stable.
    public let topConfusions: [Confusion]
    /// The class the predictions collapsed onto, if any
    /// (see `collapsedClass(predicted:truth:)` for the rule).
    public let collapsedClass: Int?

    /// Scores `predictions` against `labels`.
    ///
    /// - Precondition: both arrays have the same count and every value is
    ///   below `classCount`; the evaluation pipeline guarantees this, so a
    ///   violation is a programming error, not bad input.
    public init(predictions: [UInt8], labels: [UInt8], classCount: Int = 10) {
        precondition(predictions.count == labels.count,
                     "predictions (\(predictions.count)) and labels (\(labels.count)) differ in count")
        self.init(confusion: PredictionTally(predictions: predictions, labels: labels, classCount: classCount).confusion!)
    }

    /// Metrics from a confusion matrix, `[true][predicted]` counts.
    public init(confusion: [[Int]]) {
        let classCount = confusion.count
        precondition(classCount > 0 && confusion.allSatisfy { $0.count == classCount }, "confusion must be square")
        let correct = (0..<classCount).reduce(0) { $0 + confusion[$1][$1] }
        let images = confusion.reduce(0) { $0 + $1.reduce(0, +) }
        let support = confusion.map { $0.reduce(0, +) }
        let predicted = (0..<classCount).map { column in confusion.reduce(0) { $0 + $1[column] } }

        self.images = images
        self.correct = correct
        self.accuracy = Metrics.ratio(correct, images)
        self.wilson95 = .wilson95(successes: correct, trials: images)
        self.confusion = confusion
        self.perClass = (0..<classCount).map { digit in
            ClassMetrics(digit: digit, truePositives: confusion[digit][digit],
                         support: support[digit], predicted: predicted[digit])
        }
        self.topConfusions = Metrics.offDiagonal(confusion)
        self.collapsedClass = Metrics.collapsedClass(predicted: predicted, truth: support)
    }

    /// `numerator / denominator`, with 0/0 (and x/0) defined as 0.
    public static func ratio(_ numerator: Int, _ denominator: Int) -> Double {
        denominator == 0 ? 0 : Double(numerator) / Double(denominator)
    }

    /// The nonzero off-diagonal cells in the documented order.
    static func offDiagonal(_ confusion: [[Int]]) -> [Confusion] {
        var cells: [Confusion] = []
        for (trueLabel, row) in confusion.enumerated() {
            for (predicted, count) in row.enumerated() where predicted != trueLabel && count > 0 {
                cells.append(Confusion(trueLabel: trueLabel, predicted: predicted, count: count))
            }
        }
        return cells.sorted {
            ($1.count, $0.trueLabel, $0.predicted) < ($0.count, $1.trueLabel, $1.predicted)
        }
    }
}

/// Precision, recall and F1 of one class, with the counts behind them.
public struct ClassMetrics: Sendable, Equatable {
    public let digit: Int
    /// Images of this class predicted as it.
    public let truePositives: Int
    /// Of the images predicted as this class, the fraction that were (0 if none were predicted).
    public let precision: Double
    /// Of the images of this class, the fraction predicted as it (0 if the class is absent).
    public let recall: Double
    /// Harmonic mean of precision and recall (0 when both are 0).
    public let f1: Double
    /// Number of images whose true class is this one.
    public let support: Int
    /// Number of images predicted as this class.
    public let predicted: Int

    public init(digit: Int, truePositives: Int, support: Int, predicted: Int) {
        self.digit = digit
        self.truePositives = truePositives
        self.support = support
        self.predicted = predicted
        self.precision = Metrics.ratio(truePositives, predicted)
        self.recall = Metrics.ratio(truePositives, support)
        let sum = precision + recall
        self.f1 = sum == 0 ? 0 : 2 * precision * recall / sum
    }
}

/// One off-diagonal cell of the confusion matrix: `count` images of class
/// `trueLabel` were predicted as `predicted`.
public struct Confusion: Sendable, Equatable {
    public let trueLabel: Int
    public let predicted: Int
    public let count: Int

    public init(trueLabel: Int, predicted: Int, count: Int) {
        self.trueLabel = trueLabel
        self.predicted = predicted
        self.count = count
    }
}
