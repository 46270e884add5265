/// The plain, obviously-correct forward pass, written as the textbook writes it:
/// the image's preprocessing, `x = (p/255 - mean)/std`, then `h = f(x·W + b)`
/// layer by layer, then logits.
///
/// No folding, padding, sparsity or SIMD: the fast `BatchClassifier` is tested
/// against this on real images.
public enum ReferenceClassifier {
    /// Logits for one image of `network.inputCount` pixels.
    public static func logits(_ network: Network, pixels: some Collection<UInt8>) -> [Float] {
        precondition(pixels.count == network.inputCount, "one image at a time")
        let prepared = network.preprocessing == .none ? Array(pixels) : network.preprocessing.applied(to: Array(pixels))
        let input = prepared.map { (Float($0) / 255 - network.inputMean) / network.inputStd }
        return network.forward(input)
    }

    /// The predicted class: the first index of the largest logit.
    public static func predict(_ network: Network, pixels: some Collection<UInt8>) -> Int {
        let values = logits(network, pixels: pixels)
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}

extension Network {
    /// Forward pass of one already-transformed input vector: hidden layers apply
    /// `hiddenActivation`, the output layer is the identity (the logits).
    /// The textbook's 3-layer example is exactly this with sigmoid.
    public func forward(_ input: [Float]) -> [Float] {
        precondition(input.count == inputCount, "input must have \(inputCount) values")
        var x = input
        for (index, layer) in layers.enumerated() {
            var y = layer.bias
            for i in 0..<layer.inputs {
                for j in 0..<layer.outputs { y[j] += x[i] * layer.weights[i * layer.outputs + j] }
            }
            if index < layers.count - 1 { y = y.map { hiddenActivation($0) } }
            x = y
        }
        return x
    }
}
