/// The network's answer for one image.
public struct Prediction: Sendable, Equatable {
    /// The most probable digit, 0…9 (the lower digit on a tie).
    public let digit: Int
    /// Each digit's softmax probability, indexed by digit; they sum to 1.
    public let probabilities: [Float]

    /// The probability of ``digit``: how sure the network is.
    public var confidence: Float { probabilities[digit] }

    /// Creates a prediction from the winning digit and every digit's probability.
    public init(digit: Int, probabilities: [Float]) {
        self.digit = digit
        self.probabilities = probabilities
    }
}
