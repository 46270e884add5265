import Foundation
import Testing
import MNISTData
import MNISTNetwork
@testable import MNISTEvaluation
import MNISTPlumbing
@testable import MNISTReport
import TestSupport

/// The streaming evaluator (reader thread, ring of chunks, reused classifier
/// workspace) against the classifier run once over the whole set in memory.
@Suite struct EvaluatorTests {
    static let weights = Repository.root + "/Data/mnist-784-100-10.safetensors"
    static let count = 700

    /// The first `count` t10k images and labels, gzip-compressed into a temporary folder.
    final class Files {
        let folder = NSTemporaryDirectory() + "mnist-evaluator-tests-" + UUID().uuidString
        let images: String
        let labels: String
        let pixels: [UInt8]
        let labelValues: [UInt8]

        init() throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let reader = try IDXImageReader(path: Repository.root + "/Data/t10k-images-idx3-ubyte.gz")
            var pixels = [UInt8](repeating: 0, count: count * 784)
            _ = try pixels.withUnsafeMutableBufferPointer { try reader.read(maxImages: count, into: $0) }
            let labelValues = Array(try LabelSet.read(path: Repository.root + "/Data/t10k-labels-idx1-ubyte.gz").labels.prefix(count))
            func header(_ magic: UInt32, _ dimensions: [Int]) -> [UInt8] {
                ([magic] + dimensions.map(UInt32.init)).flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
            }
            images = folder + "/images-idx3-ubyte.gz"
            labels = folder + "/labels-idx1-ubyte.gz"
            try Data(Gzip.compress(header(0x0803, [count, 28, 28]) + pixels)).write(to: URL(fileURLWithPath: images))
            try Data(Gzip.compress(header(0x0801, [count]) + labelValues)).write(to: URL(fileURLWithPath: labels))
            self.pixels = pixels
            self.labelValues = labelValues
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Chunks of one image, of sizes that leave a partial last chunk, and
    /// larger than the file; threads beyond the batches, and fewer; the default
    /// chunks, where the classifier leaves the reader a core while it inflates.
    @Test(arguments: [(1, 2), (3, 1), (97, 2), (256, 3), (1024, 2), (nil, 1), (nil, 2), (nil, 3)] as [(Int?, Int)])
    func tallyIsTheSameForEveryChunkSizeAndThreadCount(chunkImages: Int?, threads: Int) throws {
        let files = try Files()
        let network = try Network.load(path: Self.weights).network
        var predictions = [UInt8](repeating: 0, count: Self.count)
        var confidences = [Float](repeating: 0, count: Self.count)
        let whole = BatchClassifier(network: network, batchSize: 256, threads: 1)
        files.pixels.withUnsafeBufferPointer { px in
            predictions.withUnsafeMutableBufferPointer { p in
                confidences.withUnsafeMutableBufferPointer { c in
                    whole.classify(px, count: Self.count, into: .init(predictions: p, confidences: c))
                }
            }
        }
        let expected = PredictionTally(predictions: predictions, labels: files.labelValues, classCount: 10)
        let expectedWrong = (0..<Self.count).filter { predictions[$0] != files.labelValues[$0] }

        var evaluator = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: Self.weights,
                                  loadNetwork: { network }, batchSize: 64, threads: threads, chunkImages: chunkImages)
        evaluator.keepMisclassified = Self.count
        let result = try evaluator.run()
        #expect(result.tally == expected)
        #expect(result.misclassifiedImages.map(\.index) == expectedWrong)
        #expect(result.misclassifiedImages.map(\.confidence) == expectedWrong.map { confidences[$0] })
    }

    /// One batch per worker, repeated up to about 32 chunks per file and at
    /// most 1,024 images; never zero.
    @Test func defaultChunksFollowTheBatchesAndTheFileSize() {
        #expect(Evaluator.defaultChunkImages(images: 10_000, batchSize: 128, threads: 2) == 256)
        #expect(Evaluator.defaultChunkImages(images: 1_000_000, batchSize: 128, threads: 2) == 1024)
        #expect(Evaluator.defaultChunkImages(images: 60_000, batchSize: 100, threads: 3) == 900)
        #expect(Evaluator.defaultChunkImages(images: 1, batchSize: 128, threads: 2) == 256)
        #expect(Evaluator.defaultChunkImages(images: 10_000, batchSize: 5000, threads: 2) == 10_000)
        #expect(Evaluator.defaultChunkImages(images: 0, batchSize: 1, threads: 1) == 1)
    }

