import FuzzSupport
import MNISTData
import MNISTNetwork
import MNISTEvaluation

/// Labels with images through `Evaluator.run`, the CLI's pipeline, with a tiny
/// fixed network. The input splits into two files: byte 0's bits 0 and 1
/// gzip-wrap the labels and the images, bytes 1-2 give the labels' length.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPairing(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzBytes(Fuzz.bytes(data, size))
    let flags = input.byte()
    let split = input.uint16()
    let rest = input.rest
    let labels = Array(rest.prefix(split))
    let images = Array(rest.dropFirst(labels.count))
    let files = [(labels, flags & 1), (images, flags & 2)].map { bytes, gzip in
        gzip != 0 ? try! Gzip.compress(bytes, level: 1) : bytes
    }
    Fuzz.withFiles(files) { paths in
        let evaluator = Evaluator(imagesPath: paths[1], labelsPath: paths[0], weightsPath: "tiny", network: tinyNetwork,
                                  batchSize: 3, threads: 1, chunkImages: 2)
        let result = try evaluator.run()
        let confused = result.tally.confusion?.reduce(0) { $0 + $1.reduce(0, +) }
        Fuzz.require(confused == result.tally.images, "labels and predictions differ in count")
        Fuzz.require(16 + 784 * result.tally.images == images.count, "accepted images with extra bytes")
    }
    return 0
}

/// 784-2-10, fixed: the pairing is under test, not the network.
private let tinyNetwork = Network(layers: [
    DenseLayer(inputs: 784, outputs: 2, weights: (0..<1568).map { Float($0 % 7) / 100 - 0.03 }, bias: [0.1, -0.1]),
    DenseLayer(inputs: 2, outputs: 10, weights: (0..<20).map { Float($0) / 10 - 1 }, bias: .init(repeating: 0, count: 10)),
], hiddenActivation: .relu)

Fuzz.main("fuzz-pairing", fuzzPairing)
