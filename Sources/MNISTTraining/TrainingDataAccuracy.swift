import MNISTNetwork

/// Accuracy of a network on a range of `TrainingData` images, through the
/// shared forward kernels (`DenseLayer.forward`) in blocks of rows that the
/// worker pool spreads over the threads. Rows are independent in the forward
/// kernel, so the answer does not depend on the blocking.
///
/// Not `MNISTEvaluation`'s `Evaluator`, on purpose: that one classifies the
/// bytes of an IDX file with the normalisation folded into the first layer
/// (`W/(255·std)`, `InferenceModel`); this one scores the network in the form
/// the trainer holds it, on pixels already scaled to 0...1 as it trained on
/// them. The two round differently in the last bits, and this accuracy is
/// written into the weights' metadata (`validation_accuracy`), so it must stay
/// the trainer's own for the shipped weights to be reproduced byte for byte.
struct TrainingDataAccuracy {
    let pool: WorkerPool
    static let blockRows = 250

    func accuracy(of network: Network, on data: TrainingData, range: Range<Int>) -> Double {
        data.pixels.withUnsafeBufferPointer { pixels in
            accuracy(of: network, pixels: pixels.baseAddress! + range.lowerBound * TrainingData.imageSize,
                     labels: Array(data.labels[range]))
        }
    }

    /// Accuracy on `labels.count` images at `pixels` (already preprocessed).
    func accuracy(of network: Network, pixels: UnsafePointer<UInt8>, labels: [UInt8]) -> Double {
        let range = 0..<labels.count
        guard !range.isEmpty else { return 0 }
        let blocks = (range.count + Self.blockRows - 1) / Self.blockRows
        let correct = UnsafeMutableBufferPointer<Int>.allocate(capacity: blocks)
        defer { correct.deallocate() }
        let widest = network.architecture.max()!
        do {
            pool.forEach(blocks) { block in
                let begin = range.lowerBound + block * Self.blockRows
                let rows = min(Self.blockRows, range.upperBound - begin)
                let a = UnsafeMutablePointer<Float>.allocate(capacity: rows * widest)
                let b = UnsafeMutablePointer<Float>.allocate(capacity: rows * widest)
                defer { a.deallocate(); b.deallocate() }
                let source = pixels + begin * TrainingData.imageSize
                for i in 0..<(rows * TrainingData.imageSize) { a[i] = Float(source[i]) * (1 / 255) }
                var (input, output) = (a, b)
                for (l, layer) in network.layers.enumerated() {
                    let activation = l == network.layers.count - 1 ? Activation.identity : network.hiddenActivation
                    // Pixels are ~80% zeros: skip them (same logits as the dense product).
                    layer.forward(input, rows: rows, into: output, activation: activation, sparseInput: l == 0)
                    swap(&input, &output)
                }
                let classes = network.outputCount
                var hits = 0
                for r in 0..<rows {
                    let logits = input + r * classes
                    var best = 0
                    for c in 1..<classes where logits[c] > logits[best] { best = c }
                    if best == Int(labels[begin + r]) { hits += 1 }
                }
                correct[block] = hits
            }
        }
        return Double(correct.reduce(0, +)) / Double(range.count)
    }
}