    /// A prefetched images file gives the same results as opening it in `run`;
    /// a prefetch for another file is left alone (and stops its reader when
    /// released), and one is used only once.
    @Test func aPrefetchedFileGivesTheSameResults() throws {
        let files = try Files()
        let network = try Network.load(path: Self.weights).network
        var plain = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: Self.weights,
                              loadNetwork: { network }, batchSize: 64, threads: 2)
        plain.keepMisclassified = Self.count
        let expected = try plain.run()

        var prefetched = plain
        let prefetch: ImagesPrefetch = try #require(ImagesPrefetch(path: files.images))
        prefetched.prefetch = prefetch
        let result = try prefetched.run()
        #expect(result.tally == expected.tally)
        #expect(result.misclassifiedImages.map(\.index) == expected.misclassifiedImages.map(\.index))
        #expect(prefetched.prefetch?.take(for: files.images) == nil, "a prefetch is used once")
        #expect(try prefetched.run().tally == expected.tally)

        var other = plain
        let otherPrefetch: ImagesPrefetch = try #require(ImagesPrefetch(path: files.images))
        other.prefetch = otherPrefetch
        other.imagesPath = files.folder + "/copy-images-idx3-ubyte.gz"
        try FileManager.default.copyItem(atPath: files.images, toPath: other.imagesPath)
        other.labelsPath = files.labels
        #expect(try other.run().tally == expected.tally)
        let untaken = try #require(other.prefetch?.take(for: files.images), "a prefetch for another file is not taken")
        untaken.pipeline.finish()
    }

    /// The images path is certain before parsing only with no arguments (the
    /// default) or a first argument that is not an option.
    @Test func thePrefetchPathComesFromTheCommandLinesShape() {
        #expect(ImagesPrefetch.imagesPath(in: ["mnist-eval"], default: "d.gz") == "d.gz")
        #expect(ImagesPrefetch.imagesPath(in: ["mnist-eval", "x.gz", "--quiet"], default: "d.gz") == "x.gz")
        #expect(ImagesPrefetch.imagesPath(in: ["mnist-eval", "--labels", "l.gz", "x.gz"], default: "d.gz") == nil)
        #expect(ImagesPrefetch.imagesPath(in: ["mnist-eval", "--quiet"], default: "d.gz") == nil)
        #expect(ImagesPrefetch.imagesPath(in: ["mnist-eval", "--", "-x.gz"], default: "d.gz") == nil)
        // A file that cannot be opened as images is left to the evaluation to report.
        #expect(ImagesPrefetch(path: "/nonexistent/images.gz") == nil)
    }

    struct LoadFailure: Error {}

    /// The network loads while the reader runs: its error must stop the reader
    /// and come out of `run`, with no hang and no result.
    @Test func aNetworkThatFailsToLoadStopsTheRun() throws {
        let files = try Files()
        let evaluator = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: "bad",
                                  loadNetwork: { throw LoadFailure() }, chunkImages: 7)
        #expect(throws: LoadFailure.self) { try evaluator.run() }
    }
}

/// The ring without its reader thread (what a thread limit leaves): the
/// consumer reads each chunk itself, and gets the same chunks in the same order.
@Suite struct ChunkPipelineTests {
    @Test(arguments: [1, 97, 256, 1024])
    func threadlessPipelineGivesTheSameChunks(chunkImages: Int) throws {
        let files = try EvaluatorTests.Files()
        func chunks(readerThread: Bool) throws -> (pixels: [UInt8], sizes: [Int], needsCore: Bool) {
            let pipeline = ChunkPipeline(reader: try IDXImageReader(path: files.images), slotCount: 3,
                                         chunkImages: chunkImages, readerThread: readerThread)
            defer { pipeline.finish() }
            #expect(pipeline.threadless == !readerThread)
            var pixels: [UInt8] = [], sizes: [Int] = [], needsCore = false
            while let chunk = try pipeline.next() {
                pixels += chunk.pixels.prefix(chunk.count * 784)
                sizes.append(chunk.count)
                needsCore = needsCore || pipeline.readerNeedsCore
                pipeline.release(chunk)
            }
            return (pixels, sizes, needsCore)
        }
        let threaded = try chunks(readerThread: true), threadless = try chunks(readerThread: false)
        #expect(threadless.pixels == files.pixels && threaded.pixels == files.pixels)
        #expect(threadless.sizes == threaded.sizes)
        #expect(!threadless.needsCore, "no reader thread to leave a core to")
    }

