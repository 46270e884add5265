/// A stack of dense layers: every hidden layer applies `hiddenActivation`, the
/// last layer's output is the logits (softmax gives probabilities).
///
/// The input transform is `x = (p / 255 - inputMean) / inputStd`, where `p` is
/// the pixel after `preprocessing` (the pixel itself for `.none`).
public struct Network: Sendable, Equatable {
    public var layers: [DenseLayer]
    public var hiddenActivation: Activation
    public var inputMean: Float
    public var inputStd: Float
    /// What is done to each 28×28 image before the input transform.
    public var preprocessing: Preprocessing

    public init(layers: [DenseLayer], hiddenActivation: Activation, inputMean: Float = 0, inputStd: Float = 1,
                preprocessing: Preprocessing = .none) {
        precondition(preprocessing == .none || layers.first?.inputs == Preprocessing.side * Preprocessing.side,
                     "preprocessing works on 28×28 images")
        precondition(!layers.isEmpty, "a network needs at least one layer")
        for (previous, next) in zip(layers, layers.dropFirst()) {
            precondition(previous.outputs == next.inputs, "layer shapes must chain")
        }
        self.layers = layers
        self.hiddenActivation = hiddenActivation
        self.inputMean = inputMean
        self.inputStd = inputStd
        self.preprocessing = preprocessing
    }

    public var inputCount: Int { layers[0].inputs }
    public var outputCount: Int { layers[layers.count - 1].outputs }

    /// Layer widths from input to output, e.g. `[784, 100, 10]`.
    public var architecture: [Int] { [inputCount] + layers.map(\.outputs) }

    /// `784-100-10`.
    public var architectureDescription: String { architecture.map(String.init).joined(separator: "-") }
}
