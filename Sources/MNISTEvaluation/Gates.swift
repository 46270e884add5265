import MNISTPlumbing

/// The thresholds a run is gated on (`--min-accuracy`, `--max-drop` with
/// `--alpha`, `--min-recall`), kept in the result so that every report can
/// say how each gate went.
///
/// A value equal to its threshold passes: accuracy 0.985 passes
/// `--min-accuracy 0.985`, a drop of exactly 0.003 passes `--max-drop 0.003`.
public struct GateSettings: Sendable, Equatable {
    /// `--alpha`'s default: the conventional 5% level.
    public static let defaultAlpha = 0.05

    /// Fail below this accuracy (a fraction).
    public var minAccuracy: Double?
    /// Fail when the accuracy is more than this (a fraction) below the
    /// baseline's, and (unless `alpha` is 1) the drop is significant.
    public var maxDrop: Double?
    /// The significance level for `maxDrop`: fail only when McNemar's exact
    /// p-value is at most this. 1 gates on the drop alone.
    public var alpha = defaultAlpha
    /// Fail when any digit's recall is below this.
    public var minRecall: Double?
    /// Per digit, overriding `minRecall` for that digit.
    public var minRecallByDigit: [Int: Double] = [:]

    public init(minAccuracy: Double? = nil, maxDrop: Double? = nil, alpha: Double = defaultAlpha,
                minRecall: Double? = nil, minRecallByDigit: [Int: Double] = [:]) {
        self.minAccuracy = minAccuracy
        self.maxDrop = maxDrop
        self.alpha = alpha
        self.minRecall = minRecall
        self.minRecallByDigit = minRecallByDigit
    }

    /// The recall threshold for `digit`, if any.
    public func minRecall(for digit: Int) -> Double? { minRecallByDigit[digit] ?? minRecall }

    /// Whether `maxDrop` gates on the drop alone (`alpha` 1: every p-value is
    /// at most 1) rather than on the drop and its significance.
    public var gatesOnDropAlone: Bool { alpha >= 1 }
}

/// How one gate went: what the reports show as a line, a JSON object and a
/// JUnit test case.
public struct GateOutcome: Sendable, Equatable {
    /// `min-accuracy`, `max-drop` or `recall-<digit>`: stable across runs,
    /// so that CI systems can follow a test case's history.
    public let name: String
    /// The measured value (accuracy, drop, recall), or `nil` when there was
    /// nothing to measure (no images of a digit).
    public let value: Double?
    public let threshold: Double
    public let passed: Bool
    /// Not applicable to this run (no images of the digit); counts as passed.
    public let skipped: Bool
    /// One line saying what was measured against what, e.g.
    /// `accuracy 98.930% is below --min-accuracy 98.931%`.
    public let message: String

    public init(name: String, value: Double?, threshold: Double, passed: Bool, skipped: Bool = false, message: String) {
        self.name = name
        self.value = value
        self.threshold = threshold
        self.passed = passed
        self.skipped = skipped
        self.message = message
    }
}

extension EvaluationResult {
    /// Every gate set in `gates`, in the order min-accuracy, max-drop,
    /// recall-0 … recall-9. Empty without labels (the tool requires labels
    /// for any gate).
    public var gateOutcomes: [GateOutcome] {
        guard let metrics else { return [] }
        var outcomes: [GateOutcome] = []
        if let threshold = gates.minAccuracy {
            outcomes.append(Self.minAccuracyOutcome(metrics.accuracy, threshold))
        }
        if let threshold = gates.maxDrop {
            outcomes.append(Self.maxDropOutcome(comparison, threshold: threshold, alpha: gates.alpha))
        }
        for entry in metrics.perClass {
            if let threshold = gates.minRecall(for: entry.digit) {
                outcomes.append(Self.recallOutcome(entry, threshold))
            }
        }
        return outcomes
    }

    /// The gates that failed, in `gateOutcomes`' order.
    public var failedGates: [GateOutcome] { gateOutcomes.filter { !$0.passed } }

    static func minAccuracyOutcome(_ accuracy: Double, _ threshold: Double) -> GateOutcome {
        let passed = accuracy >= threshold
        let (value, limit) = passed ? NumberFormat.percentsCompared(accuracy, threshold)
            : NumberFormat.percentsApart(accuracy, threshold)
        let message = passed ? "accuracy \(value) is at least --min-accuracy \(limit)"
            : "accuracy \(value) is below --min-accuracy \(limit)"
        return GateOutcome(name: "min-accuracy", value: accuracy, threshold: threshold, passed: passed, message: message)
    }

    static func recallOutcome(_ entry: ClassMetrics, _ threshold: Double) -> GateOutcome {
        let name = "recall-\(entry.digit)"
        guard entry.support > 0 else {
            return GateOutcome(name: name, value: nil, threshold: threshold, passed: true, skipped: true,
                               message: "no images of digit \(entry.digit): its recall is not measured "
                                   + "(--min-recall \(NumberFormat.percent(threshold)))")
        }
        let passed = entry.recall >= threshold
        let (value, limit) = passed ? NumberFormat.percentsCompared(entry.recall, threshold)
            : NumberFormat.percentsApart(entry.recall, threshold)
        let counts = "(\(entry.truePositives)/\(entry.support))"
        let message = "recall of digit \(entry.digit) \(value) \(counts) is "
            + (passed ? "at least" : "below") + " --min-recall \(limit)"
        return GateOutcome(name: name, value: entry.recall, threshold: threshold, passed: passed, message: message)
    }

    /// Passes when the drop is at most the threshold, or when it is larger
    /// but McNemar's p-value is above `alpha` (not significant).
    static func maxDropOutcome(_ comparison: Comparison?, threshold: Double, alpha: Double) -> GateOutcome {
        guard let comparison else {
            return GateOutcome(name: "max-drop", value: nil, threshold: threshold, passed: false,
                               message: "no baseline to compare with (--max-drop needs --baseline or --baseline-weights)")
        }
        let drop = comparison.accuracyDrop
        let (dropText, limitText) = NumberFormat.pointsApart(abs(drop), threshold)
        let limit = "--max-drop \(limitText) points"
        guard drop > threshold else {
            let message = drop < 0 ? "accuracy rose \(dropText) points (\(limit))"
                : drop == 0 ? "accuracy did not change (\(limit))"
                : "accuracy fell \(dropText) points, not more than \(limit)"
            return GateOutcome(name: "max-drop", value: drop, threshold: threshold, passed: true, message: message)
        }
        let fell = "accuracy fell \(dropText) points, more than \(limit)"
        if alpha >= 1 {
            return GateOutcome(name: "max-drop", value: drop, threshold: threshold, passed: false,
                               message: "\(fell) (gated on the drop alone: --alpha 1)")
        }
        let p = comparison.pValue
        let pText = "McNemar " + NumberFormat.pValue(p, against: alpha)
        let significant = p <= alpha
        let message = significant ? "\(fell), and significantly: \(pText) ≤ --alpha \(NumberFormat.plain(alpha))"
            : "\(fell), but not significantly: \(pText) > --alpha \(NumberFormat.plain(alpha))"
        return GateOutcome(name: "max-drop", value: drop, threshold: threshold, passed: !significant, message: message)
    }
}
