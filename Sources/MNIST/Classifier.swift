import MNISTData
import MNISTEvaluation
import MNISTNetwork
import MNISTPredict
import MNISTReport

/// A trained 784-…-10 network, ready to classify MNIST-style digits.
///
/// ```swift
/// import MNIST
///
/// let classifier = Classifier.shipped
/// let result = try classifier.evaluate(images: "t10k-images-idx3-ubyte.gz")
/// print(result.metrics?.accuracy ?? 0)
/// ```
///
/// A classifier is immutable and `Sendable`: share one across threads. Its
/// answers do not depend on how many images are classified together or on
/// how many threads do it.
public struct Classifier: Sendable {
    /// The network's layers, activation and input normalisation.
    public let network: Network
    /// Where the weights came from: their path, or
    /// `"built-in mnist-784-100-10"` for the built-in ones.
    public let weightsName: String
    /// Runs every batch; built once, since it pads and copies the weights.
    private let batchClassifier: BatchClassifier

    /// The weights this project trains and ships (98.94% on the MNIST test
    /// set, 92.5% mean over its 15 MNIST-C corruptions), built into the
    /// library: no file is needed at run time.
    public static let shipped = Classifier(network: Network.loadShipped().network, weightsName: Network.shippedWeightsName)

    /// Loads weights from a safetensors file: this project's layout
    /// (`W1` `[784, 100]`, `b1`, `W2`, `b2`, …) or a PyTorch `nn.Linear`
    /// state dict. The file's `__metadata__` may set `activation`,
    /// `input_mean` and `input_std`; without them the network uses ReLU on
    /// the pixels scaled to 0…1 (mean 0, standard deviation 1).
    ///
    /// - Throws: ``WeightsError`` naming the file and, where it helps, the byte
    ///   that is wrong.
    public init(weightsAt path: String) throws(WeightsError) {
        self.init(network: try Network.load(path: path).network, weightsName: path)
    }

    /// A classifier for a network already in memory (for example one you
    /// changed, or built layer by layer).
    /// - Parameters:
    ///   - network: Its first layer must take 784 inputs and its last give 10.
    ///   - weightsName: What reports call its weights.
    public init(network: Network, weightsName: String = "in-memory network") {
        precondition(network.inputCount == Classifier.pixelsPerImage && network.outputCount == 10,
                     "an MNIST classifier maps 784 pixels to 10 classes; this network is \(network.architectureDescription)")
        self.network = network
        self.weightsName = weightsName
        batchClassifier = BatchClassifier(network: network)
    }

    /// Pixels in one image: 28 × 28, row by row.
    public static let pixelsPerImage = 784

    /// Classifies one 28×28 image.
    ///
    /// - Parameter pixels: 784 bytes, row by row, 0 = background and 255 =
    ///   ink, as in the MNIST files (white digit on black). For a photo or
    ///   drawing of a digit, use ``classify(pictureAt:)``.
    public func classify(_ pixels: [UInt8]) -> Prediction {
        classify(batch: pixels)[0]
    }

    /// Classifies a batch of 28×28 images, spread over the cores.
    ///
    /// - Parameter pixels: the images one after another, 784 bytes each (a
    ///   multiple of 784 in all).
    /// - Returns: one prediction per image, in order.
    public func classify(batch pixels: [UInt8]) -> [Prediction] {
        precondition(pixels.count % Self.pixelsPerImage == 0,
                     "images are 784 bytes each; got \(pixels.count) bytes")
        let count = pixels.count / Self.pixelsPerImage
        let classes = network.outputCount
        var predicted = [UInt8](repeating: 0, count: count)
        var confidences = [Float](repeating: 0, count: count)
        var logits = [Float](repeating: 0, count: count * classes)
        pixels.withUnsafeBufferPointer { input in
            predicted.withUnsafeMutableBufferPointer { p in
                confidences.withUnsafeMutableBufferPointer { c in
                    logits.withUnsafeMutableBufferPointer { l in
                        batchClassifier.classify(input, count: count,
                                                 into: BatchClassifier.Outputs(predictions: p, confidences: c, logits: l))
                    }
                }
            }
        }
        return (0..<count).map { n in
            Prediction(digit: Int(predicted[n]),
                       probabilities: Softmax.probabilities(Array(logits[(n * classes)..<((n + 1) * classes)])))
        }
    }

    /// Reads a picture of one handwritten digit (PNG, JPEG, PGM or PPM, any size,
    /// dark ink on light paper or the other way round) and classifies it.
    ///
    /// The picture is made to look like an MNIST digit first, as
    /// `mnist-predict` does: turned grey, inverted if the ink is dark,
    /// cleared of its background, cropped to the digit, scaled into 20×20
    /// and centred by its centre of mass in 28×28.
    /// - Throws: an error naming the file when it cannot be read or is not
    ///   an image this library reads.
    public func classify(pictureAt path: String) throws -> Prediction {
        classify(try DigitInput.load(path: path, preprocess: true))
    }

    /// Classifies every image of an IDX file (gzip or raw) and, when there
    /// are labels, measures accuracy: the value `mnist-eval` reports from.
    ///
    /// The file is streamed in chunks, inflating on one thread while the
    /// others classify, so memory stays flat for any number of images.
    /// - Parameters:
    ///   - images: an IDX file of N×28×28 bytes.
    ///   - labels: its labels; by default the file found next to `images`
    ///     (`images` → `labels`, `idx3` → `idx1` in the name), or none.
    /// - Returns: counts, confusion matrix and per-class figures (its
    ///   `metrics`, a ``Metrics``) when there are labels, else the
    ///   predicted-class histogram.
    /// - Throws: ``DataError`` naming the file and the byte offset of what is
    ///   wrong, for unreadable or malformed files.
    public func evaluate(images: String, labels: String? = nil) throws -> EvaluationResult {
        let evaluator = Evaluator(imagesPath: images, labelsPath: labels ?? LabelsLocator.locate(forImages: images),
                                  weightsPath: weightsName, network: network)
        return try evaluator.run()
    }
}
