import Dispatch
import MNISTPlumbing
import Synchronization

/// Classifies batches of `uint8` images with an `InferenceModel`, spreading
/// batches over cores with `DispatchQueue.concurrentPerform`.
///
/// Each worker takes the next batch as it finishes one (`BatchCounter`), so a
/// worker that starts late, woken late or sharing its core with the images'
/// reader, takes fewer batches rather than holding the others up. With a
/// second network (`classify(_:alongside:)`, where the classifier is the slower
/// stage) that took mnist-eval's t10k run from 32.8 to 30.9 ms and from 34.8
/// to 34.2 ms (medians of 36 and 45 interleaved hyperfine runs, two series);
/// with one network the reader is the slower stage and nothing changed.
///
/// Every image is computed on its own, in a fixed order of operations that
/// depends only on its pixels, so predictions and logits are bit-identical for
/// every batch size and thread count. Pixel → Float conversion happens inside the
/// batch (in `nonZeroPixels`), never as a separate pass over the whole set.
public struct BatchClassifier: Sendable {
    public let model: InferenceModel
    public let batchSize: Int
    public let threads: Int

    /// Measured with `mnist-bench --batch-size N --no-read` (t10k, 2 threads, 2-core
    /// AMD EPYC, fastest of 31 runs on a shared machine): 16 → 6.4 ms, 64 → 6.3,
    /// 128 → 6.2, 256 → 6.4, 512 → 6.5, 1024 → 6.6, 5000 → 8.0 (too few batches
    /// to balance two cores). 64…1024 are within noise; 128 keeps a worker's
    /// scratch (128 × 104 floats) in L1/L2, and lets `mnist-eval` hand over
    /// chunks of 256 images that still give each of two cores a batch.
    public static let defaultBatchSize = 128

    public init(network: Network, batchSize: Int = defaultBatchSize, threads: Int = Threads.availableCores) {
        precondition(batchSize > 0 && threads > 0, "batch size and threads must be positive")
        self.model = InferenceModel(network)
        self.batchSize = batchSize
        self.threads = threads
    }

    /// Output buffers for `classify`; `logits` may be empty to skip storing them.
    public struct Outputs {
        public var predictions: UnsafeMutableBufferPointer<UInt8>
        public var confidences: UnsafeMutableBufferPointer<Float>
        public var logits: UnsafeMutableBufferPointer<Float>?

        public init(predictions: UnsafeMutableBufferPointer<UInt8>, confidences: UnsafeMutableBufferPointer<Float>,
                    logits: UnsafeMutableBufferPointer<Float>? = nil) {
            self.predictions = predictions
            self.confidences = confidences
            self.logits = logits
        }
    }

    /// Classifies `count` images of `model.network.inputCount` pixels each.
    /// `outputs` must hold `count` entries (`count × classCount` logits).
    /// `workspace`: scratch memory kept between calls (see `Workspace`); without
    /// one, each call allocates its own. `maxThreads` lowers `threads` for this
    /// call (a caller sharing the cores with another thread); the results are the
    /// same for any value.
    public func classify(_ pixels: UnsafeBufferPointer<UInt8>, count: Int, into outputs: Outputs,
                         workspace: Workspace? = nil, maxThreads: Int? = nil) {
        classify(pixels, count: count, into: outputs, workspace: workspace, maxThreads: maxThreads, companion: nil)
    }

    /// Classifies the same images with this classifier and `other` in one
    /// pass: each image's non-zero pixels are found once for both networks,
    /// and the batches are handed to the cores once. The results are those of
    /// two separate `classify` calls, bit for bit. `other` must take the same
    /// input width and use the same batch size and threads.
    public func classify(_ pixels: UnsafeBufferPointer<UInt8>, count: Int, into outputs: Outputs, workspace: Workspace?,
                         alongside other: BatchClassifier, into otherOutputs: Outputs, otherWorkspace: Workspace?,
                         maxThreads: Int? = nil) {
        precondition(other.model.network.inputCount == model.network.inputCount, "both networks take the same pixels")
        precondition(other.batchSize == batchSize && other.threads == threads, "both classifiers split the work alike")
        other.checkOutputs(otherOutputs, count: count, workspace: otherWorkspace)
        classify(pixels, count: count, into: outputs, workspace: workspace, maxThreads: maxThreads,
                 companion: Companion(classifier: other, outputs: otherOutputs, workspace: otherWorkspace))
    }

