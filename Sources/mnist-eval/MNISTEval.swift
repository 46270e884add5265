import ArgumentParser
import MNISTData
import MNISTNetwork
import MNISTPictures
import MNISTReport

@main
struct MNISTEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-eval",
        abstract: "Classify MNIST digit images with a dense neural network and report its accuracy.",
        discussion: """
            IMAGES is an IDX file of N×28×28 unsigned bytes, gzip-compressed or raw (detected \
            from its first bytes). The labels file is found next to it by replacing 'images' \
            with 'labels' and 'idx3' with 'idx1' in the name (with or without .gz); --labels \
            overrides. Without labels, mnist-eval still classifies and reports the predicted-class \
            histogram.

            Weights are safetensors: the project's layout (W1 [784,100], b1, W2 [100,10], b2, ...) \
            or a PyTorch nn.Linear state dict; __metadata__ may set activation, input_mean and \
            input_std.

            Examples:
              mnist-eval                                  evaluate the shipped test set
              mnist-eval t10k-images-idx3-ubyte.gz --format json
              mnist-eval images.gz --min-accuracy 0.98    CI gate: exit 1 below 98%
              mnist-eval images.gz --predictions out.csv  one CSV row per image
              mnist-eval --misclassified errors.png --max-images 60 --confusion confusion.png
              mnist-eval --show 5                         the first 5 errors as text art

            Exit codes:
              0   done (and the accuracy gate passed)
              1   accuracy below --min-accuracy
              64  usage error
              65  malformed images, labels or weights
              66  a file that cannot be opened or written
            """,
        version: PackageVersion.string)

    /// The shipped test set, when it can be found (`PackageData`).
    static let defaultImages = PackageData.locate(PackageData.testImages)

    /// The images file, already inflating while the options are parsed when the
    /// command line's shape names it (`ImagesPrefetch.imagesPath`). Set once, on
    /// the main thread, before parsing; taken by `evaluate`.
    nonisolated(unsafe) static var prefetch: ImagesPrefetch?

    static func main() {
        prefetch = defaultImages.flatMap { ImagesPrefetch.imagesPath(in: CommandLine.arguments, default: $0) }
            .flatMap { ImagesPrefetch(path: $0) }
        main(nil)
    }

    /// "All" misclassified images, bounded: 784 bytes are kept per image, and
    /// a grid of more than this is no longer a picture anyone reads.
    static let misclassifiedCap = 1000

    @Argument(help: ArgumentHelp("IDX images file, gzip or raw (default: the shipped test set, \(PackageData.testImages)).",
                                 valueName: "images"))
    var images: String?

    @Option(help: ArgumentHelp("Labels IDX file (default: found next to the images).", valueName: "path"))
    var labels: String?

    @Option(help: ArgumentHelp("Weights in safetensors format (default: the shipped weights, built in).", valueName: "path"))
    var weights: String?

    @Option(help: "Report format: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Write index,label,predicted,confidence for every image to this CSV file.", valueName: "file"))
    var predictions: String?

    @Option(help: ArgumentHelp("Draw the misclassified images, with index, true and predicted label and confidence, into this PNG.", valueName: "file.png"))
    var misclassified: String?

    @Option(help: ArgumentHelp("At most this many images in --misclassified (default: all, up to \(Self.misclassifiedCap)).", valueName: "n"))
    var maxImages: Int?

    @Option(help: ArgumentHelp("Draw the confusion matrix as a heat map into this PNG.", valueName: "file.png"))
    var confusion: String?

    @Option(help: ArgumentHelp("Print the first n misclassified images as text art.", valueName: "n"))
    var show: Int = 0

    @Option(help: ArgumentHelp("Fail (exit 1) when accuracy is below this fraction, 0...1 (e.g. 0.98).", valueName: "fraction"))
    var minAccuracy: Double?

    @Option(help: "Images per batch handed to one core.")
    var batchSize: Int = BatchClassifier.defaultBatchSize

    @Option(help: "Worker threads; the default is every core this process may use. While a gzip file is inflating, one core is left to the reader.")
    var threads: Int = BatchClassifier.availableCores

    @Option(help: ArgumentHelp("Hidden activation, overriding the weights' metadata: relu, sigmoid, tanh, identity.", valueName: "name"))
    var activation: String?

    @Option(help: ArgumentHelp("Input mean, overriding the metadata: x = (pixel/255 - mean)/std.", valueName: "value"))
    var inputMean: Float?

    @Option(help: ArgumentHelp("Input standard deviation, overriding the metadata.", valueName: "value"))
    var inputStd: Float?

    @Flag(help: "No progress line on a terminal.")
    var quiet = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        if let minAccuracy, !(0...1).contains(minAccuracy) {
            throw ValidationError("--min-accuracy is a fraction between 0 and 1 (e.g. 0.98 for 98%); got \(minAccuracy)")
        }
        if let maxImages, maxImages <= 0 { throw ValidationError("--max-images must be positive; got \(maxImages)") }
        guard show >= 0 else { throw ValidationError("--show must not be negative; got \(show)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive; got \(batchSize)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive; got \(threads)") }
        if let activation, Activation(name: activation) == nil {
            throw ValidationError("--activation must be relu, sigmoid, tanh or identity; got '\(activation)'")
        }
        if let inputStd, inputStd == 0 || !inputStd.isFinite { throw ValidationError("--input-std must be a non-zero number") }
        if let inputMean, !inputMean.isFinite { throw ValidationError("--input-mean must be a finite number") }
    }

    func run() throws {
        do {
            try evaluate()
        } catch let error as ExitCode {
            throw error
        } catch {
            Console.error("\(error)")
            throw ExitCode(ExitStatus(forAny: error).rawValue)
        }
    }

    private func evaluate() throws {
        guard let images = images ?? Self.defaultImages else {
            let looked = PackageData.candidates(for: PackageData.testImages).joined(separator: ", ")
            Console.error("no images file named, and the shipped test set is not here (looked for \(looked)); "
                + "name an IDX images file: mnist-eval path/to/t10k-images-idx3-ubyte.gz")
            throw ExitCode(ExitStatus.cannotOpen.rawValue)
        }
        let labelsPath = labels ?? LabelsLocator.locate(forImages: images)
        let needsLabels = [minAccuracy.map { _ in "--min-accuracy" }, misclassified.map { _ in "--misclassified" },
                           confusion.map { _ in "--confusion" }, show > 0 ? "--show" : nil].compactMap { $0 }
        if let option = needsLabels.first, labelsPath == nil {
            let tried = LabelsLocator.candidates(forImages: images)
            Console.error("\(images): \(option) needs labels; none found next to the images"
                + (tried.isEmpty ? "" : " (tried \(tried.joined(separator: ", ")))") + "; pass --labels")
            throw ExitCode(ExitStatus.cannotOpen.rawValue)
        }
        // Loaded by the evaluator while the first images are inflating.
        let (weights, activation, inputMean, inputStd) = (weights, activation, inputMean, inputStd)
        let loadNetwork = { @Sendable () throws -> Network in
            var network = try weights.map { try Network.load(path: $0).network } ?? Network.loadShipped().network
            if let activation { network.hiddenActivation = Activation(name: activation)! }
            if let inputMean { network.inputMean = inputMean }
            if let inputStd { network.inputStd = inputStd }
            return network
        }
        var evaluator = Evaluator(imagesPath: images, labelsPath: labelsPath,
                                  weightsPath: weights ?? Network.shippedWeightsName,
                                  loadNetwork: loadNetwork, batchSize: batchSize, threads: threads)
        evaluator.prefetch = Self.prefetch
        Self.prefetch = nil
        let pictured = misclassified == nil ? 0 : maxImages ?? Self.misclassifiedCap
        evaluator.keepMisclassified = max(pictured, show)
        evaluator.predictionsPath = predictions
        let progress = quiet ? nil : Console.progressLine()
        let result = try evaluator.run(progress: progress)
        if progress != nil { Console.clearProgress() }
        if let misclassified { try PNGFile.write(MisclassifiedGrid(result: result, limit: pictured).render(), to: misclassified) }
        if let confusion, let metrics = result.metrics {
            try PNGFile.write(ConfusionHeatmap(confusion: metrics.confusion).render(), to: confusion)
        }
        print(format == .json ? JSONReport.render(result) : TextReport.render(result), terminator: "")
        if show > 0 {
            // Text art after the report; with JSON on stdout it goes to stderr, keeping stdout parseable.
            let art = TextArt.misclassified(MisclassifiedGrid(result: result, limit: show).entries)
            if format == .json { Console.write(art) } else { print(art, terminator: "") }
        }
        if let minAccuracy, let metrics = result.metrics, metrics.accuracy < minAccuracy {
            Console.error("accuracy \(NumberFormat.percent(metrics.accuracy)) is below --min-accuracy \(NumberFormat.percent(minAccuracy))")
            throw ExitCode(ExitStatus.belowGate.rawValue)
        }
    }
}