    /// Stopped early (the consumer failed), with chunks still unread.
    @Test func threadlessPipelineFinishesEarly() throws {
        let files = try EvaluatorTests.Files()
        let pipeline = ChunkPipeline(reader: try IDXImageReader(path: files.images), slotCount: 2,
                                     chunkImages: 64, readerThread: false)
        let first = try #require(try pipeline.next())
        #expect(first.count == 64 && Array(first.pixels.prefix(784)) == Array(files.pixels.prefix(784)))
        pipeline.finish()
    }
}

/// The evaluator's comparison with a baseline: a CSV read in step with the
/// chunks, or a second network on the same chunks; the same counts either way.
@Suite struct EvaluatorBaselineTests {
    @Test(arguments: [(1, 1), (97, 2), (nil, 2)] as [(Int?, Int)])
    func aCSVBaselineAndTheSameNetworkInTheSamePassAgree(chunkImages: Int?, threads: Int) throws {
        let files = try EvaluatorTests.Files()
        let shipped = try Network.load(path: EvaluatorTests.weights).network
        // A slightly different network: some images change.
        let other = { var network = shipped; network.inputMean = 0.1; return network }()
        let csv = files.folder + "/baseline.csv"
        var first = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: "other",
                              loadNetwork: { other }, batchSize: 64, threads: threads, chunkImages: chunkImages)
        first.predictionsPath = csv
        let before = try first.run()

        var withCSV = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: "shipped",
                                loadNetwork: { shipped }, batchSize: 64, threads: threads, chunkImages: chunkImages)
        withCSV.baseline = .predictions(path: csv)
        withCSV.keepRegressed = 3
        var withNetwork = withCSV
        withNetwork.baseline = .network(path: "other.safetensors", load: { other })
        let a = try withCSV.run(), b = try withNetwork.run()
        let comparison = try #require(a.comparison)
        let again = try #require(b.comparison)
        #expect(comparison.regressions + comparison.fixes > 0, "the two networks should differ on some images")
        #expect(comparison.baselineTally == before.tally)
        #expect(comparison.baselineTally == again.baselineTally)
        #expect((comparison.regressions, comparison.fixes, comparison.bothRight) == (again.regressions, again.fixes, again.bothRight))
        #expect(comparison.regressedImages == again.regressedImages)
        #expect(comparison.regressedImages.count == min(comparison.regressions, Comparison.listedRegressions))
        #expect(comparison.regressedImages.allSatisfy { $0.pixels.count == 784 && $0.before == $0.label && $0.after != $0.label })
        #expect(a.tally == b.tally)
        #expect(comparison.source == .predictions && comparison.baselinePath == csv)
        #expect(again.source == .weights(architecture: [784, 100, 10], activation: "relu", inputMean: 0.1, inputStd: 1))
    }

    @Test func keepsAsManyRegressedImagesAsAskedBeyondTheListed() throws {
        let files = try EvaluatorTests.Files()
        let shipped = try Network.load(path: EvaluatorTests.weights).network
        // Far off: many images change.
        let broken = { var network = shipped; network.inputMean = 0.5; return network }()
        var evaluator = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: "broken",
                                  loadNetwork: { broken })
        evaluator.baseline = .network(path: "shipped", load: { shipped })
        evaluator.keepRegressed = 25
        let comparison = try #require(try evaluator.run().comparison)
        #expect(comparison.regressions > 25)
        #expect(comparison.regressedImages.count == 25)
        #expect(comparison.regressedImages.map(\.index) == comparison.regressedImages.map(\.index).sorted())
    }

    @Test func aBaselineOfOtherImagesStopsTheRunNamingTheRow() throws {
        let files = try EvaluatorTests.Files()
        let csv = files.folder + "/short.csv"
        try PredictionsCSV.write(predictions: Array(files.labelValues.prefix(500)), confidences: Array(repeating: 1, count: 500),
                                 labels: Array(files.labelValues.prefix(500)), to: csv)
        var evaluator = Evaluator(imagesPath: files.images, labelsPath: files.labels, weightsPath: "w",
                                  network: try Network.load(path: EvaluatorTests.weights).network)
        evaluator.baseline = .predictions(path: csv)
        evaluator.predictionsPath = files.folder + "/out.csv"
        let error = try #require(throws: BaselineError.self) { try evaluator.run() }
        #expect(error.description == "\(csv): line 502: the baseline ends after 500 images; "
                + "expected a row for each of the \(EvaluatorTests.count) images, found end of file")
        #expect(!FileManager.default.fileExists(atPath: files.folder + "/out.csv"), "no half-written predictions")
    }
}
