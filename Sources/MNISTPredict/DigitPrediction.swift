import MNISTNetwork

/// What the network says about one image: the digit, its probability, the
/// three most likely digits, and the 28×28 input it was computed from (for
/// `--show`).
public struct DigitPrediction: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var digit: Int
        public var probability: Float
    }

    public var file: String
    /// `[28 * 28]`, 255 = ink: what the network actually classified.
    public var input: [UInt8]
    /// Every class's softmax probability, indexed by digit.
    public var probabilities: [Float]

    public init(file: String, input: [UInt8], probabilities: [Float]) {
        self.file = file
        self.input = input
        self.probabilities = probabilities
    }

    /// Digits by falling probability; ties keep the lower digit first, as
    /// `mnist-eval`'s argmax does.
    public var ranked: [Candidate] {
        probabilities.enumerated()
            .map { Candidate(digit: $0.offset, probability: $0.element) }
            .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.digit < $1.digit }
    }

    public var predicted: Int { ranked[0].digit }
    public var probability: Float { ranked[0].probability }

    /// Below this probability an answer is flagged as low confidence: the
    /// network gives it less than even odds. Of the shipped network's 60,000
    /// answers on the training set, 121 were below it and 67 of those were
    /// wrong, against 0.8% of the rest.
    public static let lowConfidence: Float = 0.5

    /// Whether `probability` is below `lowConfidence`.
    public var isLowConfidence: Bool { probability < Self.lowConfidence }
    public var top3: [Candidate] { Array(ranked.prefix(3)) }
}

extension DigitPrediction {
    /// Classifies prepared inputs (`[28 * 28]` each, 255 = ink) with the same
    /// fast classifier `mnist-eval` uses, so a digit gets the same answer
    /// from both tools.
    public static func classify(_ inputs: [(file: String, pixels: [UInt8])], network: Network) -> [DigitPrediction] {
        guard !inputs.isEmpty else { return [] }
        let classifier = BatchClassifier(network: network, threads: 1)
        let classes = network.outputCount
        let pixels = inputs.flatMap(\.pixels)
        var predictions = [UInt8](repeating: 0, count: inputs.count)
        var confidences = [Float](repeating: 0, count: inputs.count)
        var logits = [Float](repeating: 0, count: inputs.count * classes)
        pixels.withUnsafeBufferPointer { input in
            predictions.withUnsafeMutableBufferPointer { p in
                confidences.withUnsafeMutableBufferPointer { c in
                    logits.withUnsafeMutableBufferPointer { l in
                        classifier.classify(input, count: inputs.count,
                                            into: BatchClassifier.Outputs(predictions: p, confidences: c, logits: l))
                    }
                }
            }
        }
        return inputs.enumerated().map { n, item in
            let row = Array(logits[(n * classes)..<((n + 1) * classes)])
            return DigitPrediction(file: item.file, input: item.pixels, probabilities: Softmax.probabilities(row))
        }
    }
}
