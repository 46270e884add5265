import Dispatch
import Foundation
import MNISTData
import MNISTNetwork

/// Runs one evaluation: labels, images and the classifier, with reading and
/// inflating overlapped with classifying.
///
/// A reader thread fills one chunk of images while the classifier works on the
/// other (double buffering), so for a gzip file the wall time is close to the
/// time zlib needs to inflate it. Memory is two chunks plus one byte of
/// prediction and four of confidence per image, whatever the file's size.
public struct Evaluator: Sendable {
    public var imagesPath: String
    /// `nil`: classify only, and report the predicted-class histogram.
    public var labelsPath: String?
    public var weightsPath: String
    public var network: Network
    public var batchSize: Int
    public var threads: Int
    /// Images per chunk handed from the reader to the classifier.
    public var chunkImages: Int
    /// Keep the pixels of the first this-many misclassified images (for
    /// pictures and text art); 0 keeps none. Bounded by the caller, so memory
    /// stays at 784 bytes per kept image whatever the file's size.
    public var keepMisclassified: Int = 0

    /// 8,192 images (6.4 MB of pixels) per chunk: large enough that thread
    /// hand-offs cost nothing measurable, small enough to stay in L2/L3.
    public static let defaultChunkImages = 8192

    public init(imagesPath: String, labelsPath: String?, weightsPath: String, network: Network,
                batchSize: Int = BatchClassifier.defaultBatchSize, threads: Int = BatchClassifier.availableCores,
                chunkImages: Int = defaultChunkImages) {
        self.imagesPath = imagesPath
        self.labelsPath = labelsPath
        self.weightsPath = weightsPath
        self.network = network
        self.batchSize = batchSize
        self.threads = threads
        self.chunkImages = chunkImages
    }

    /// - Parameter progress: called on the calling thread after each chunk with
    ///   (images done, images declared).
    /// - Throws: `DataError` for unreadable or malformed images or labels,
    ///   including an image/label count mismatch (found before classifying).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> EvaluationResult {
        let start = DispatchTime.now().uptimeNanoseconds
        // Images header first: the labels' count is checked before they are read.
        let reader = try IDXImageReader(path: imagesPath)
        let labels = try labelsPath.map { try LabelSet.read(path: $0, count: reader.count, imagesPath: imagesPath) }
        let classifier = BatchClassifier(network: network, batchSize: batchSize, threads: threads)
        var predictions: [UInt8] = []
        var confidences: [Float] = []
        var kept: [RetainedImage] = []
        // The header's count is not trusted for allocation: a lying header must
        // fail on missing data, not on a huge reservation.
        let reserve = min(reader.count, 1 << 20)
        predictions.reserveCapacity(reserve)
        confidences.reserveCapacity(reserve)

        let pipeline = ChunkPipeline(reader: reader, chunkImages: chunkImages)
        defer { pipeline.finish() }
        while let chunk = try pipeline.next() {
            let first = predictions.count
            predictions.append(contentsOf: repeatElement(0, count: chunk.count))
            confidences.append(contentsOf: repeatElement(0, count: chunk.count))
            predictions.withUnsafeMutableBufferPointer { p in
                confidences.withUnsafeMutableBufferPointer { c in
                    let outputs = BatchClassifier.Outputs(
                        predictions: UnsafeMutableBufferPointer(rebasing: p[first...]),
                        confidences: UnsafeMutableBufferPointer(rebasing: c[first...]))
                    classifier.classify(chunk.pixels, count: chunk.count, into: outputs)
                }
            }
            if let labels, kept.count < keepMisclassified {
                let size = reader.pixelsPerImage
                for i in 0..<chunk.count where kept.count < keepMisclassified && predictions[first + i] != labels.labels[first + i] {
                    kept.append(RetainedImage(index: first + i, pixels: Array(chunk.pixels[(i * size)..<((i + 1) * size)])))
                }
            }
            pipeline.release(chunk)
            progress?(predictions.count, reader.count)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var result = EvaluationResult(
            imagesPath: imagesPath, labelsPath: labels?.path, weightsPath: weightsPath,
            architecture: network.architecture, activation: network.hiddenActivation.rawValue,
            inputMean: network.inputMean, inputStd: network.inputStd,
            predictions: predictions, confidences: confidences, labels: labels?.labels,
            seconds: seconds, threads: classifier.threads, batchSize: classifier.batchSize)
        result.misclassifiedImages = kept
        return result
    }
}
