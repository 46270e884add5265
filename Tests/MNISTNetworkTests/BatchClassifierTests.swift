import Foundation
import Testing
import MNISTData
import MNISTNetwork
import TestSupport

/// The fast classifier against the scalar reference, on real t10k images.
@Suite struct BatchClassifierTests {

    /// The first `count` t10k images, read through the data module.
    static func images(_ count: Int) throws -> [UInt8] {
        let reader = try IDXImageReader(path: Repository.root + "/Data/t10k-images-idx3-ubyte.gz")
        var pixels = [UInt8](repeating: 0, count: count * 784)
        let read = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: count, into: $0) }
        #expect(read == count)
        return pixels
    }

    struct Run { var predictions: [UInt8]; var confidences: [Float]; var logits: [Float] }

    static func classify(_ network: Network, _ pixels: [UInt8], count: Int, batchSize: Int, threads: Int,
                         maxThreads: Int? = nil) -> Run {
        var run = Run(predictions: .init(repeating: 0, count: count), confidences: .init(repeating: 0, count: count),
                      logits: .init(repeating: 0, count: count * network.outputCount))
        let classifier = BatchClassifier(network: network, batchSize: batchSize, threads: threads)
        pixels.withUnsafeBufferPointer { px in
            run.predictions.withUnsafeMutableBufferPointer { p in
                run.confidences.withUnsafeMutableBufferPointer { c in
                    run.logits.withUnsafeMutableBufferPointer { l in
                        classifier.classify(px, count: count, into: .init(predictions: p, confidences: c, logits: l),
                                            maxThreads: maxThreads)
                    }
                }
            }
        }
        return run
    }

    /// Tolerance: logits within 1e-4 of the reference, relative to the logit scale
    /// (folding 1/255 and the mean into the weights, and FMA, change rounding only).
    @Test(arguments: [
        (Activation.relu, Float(0), Float(1), [100]),
        (Activation.sigmoid, Float(0.1307), Float(0.3081), [100]),
        (Activation.tanh, Float(0.5), Float(0.5), [50, 100]),
    ])
    func fastPathMatchesScalarReference(activation: Activation, mean: Float, std: Float, hidden: [Int]) throws {
        let count = 500
        let pixels = try Self.images(count)
        let network = makeNetwork(hidden: hidden, activation: activation, mean: mean, std: std)
        let fast = Self.classify(network, pixels, count: count, batchSize: 64, threads: 2)
        var largest: Float = 0
        for image in 0..<count {
            let reference = ReferenceClassifier.logits(network, pixels: pixels[(image * 784)..<((image + 1) * 784)])
            let scale = max(1, reference.map(abs).max()!)
            for c in 0..<10 { largest = max(largest, abs(fast.logits[image * 10 + c] - reference[c]) / scale) }
            let sorted = reference.sorted(by: >)
            if sorted[0] - sorted[1] > 1e-3 * scale {
                #expect(Int(fast.predictions[image]) == ReferenceClassifier.predict(network, pixels: pixels[(image * 784)..<((image + 1) * 784)]))
            }
        }
        print("largest relative logit difference (\(activation), \(hidden)): \(largest)")
        #expect(largest < 1e-4)
    }

    @Test func resultsAreIdenticalForEveryBatchSizeAndThreadCount() throws {
        let count = 1000
        let pixels = try Self.images(count)
        let network = makeNetwork()
        let baseline = Self.classify(network, pixels, count: count, batchSize: 256, threads: 1)
        for (batchSize, threads) in [(1, 1), (7, 2), (64, 3), (1000, 2), (333, 4)] {
            let run = Self.classify(network, pixels, count: count, batchSize: batchSize, threads: threads)
            #expect(run.predictions == baseline.predictions, "batch \(batchSize), threads \(threads)")
            #expect(run.logits == baseline.logits, "batch \(batchSize), threads \(threads)")
            #expect(run.confidences == baseline.confidences, "batch \(batchSize), threads \(threads)")
        }
    }

    /// `maxThreads` (the evaluator lowers it while its reader inflates) only
    /// changes how many workers run, never a result.
    @Test(arguments: [1, 2, 3, 8])
    func fewerThreadsForOneCallChangeNothing(maxThreads: Int) throws {
        let count = 1000
        let pixels = try Self.images(count)
        let network = makeNetwork()
        let baseline = Self.classify(network, pixels, count: count, batchSize: 64, threads: 3)
        let run = Self.classify(network, pixels, count: count, batchSize: 64, threads: 3, maxThreads: maxThreads)
        #expect(run.predictions == baseline.predictions)
        #expect(run.logits == baseline.logits)
        #expect(run.confidences == baseline.confidences)
    }

    /// A stream classified chunk by chunk with one workspace, as the evaluator
    /// does: scratch left over from a chunk must not leak into the next.
    @Test(arguments: [1, 2, 3])
    func aWorkspaceReusedAcrossChunksChangesNothing(threads: Int) throws {
        let count = 1000
        let pixels = try Self.images(count)
        let network = makeNetwork()
        let baseline = Self.classify(network, pixels, count: count, batchSize: 64, threads: 1)
        let classifier = BatchClassifier(network: network, batchSize: 64, threads: threads)
        let workspace = BatchClassifier.Workspace(for: classifier)
        var predictions = [UInt8](repeating: 0, count: count), confidences = [Float](repeating: 0, count: count)
        var start = 0
        for size in [97, 1, 64, 300, 538] {
            pixels.withUnsafeBufferPointer { px in
                predictions.withUnsafeMutableBufferPointer { p in
                    confidences.withUnsafeMutableBufferPointer { c in
                        classifier.classify(UnsafeBufferPointer(rebasing: px[(start * 784)..<((start + size) * 784)]), count: size,
                                            into: .init(predictions: .init(rebasing: p[start...]), confidences: .init(rebasing: c[start...])),
                                            workspace: workspace)
                    }
                }
            }
            start += size
        }
        #expect(start == count)
        #expect(predictions == baseline.predictions)
        #expect(confidences == baseline.confidences)
    }

    @Test func confidenceIsTheSoftmaxOfThePredictedClass() throws {
        let pixels = try Self.images(20)
        let network = makeNetwork()
        let run = Self.classify(network, pixels, count: 20, batchSize: 8, threads: 1)
        for image in 0..<20 {
            let probabilities = Softmax.probabilities(Array(run.logits[(image * 10)..<((image + 1) * 10)]))
            #expect(abs(probabilities[Int(run.predictions[image])] - run.confidences[image]) < 1e-6)
            #expect(probabilities.max() == probabilities[Int(run.predictions[image])])
        }
    }

    /// 104 is the shipped width's single-pass block; 56 takes 8-lane columns, 136 a 96-column block and then those.
    @Test(arguments: [104, 56, 136])
    func sparseKernelMatchesDenseProductWithZeroPixels(width: Int) {
        let inputs = 784
        let matrix = (0..<(inputs * width)).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let bias = (0..<width).map { Float($0) / 100 }
        var pixels = [UInt8](repeating: 0, count: inputs)
        for (position, value) in [(0, 3), (7, 255), (8, 1), (400, 128), (783, 9)] { pixels[position] = UInt8(value) }
        var indices = [Int](repeating: 0, count: inputs), values = [Float](repeating: 0, count: inputs)
        let found = Kernels.nonZeroPixels(pixels, count: inputs, indices: &indices, values: &values)
        #expect(found == 5)
        #expect(Array(indices[0..<5]) == [0, 7, 8, 400, 783])
        var out = [Float](repeating: 0, count: width)
        Kernels.sparseRowTimesMatrix(indices: indices, values: values, count: found, matrix: matrix, width: width,
                                     bias: bias, into: &out)
        for j in 0..<width {
            var expected = bias[j]
            for k in 0..<inputs { expected += Float(pixels[k]) * matrix[k * width + j] }
            #expect(abs(out[j] - expected) < 1e-3, "column \(j)")
        }
    }
}

