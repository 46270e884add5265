import MNISTData
import MNISTNetwork
import TestSupport

/// A temporary folder holding a small MNIST-style data set and weights.
typealias Fixture = TemporaryDirectory

extension TemporaryDirectory {
    /// IDX bytes: magic 00 00 08 NN, big-endian dimensions, data.
    static func idx(_ dimensions: [Int], _ data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { bytes += [UInt8(d >> 24 & 0xFF), UInt8(d >> 16 & 0xFF), UInt8(d >> 8 & 0xFF), UInt8(d & 0xFF)] }
        return bytes + data
    }

    /// The first `count` t10k images and labels, gzip-compressed, named like MNIST's files.
    func writeSubset(count: Int, prefix: String = "subset") throws {
        let reader = try IDXImageReader(path: Repository.root + "/Data/t10k-images-idx3-ubyte.gz")
        var pixels = [UInt8](repeating: 0, count: count * 784)
        _ = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: count, into: $0) }
        let labels = try LabelSet.read(path: Repository.root + "/Data/t10k-labels-idx1-ubyte.gz").labels
        try write("\(prefix)-images-idx3-ubyte.gz", Gzip.compress(Self.idx([count, 28, 28], pixels)))
        try write("\(prefix)-labels-idx1-ubyte.gz", Gzip.compress(Self.idx([count], Array(labels[0..<count]))))
    }

    /// A deterministic 784-16-10 network that puts most images in a few classes.
    func writeWeights(_ name: String = "w.safetensors") throws {
        var state: UInt64 = 42
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 20000
        }
        let network = Network(layers: [
            DenseLayer(inputs: 784, outputs: 16, weights: (0..<(784 * 16)).map { _ in next() }, bias: .init(repeating: 0, count: 16)),
            DenseLayer(inputs: 16, outputs: 10, weights: (0..<160).map { _ in next() }, bias: .init(repeating: 0, count: 10)),
        ], hiddenActivation: .relu)
        try network.save(to: file(name))
    }
}
