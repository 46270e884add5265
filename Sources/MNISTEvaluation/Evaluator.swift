import Dispatch
import MNISTData
import MNISTNetwork
import MNISTPlumbing

/// Runs one evaluation: labels, images and the classifier, with reading and
/// inflating overlapped with everything else.
///
/// A reader thread fills chunks of images into a ring (`ChunkPipeline`) while
/// the classifier works on the oldest full one, so for a gzip file the wall
/// time is close to the time zlib needs to inflate it. The reader starts as
/// soon as the headers are checked: the network is loaded (`loadNetwork`)
/// while the first chunks are inflating. Labels are read in step with the
/// images and each chunk's predictions are folded into a `PredictionTally`
/// (and written to the CSV) before its buffer goes back, so memory is the
/// ring's `slotCount` chunks whatever the file's size. A baseline is compared
/// the same way: its predictions for each chunk (read from its CSV, or from a
/// second network on the same pixels) are folded into a `Comparison` of counts.
public struct Evaluator: Sendable {
    public var imagesPath: String
    /// `nil`: classify only, and report the predicted-class histogram.
    public var labelsPath: String?
    public var weightsPath: String
    /// Called once per run, on the calling thread, after the reader has started.
    public var loadNetwork: @Sendable () throws -> Network
    public var batchSize: Int
    public var threads: Int
    /// Images per chunk handed from the reader to the classifier;
    /// `nil` for `defaultChunkImages`.
    public var chunkImages: Int?
    /// Keep the pixels of the first this-many misclassified images (for
    /// pictures and text art); 0 keeps none. Bounded by the caller, so memory
    /// stays at 784 bytes per kept image whatever the file's size.
    public var keepMisclassified: Int = 0
    /// Where to write one CSV row per image (`PredictionsCSV`), or `nil`.
    /// The file is removed again if the run fails.
    public var predictionsPath: String?
    /// The images file already inflating (see `ImagesPrefetch`); used when it
    /// is for `imagesPath`, and only by the first `run`.
    public var prefetch: ImagesPrefetch?
    /// What to compare the run with, image by image (`EvaluationResult.comparison`);
    /// needs labels.
    public var baseline: Baseline?
    /// Keep the first this-many regressed images (with pixels, for pictures);
    /// the first `Comparison.listedRegressions` are kept whatever this is.
    public var keepRegressed: Int = 0

    /// A baseline to compare the run with.
    public enum Baseline: Sendable {
        /// A predictions CSV (`PredictionsCSV`) of an earlier run over the same
        /// images, read in step with them (`PredictionsCSV.Reader`).
        case predictions(path: String)
        /// A second network, loaded while the first images inflate (after
        /// the run's own) and evaluated in the same pass over each chunk
        /// (`BatchClassifier.classify(_:alongside:)`): the images are read and
        /// inflated once, and each image's pixels scanned once for both.
        case network(path: String, load: @Sendable () throws -> Network)
    }

    /// Images per chunk: one batch per worker thread, repeated until the file
    /// has about 32 chunks, and at most 1,024 images (800 KB).
    ///
    /// The classifier waits for the first chunk and the reader is idle during
    /// the last, so small chunks overlap more; each hand-off costs about 40 µs
    /// (the 1M figures below: 0.12 s for 2,900 more hand-offs), so many small
    /// chunks cost throughput. Measured (2 cores, interleaved
    /// runs, medians): t10k end to end, 256 → 26.9 ms, 512 → 28.5, 1024 →
    /// 32.0; 1,000,000 images, 256 → 2.03 s, 512 → 1.93, 1024 → 1.91, 2048 → 1.90.
    public static func defaultChunkImages(images: Int, batchSize: Int, threads: Int) -> Int {
        let round = batchSize * threads
        return max(1, min(1024, images / 32) / round) * round
    }

    /// Chunks the reader may fill ahead of the classifier. A prefetching reader
    /// starts about 3 ms before the classifier's first chunk (options, weights,
    /// the first batch's cold caches); four 256-image t10k chunks filled in
    /// under 3 ms and the reader waited. t10k end to end, 60 interleaved runs:
    /// 4 slots 26.9 ms median, 6 slots 25.1, 8 slots 25.2. Six 1,024-image
    /// chunks of a large file add 1.6 MiB to the peak memory.
    static let slotCount = 6