/// Two networks classified in one pass (`classify(_:alongside:)`, the
/// evaluator's baseline) give what two separate passes give, bit for bit.
@Suite struct FusedClassifyTests {
    @Test(arguments: [(128, 2, nil), (7, 3, nil), (64, 2, 1), (256, 1, nil)] as [(Int, Int, Int?)])
    func bothNetworksMatchTheirOwnPasses(batchSize: Int, threads: Int, maxThreads: Int?) throws {
        let count = 300
        let pixels = try BatchClassifierTests.images(count)
        let first = makeNetwork(hidden: [100], activation: .relu, seed: 1)
        let second = makeNetwork(hidden: [50, 30], activation: .tanh, mean: 0.1307, std: 0.3081, seed: 2)
        let alone = (BatchClassifierTests.classify(first, pixels, count: count, batchSize: batchSize, threads: threads),
                     BatchClassifierTests.classify(second, pixels, count: count, batchSize: batchSize, threads: threads))
        func empty() -> BatchClassifierTests.Run {
            .init(predictions: .init(repeating: 0, count: count), confidences: .init(repeating: 0, count: count),
                  logits: .init(repeating: 0, count: count * 10))
        }
        var one = empty(), two = empty()
        let a = BatchClassifier(network: first, batchSize: batchSize, threads: threads)
        let b = BatchClassifier(network: second, batchSize: batchSize, threads: threads)
        let (workspaceA, workspaceB) = (BatchClassifier.Workspace(for: a), BatchClassifier.Workspace(for: b))
        pixels.withUnsafeBufferPointer { px in
            one.predictions.withUnsafeMutableBufferPointer { p0 in
                one.confidences.withUnsafeMutableBufferPointer { c0 in
                    one.logits.withUnsafeMutableBufferPointer { l0 in
                        two.predictions.withUnsafeMutableBufferPointer { p1 in
                            two.confidences.withUnsafeMutableBufferPointer { c1 in
                                two.logits.withUnsafeMutableBufferPointer { l1 in
                                    a.classify(px, count: count, into: .init(predictions: p0, confidences: c0, logits: l0),
                                               workspace: workspaceA, alongside: b,
                                               into: .init(predictions: p1, confidences: c1, logits: l1),
                                               otherWorkspace: workspaceB, maxThreads: maxThreads)
                                }
                            }
                        }
                    }
                }
            }
        }
        let fused = [one, two]
        #expect(fused[0].predictions == alone.0.predictions && fused[1].predictions == alone.1.predictions)
        #expect(fused[0].confidences.map(\.bitPattern) == alone.0.confidences.map(\.bitPattern))
        #expect(fused[1].confidences.map(\.bitPattern) == alone.1.confidences.map(\.bitPattern))
        #expect(fused[0].logits.map(\.bitPattern) == alone.0.logits.map(\.bitPattern))
        #expect(fused[1].logits.map(\.bitPattern) == alone.1.logits.map(\.bitPattern))
        #expect(Set(fused[1].predictions).count > 1, "the second network is not collapsed")
    }
}
