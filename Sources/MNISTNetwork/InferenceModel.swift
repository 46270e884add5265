/// A network rearranged once for fast inference on raw `uint8` pixels.
///
/// - The input transform is folded into the first layer: with
///   `x = (p/255 - mean)/std`, `x·W + b = p·W' + b'` where `W' = W / (255·std)` and
///   `b' = b - (mean/std)·Σₖ W[k, :]`. A zero pixel then contributes exactly
///   nothing, so the first layer only visits non-zero pixels (about 19% of
///   MNIST's), whatever `mean` is.
/// - Every layer's output width is padded to a multiple of 8 (one `SIMD8<Float>`),
///   with zero weights and bias in the padding; the next layer's rows for padded
///   inputs are zero, so padding never changes a result.
public struct InferenceModel: Sendable {
    public struct Layer: Sendable {
        public let inputs: Int          // padded width of the previous layer (or 784 for the first)
        public let outputs: Int         // true width
        public let paddedOutputs: Int   // multiple of 8
        public let weights: [Float]     // [inputs, paddedOutputs]
        public let bias: [Float]        // [paddedOutputs]
    }

    public let network: Network
    public let layers: [Layer]
    public var classCount: Int { network.outputCount }
    /// The widest padded layer: the size of a row of scratch space.
    public let maxPaddedWidth: Int

    public init(_ network: Network) {
        self.network = network
        var layers: [Layer] = []
        var previousPadded = network.inputCount
        for (index, layer) in network.layers.enumerated() {
            let padded = (layer.outputs + 7) & ~7
            var weights = [Float](repeating: 0, count: previousPadded * padded)
            var bias = [Float](repeating: 0, count: padded)
            for j in 0..<layer.outputs { bias[j] = layer.bias[j] }
            // Row by row through the source (it is [inputs, outputs], row-major);
            // each column's sum still adds its rows in order k = 0, 1, ... Only the
            // first layer is scaled (× 1 is exact for the others).
            let scale: Float = index == 0 ? 1 / (255 * network.inputStd) : 1
            var columnSums = [Float](repeating: 0, count: layer.outputs)
            layer.weights.withUnsafeBufferPointer { source in
                weights.withUnsafeMutableBufferPointer { target in
                    columnSums.withUnsafeMutableBufferPointer { sums in
                        for k in 0..<layer.inputs {
                            let row = source.baseAddress! + k * layer.outputs, out = target.baseAddress! + k * padded
                            for j in 0..<layer.outputs {
                                let w = row[j]
                                out[j] = w * scale
                                sums[j] += w
                            }
                        }
                    }
                }
            }
            if index == 0 {
                let shift = network.inputMean / network.inputStd
                for j in 0..<layer.outputs { bias[j] -= shift * columnSums[j] }
            }
            layers.append(Layer(inputs: previousPadded, outputs: layer.outputs, paddedOutputs: padded,
                                weights: weights, bias: bias))
            previousPadded = padded
        }
        self.layers = layers
        self.maxPaddedWidth = layers.map(\.paddedOutputs).max()!
    }
}