    /// The second network of a fused `classify`.
    private struct Companion {
        let classifier: BatchClassifier
        let outputs: Outputs
        let workspace: Workspace?
    }

    private func checkOutputs(_ outputs: Outputs, count: Int, workspace: Workspace?) {
        precondition(outputs.predictions.count >= count && outputs.confidences.count >= count)
        precondition(outputs.logits.map { $0.count >= count * model.classCount } ?? true)
        precondition(workspace.map { $0.scratches.count == threads && $0.rows == batchSize } ?? true,
                     "workspace made for another classifier")
    }

    private func classify(_ pixels: UnsafeBufferPointer<UInt8>, count: Int, into outputs: Outputs,
                          workspace: Workspace?, maxThreads: Int?, companion: Companion?) {
        let inputs = model.network.inputCount
        precondition(pixels.count >= count * inputs, "pixel buffer too small")
        checkOutputs(outputs, count: count, workspace: workspace)
        precondition(maxThreads.map { $0 > 0 } ?? true, "maxThreads must be positive")
        let batches = (count + batchSize - 1) / batchSize
        let workers = min(threads, maxThreads ?? threads, batches)
        guard workers > 0 else { return }
        // The buffers are disjoint per batch; workers never write the same element,
        // and worker w alone uses the workspaces' scratch w.
        nonisolated(unsafe) let pixels = pixels
        nonisolated(unsafe) let outputs = outputs
        nonisolated(unsafe) let companion = companion
        let nextBatch = BatchCounter()
        let run = { @Sendable (worker: Int) in
            let scratch = workspace?.scratches[worker] ?? Scratch(model: model, rows: batchSize)
            let other = companion.map { companion in
                (companion.classifier, companion.outputs,
                 companion.workspace?.scratches[worker] ?? Scratch(model: companion.classifier.model, rows: batchSize))
            }
            defer {
                if workspace == nil { scratch.deallocate() }
                if let other, companion?.workspace == nil { other.2.deallocate() }
            }
            while true {
                let batch = nextBatch.take()
                guard batch < batches else { break }
                let start = batch * batchSize
                let rows = min(batchSize, count - start)
                classifyBatch(pixels.baseAddress! + start * inputs, rows: rows, first: start, scratch: scratch, outputs: outputs,
                              other: other)
            }
        }
        if workers == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
    }

    /// Scratch memory for every worker of one classifier, for callers that
    /// classify a stream chunk by chunk: a worker's scratch (two `batchSize ×
    /// 104` activation buffers, over 200 KB) is a fresh `mmap` when allocated
    /// per call, so every chunk would page-fault it in again.
    ///
    /// `@unchecked Sendable`: one `classify` call at a time may use a workspace,
    /// and inside it each worker touches only its own scratch.
    public final class Workspace: @unchecked Sendable {
        fileprivate let scratches: [Scratch]
        fileprivate let rows: Int

        public init(for classifier: BatchClassifier) {
            rows = classifier.batchSize
            scratches = (0..<classifier.threads).map { _ in Scratch(model: classifier.model, rows: classifier.batchSize) }
        }

        deinit { scratches.forEach { $0.deallocate() } }
    }

    /// Per-worker scratch: two ping-pong activation buffers, the sparse pixel
    /// list, and one preprocessed image.
    struct Scratch {
        let a: UnsafeMutablePointer<Float>
        let b: UnsafeMutablePointer<Float>
        let indices: UnsafeMutablePointer<Int>
        let values: UnsafeMutablePointer<Float>
        let prepared: UnsafeMutablePointer<UInt8>

        init(model: InferenceModel, rows: Int) {
            a = .allocate(capacity: rows * model.maxPaddedWidth)
            b = .allocate(capacity: rows * model.maxPaddedWidth)
            indices = .allocate(capacity: model.network.inputCount)
            values = .allocate(capacity: model.network.inputCount)
            prepared = .allocate(capacity: model.network.inputCount)
        }

        func deallocate() {
            a.deallocate(); b.deallocate(); indices.deallocate(); values.deallocate(); prepared.deallocate()
        }

