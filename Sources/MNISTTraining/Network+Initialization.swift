import MNISTNetwork

extension Network {
    /// A freshly initialised stack for training, biases zero.
    ///
    /// Hidden layers with ReLU get He normal weights (`std = √(2 / fan_in)`),
    /// which keeps the activations' variance roughly constant through the
    /// layers when half the units are zero; sigmoid, tanh and identity get
    /// Glorot uniform (`±√(6 / (fan_in + fan_out))`), made for symmetric
    /// activations. The output layer feeds softmax, not an activation, and gets
    /// Glorot uniform in both cases. Layers are drawn in order from one stream.
    public static func initialized(architecture: [Int], activation: Activation, seed: UInt64) -> Network {
        precondition(architecture.count >= 2, "need an input and an output width")
        var generator = SeededGenerator(seed: seed, stream: RandomStream.initialisation)
        var layers: [DenseLayer] = []
        for l in 0..<(architecture.count - 1) {
            let (fanIn, fanOut) = (architecture[l], architecture[l + 1])
            let isOutput = l == architecture.count - 2
            var weights = [Float](repeating: 0, count: fanIn * fanOut)
            if activation == .relu && !isOutput {
                let std = (2.0 / Double(fanIn)).squareRoot()
                for i in weights.indices { weights[i] = Float(generator.nextNormal() * std) }
            } else {
                let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
                for i in weights.indices { weights[i] = generator.symmetric(limit) }
            }
            layers.append(DenseLayer(inputs: fanIn, outputs: fanOut, weights: weights,
                                     bias: [Float](repeating: 0, count: fanOut)))
        }
        return Network(layers: layers, hiddenActivation: activation, inputMean: 0, inputStd: 1)
    }
}

/// The purposes random numbers are drawn for; each gets its own stream of the seed.
enum RandomStream {
    static let initialisation: UInt64 = 1
    static let shuffle: UInt64 = 2
    static let augmentation: UInt64 = 3
    static let corruption: UInt64 = 4
    /// The validation images' corruptions: drawn from `validationSeed`, not the
    /// recipe's seed, so every recipe is measured on the same images.
    static let validationCorruption: UInt64 = 5
    static let validationSeed: UInt64 = 0x5641_4C49_4441_5445  // "VALIDATE"
}
