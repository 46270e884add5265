import Foundation
import MNISTNetwork
import TestSupport

/// Builds safetensors bytes by hand, so tests control every header field.
struct SafeTensorsFixture {
    struct Tensor {
        var name: String
        var dtype: String = "F32"
        var shape: [Int]
        var data: [UInt8]
        var offsets: (Int, Int)? = nil  // overrides the computed data_offsets
    }

    var tensors: [Tensor] = []
    var metadata: [String: String] = [:]
    var headerOverride: String? = nil
    var headerLengthOverride: UInt64? = nil

    static func f32(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
    }

    mutating func add(_ name: String, shape: [Int], _ values: [Float]) {
        tensors.append(Tensor(name: name, shape: shape, data: Self.f32(values)))
    }

    var bytes: [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\"\($0)\":\"\(metadata[$0]!)\"" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        var data: [UInt8] = []
        for tensor in tensors {
            let (begin, end) = tensor.offsets ?? (offset, offset + tensor.data.count)
            entries.append("\"\(tensor.name)\":{\"dtype\":\"\(tensor.dtype)\",\"shape\":\(tensor.shape),\"data_offsets\":[\(begin),\(end)]}")
            offset += tensor.data.count
            data += tensor.data
        }
        let header = Array((headerOverride ?? "{" + entries.joined(separator: ",") + "}").utf8)
        let length = headerLengthOverride ?? UInt64(header.count)
        return withUnsafeBytes(of: length.littleEndian) { Array($0) } + header + data
    }

    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// A small deterministic network: 784 → hidden → 10, weights from a simple LCG.
func makeNetwork(hidden: [Int] = [100], activation: Activation = .relu, mean: Float = 0, std: Float = 1, seed: UInt64 = 1) -> Network {
    var state = seed
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 10000
    }
    let widths = [784] + hidden + [10]
    let layers = (0..<(widths.count - 1)).map { i in
        DenseLayer(inputs: widths[i], outputs: widths[i + 1],
                   weights: (0..<(widths[i] * widths[i + 1])).map { _ in next() },
                   bias: (0..<widths[i + 1]).map { _ in next() })
    }
    return Network(layers: layers, hiddenActivation: activation, inputMean: mean, inputStd: std)
}
