import Glibc

/// The output layer's softmax, overflow-safe: the maximum is subtracted before
/// exponentiating, so `[1010, 1000, 990]` gives finite probabilities.
public enum Softmax {
    public static func probabilities(_ logits: [Float]) -> [Float] {
        logits.withUnsafeBufferPointer { buffer in
            var out = [Float](repeating: 0, count: logits.count)
            out.withUnsafeMutableBufferPointer { probabilities(buffer, into: $0) }
            return out
        }
    }

    public static func probabilities(_ logits: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
        guard let largest = logits.max() else { return }
        var sum: Float = 0
        for i in logits.indices {
            let e = expf(logits[i] - largest)
            out[i] = e
            sum += e
        }
        for i in logits.indices { out[i] /= sum }
    }

    /// The first index of the largest logit, and its softmax probability,
    /// without materialising the whole distribution.
    public static func argmaxAndProbability(_ logits: UnsafeBufferPointer<Float>) -> (index: Int, probability: Float) {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        let largest = logits[best]
        var sum: Float = 0
        for value in logits { sum += expf(value - largest) }
        return (best, 1 / sum)
    }
}