        /// The image's non-zero pixels (after `preprocessing`) into `indices`
        /// and `values`; returns how many.
        func nonZeroPixels(of image: UnsafePointer<UInt8>, count: Int, _ preprocessing: Preprocessing) -> Int {
            var source = image
            if preprocessing != .none {
                preprocessing.apply(image, into: prepared)
                source = UnsafePointer(prepared)
            }
            return Kernels.nonZeroPixels(source, count: count, indices: indices, values: values)
        }
    }

    private func classifyBatch(
        _ pixels: UnsafePointer<UInt8>, rows: Int, first: Int, scratch: Scratch, outputs: Outputs,
        other: (BatchClassifier, Outputs, Scratch)? = nil
    ) {
        let inputs = model.network.inputCount
        // Layer 1, sparse over non-zero pixels: a[rows, padded1], for this network
        // and the other one (if any) from the same scan of each image when both
        // preprocess it alike.
        withFirstLayer { w, bias, width in
            guard let (classifier, _, otherScratch) = other else {
                for r in 0..<rows {
                    let found = scratch.nonZeroPixels(of: pixels + r * inputs, count: inputs, model.network.preprocessing)
                    Kernels.sparseRowTimesMatrix(indices: scratch.indices, values: scratch.values, count: found, matrix: w,
                                                 width: width, bias: bias, into: scratch.a + r * width)
                }
                return
            }
            let shared = classifier.model.network.preprocessing == model.network.preprocessing
            classifier.withFirstLayer { otherW, otherBias, otherWidth in
                for r in 0..<rows {
                    let image = pixels + r * inputs
                    let found = scratch.nonZeroPixels(of: image, count: inputs, model.network.preprocessing)
                    Kernels.sparseRowTimesMatrix(indices: scratch.indices, values: scratch.values, count: found, matrix: w,
                                                 width: width, bias: bias, into: scratch.a + r * width)
                    let (otherFound, source) = shared ? (found, scratch)
                        : (otherScratch.nonZeroPixels(of: image, count: inputs, classifier.model.network.preprocessing), otherScratch)
                    Kernels.sparseRowTimesMatrix(indices: source.indices, values: source.values, count: otherFound, matrix: otherW,
                                                 width: otherWidth, bias: otherBias, into: otherScratch.a + r * otherWidth)
                }
            }
        }
        remainingLayers(rows: rows, first: first, scratch: scratch, outputs: outputs)
        if let (classifier, otherOutputs, otherScratch) = other {
            classifier.remainingLayers(rows: rows, first: first, scratch: otherScratch, outputs: otherOutputs)
        }
    }

    /// The first layer's weights, bias and padded width, for the duration of `body`.
    private func withFirstLayer<R>(_ body: (_ weights: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ width: Int) -> R) -> R {
        let layer = model.layers[0]
        return layer.weights.withUnsafeBufferPointer { w in
            layer.bias.withUnsafeBufferPointer { b in body(w.baseAddress!, b.baseAddress!, layer.paddedOutputs) }
        }
    }

    /// The layers after the first, dense (activation of the previous output,
    /// then x·W + b), and each row's prediction and confidence.
    private func remainingLayers(rows: Int, first: Int, scratch: Scratch, outputs: Outputs) {
        let activation = model.network.hiddenActivation
        var input = scratch.a, output = scratch.b
        for layer in model.layers.dropFirst() {
            Kernels.apply(activation, input, count: rows * layer.inputs)
            layer.weights.withUnsafeBufferPointer { w in
                layer.bias.withUnsafeBufferPointer { bias in
                    Kernels.matmulBias(input, w.baseAddress!, bias.baseAddress!, output,
                                       m: rows, n: layer.paddedOutputs, k: layer.inputs)
                }
            }
            swap(&input, &output)
        }
        let last = model.layers[model.layers.count - 1]
        let classes = last.outputs
        for r in 0..<rows {
            let logits = UnsafeBufferPointer(start: input + r * last.paddedOutputs, count: classes)
            let (best, probability) = Softmax.argmaxAndProbability(logits)
            outputs.predictions[first + r] = UInt8(truncatingIfNeeded: best)
            outputs.confidences[first + r] = probability
            if let stored = outputs.logits {
                for c in 0..<classes { stored[(first + r) * classes + c] = logits[c] }
            }
        }
    }
}

/// Batch numbers in order, to whichever worker asks next (`BatchClassifier`'s
/// comment says why).
private final class BatchCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