    /// An evaluation with a network already in memory.
    public init(imagesPath: String, labelsPath: String?, weightsPath: String, network: Network,
                batchSize: Int = BatchClassifier.defaultBatchSize, threads: Int = Threads.availableCores,
                chunkImages: Int? = nil) {
        self.init(imagesPath: imagesPath, labelsPath: labelsPath, weightsPath: weightsPath,
                  loadNetwork: { network }, batchSize: batchSize, threads: threads, chunkImages: chunkImages)
    }

    /// An evaluation that loads its network while the images are inflating.
    public init(imagesPath: String, labelsPath: String?, weightsPath: String,
                loadNetwork: @escaping @Sendable () throws -> Network,
                batchSize: Int = BatchClassifier.defaultBatchSize, threads: Int = Threads.availableCores,
                chunkImages: Int? = nil) {
        self.imagesPath = imagesPath
        self.labelsPath = labelsPath
        self.weightsPath = weightsPath
        self.loadNetwork = loadNetwork
        self.batchSize = batchSize
        self.threads = threads
        self.chunkImages = chunkImages
    }

    /// - Parameter progress: called on the calling thread after each chunk with
    ///   (images done, images declared).
    /// - Throws: `DataError` for unreadable or malformed images or labels,
    ///   including an image/label count mismatch (found before classifying),
    ///   `BaselineError` for a baseline CSV that does not match the images,
    ///   and whatever `loadNetwork` (or the baseline's loader) throws.
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> EvaluationResult {
        precondition(baseline == nil || labelsPath != nil, "a comparison with a baseline needs labels")
        let start = DispatchTime.now().uptimeNanoseconds
        // Images first, and inflating at once (or already, when prefetched): the
        // labels' count is checked against the images header before they are
        // read, and the labels, the CSV file and the network are opened and
        // loaded while the reader runs. Any error stops the reader.
        let reader: IDXImageReader, pipeline: ChunkPipeline
        if let prefetched = prefetch?.take(for: imagesPath) {
            (reader, pipeline) = prefetched
        } else {
            reader = try IDXImageReader(path: imagesPath)
            pipeline = ChunkPipeline(
                reader: reader, slotCount: Self.slotCount,
                chunkImages: chunkImages ?? Self.defaultChunkImages(images: reader.count, batchSize: batchSize, threads: threads))
        }
        defer { pipeline.finish() }
        let labels = try labelsPath.map { try IDXLabelReader(path: $0, count: reader.count, imagesPath: imagesPath) }
        // A baseline CSV's header is checked before any image is classified.
        let baselineCSV = try baseline.flatMap { baseline -> PredictionsCSV.Reader? in
            guard case .predictions(let path) = baseline else { return nil }
            return try PredictionsCSV.Reader(path: path, images: reader.count)
        }
        let csv = try predictionsPath.map { try PredictionsCSV.Writer(path: $0) }
        do {
            let network = try loadNetwork()
            let classifier = BatchClassifier(network: network, batchSize: batchSize, threads: threads)
            let workspace = BatchClassifier.Workspace(for: classifier)
            var tally = PredictionTally(classCount: network.outputCount, labeled: labels != nil)
            var kept: [RetainedImage] = []
            let capacity = pipeline.chunkImages
            let chunkLabels = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
            let predictions = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
            let confidences = UnsafeMutableBufferPointer<Float>.allocate(capacity: capacity)
            defer { chunkLabels.deallocate(); predictions.deallocate(); confidences.deallocate() }

            // The baseline: its predictions per chunk, and the counts so far.
            var comparison: Comparison?
            var baselineClassifier: (BatchClassifier, BatchClassifier.Workspace)?
            let before = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: baseline == nil ? 0 : capacity)
            let beforeConfidences = UnsafeMutableBufferPointer<Float>.allocate(capacity: baseline == nil ? 0 : capacity)
            defer { before.deallocate(); beforeConfidences.deallocate() }
            switch baseline {
            case .predictions(let path):
                comparison = Comparison(baselinePath: path, source: .predictions, classCount: network.outputCount)
            case .network(let path, let load):
                let other = try load()
                comparison = Comparison(
                    baselinePath: path,
                    source: .weights(architecture: other.architecture, activation: other.hiddenActivation.rawValue,
                                     inputMean: other.inputMean, inputStd: other.inputStd),
                    classCount: network.outputCount)
                let otherClassifier = BatchClassifier(network: other, batchSize: batchSize, threads: threads)
                baselineClassifier = (otherClassifier, BatchClassifier.Workspace(for: otherClassifier))
            case nil:
                break
            }
            let keepRegressed = max(self.keepRegressed, Comparison.listedRegressions)

            while let chunk = try pipeline.next() {
                let first = tally.images
                try labels?.read(into: UnsafeMutableBufferPointer(rebasing: chunkLabels[0..<chunk.count]))
                // While the reader inflates it keeps a core to itself: inflating is
                // the slower stage, and a classifier thread sharing its core
                // slows both. Once it waits or is done, every core classifies.
                // Measured with hyperfine on t10k (`mnist-eval --quiet`, 2 cores,
                // interleaved runs, medians): 32.7 ms sharing, 31.5 leaving it one.
                // Where no reader thread could be made (a thread limit), the
                // classifier stays on this thread too: concurrentPerform's
                // libdispatch retries creating its workers forever.
                // With a second network the classifier is the slower stage and
                // takes every core: t10k, 25 interleaved runs on a quiet machine,
                // 38.3 ms median leaving the reader a core, 36.3 ms taking both.
                let cores = pipeline.threadless ? 1
                    : pipeline.readerNeedsCore && baselineClassifier == nil ? max(1, classifier.threads - 1) : classifier.threads
                let outputs = BatchClassifier.Outputs(predictions: predictions, confidences: confidences)
                if let (other, otherWorkspace) = baselineClassifier {
                    // Both networks in one pass: each image's pixels are scanned once.
                    classifier.classify(chunk.pixels, count: chunk.count, into: outputs, workspace: workspace,
                                        alongside: other, into: .init(predictions: before, confidences: beforeConfidences),
                                        otherWorkspace: otherWorkspace, maxThreads: cores)
                } else {
                    classifier.classify(chunk.pixels, count: chunk.count, into: outputs, workspace: workspace, maxThreads: cores)
                }
                try baselineCSV?.read(first: first, labels: UnsafeBufferPointer(rebasing: chunkLabels[0..<chunk.count]),
                                      classCount: network.outputCount, into: before)
                let size = reader.pixelsPerImage
                let imagePixels = { (i: Int) in Array(chunk.pixels[(i * size)..<((i + 1) * size)]) }
                for i in 0..<chunk.count {
                    let label = labels == nil ? nil : chunkLabels[i]
                    tally.add(predicted: predictions[i], label: label)
                    try csv?.append(index: first + i, label: label, predicted: predictions[i], confidence: confidences[i])
                    if let label, label != predictions[i], kept.count < keepMisclassified {
                        kept.append(RetainedImage(index: first + i, label: label, predicted: predictions[i],
                                                  confidence: confidences[i], pixels: imagePixels(i)))
                    }
                    if let label, comparison?.add(label: label, predicted: predictions[i], before: before[i]) == true,
                       comparison!.regressedImages.count < keepRegressed {
                        comparison!.regressedImages.append(RegressedImage(
                            index: first + i, label: label, before: before[i], after: predictions[i],
                            confidence: confidences[i], pixels: imagePixels(i)))
                    }
                }
                pipeline.release(chunk)
                progress?(tally.images, reader.count)
            }
            try baselineCSV?.finish()
            try csv?.finish()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var result = EvaluationResult(
                imagesPath: imagesPath, labelsPath: labels?.path, weightsPath: weightsPath,
                architecture: network.architecture, activation: network.hiddenActivation.rawValue,
                inputMean: network.inputMean, inputStd: network.inputStd,
                tally: tally, seconds: seconds, threads: classifier.threads, batchSize: classifier.batchSize)
            result.preprocessing = network.preprocessing.rawValue
            result.misclassifiedImages = kept
            result.comparison = comparison
            return result
        } catch {
            csv?.discard()
            throw error
        }
    }
}
