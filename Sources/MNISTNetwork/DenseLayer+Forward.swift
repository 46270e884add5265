extension DenseLayer {
    /// `y[rows, outputs] = activation(x[rows, inputs] · W + b)`.
    ///
    /// The general-purpose forward pass, used by the trainer and by any layer
    /// stack; `BatchClassifier` has a faster path specialised for the input layer.
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int,
        into y: UnsafeMutablePointer<Float>, activation: Activation
    ) {
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                Kernels.matmulBias(x, w.baseAddress!, b.baseAddress!, y, m: rows, n: outputs, k: inputs)
            }
        }
        Kernels.apply(activation, y, count: rows * outputs)
    }
}
