extension DenseLayer {
    /// `y[rows, outputs] = activation(x[rows, inputs] · W + b)`.
    ///
    /// The general-purpose forward pass, used by the trainer and by any layer
    /// stack; `BatchClassifier` has a faster path specialised for the input layer.
    ///
    /// `sparseInput`: `x` is mostly exact zeros (an input layer of images); the
    /// zero terms are skipped, with the same result (`Kernels.matmulBiasSkippingZeros`).
    public func forward(
        _ x: UnsafePointer<Float>, rows: Int,
        into y: UnsafeMutablePointer<Float>, activation: Activation, sparseInput: Bool = false
    ) {
        weights.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                if sparseInput {
                    Kernels.matmulBiasSkippingZeros(x, w.baseAddress!, b.baseAddress!, y, m: rows, n: outputs, k: inputs)
                } else {
                    Kernels.matmulBias(x, w.baseAddress!, b.baseAddress!, y, m: rows, n: outputs, k: inputs)
                }
            }
        }
        Kernels.apply(activation, y, count: rows * outputs)
    }
}
