import ArgumentParser
import MNISTData
import MNISTNetwork

/// mnist-eval's options, in the groups `--help` shows.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("IDX images file, gzip or raw (default: the shipped test set, \(PackageData.testImages)).",
                                 valueName: "images"),
              completion: .file())
    var images: String?

    @Option(help: ArgumentHelp("Labels IDX file (default: found next to the images).", valueName: "path"),
            completion: .file())
    var labels: String?

    @Option(help: ArgumentHelp("Weights in safetensors format (default: the shipped weights, built in).", valueName: "path"),
            completion: .file(extensions: ["safetensors"]))
    var weights: String?

    @Option(help: ArgumentHelp("Hidden activation, overriding the weights' metadata: relu, sigmoid, tanh, identity.",
                               valueName: "name"),
            completion: .list(["relu", "sigmoid", "tanh", "identity"]))
    var activation: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Input mean, overriding the metadata: x = (pixel/255 - mean)/std.", valueName: "value"))
    var inputMean: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Input standard deviation, overriding the metadata.", valueName: "value"))
    var inputStd: Float?

    func check() throws {
        if let activation, Activation(name: activation) == nil {
            throw ValidationError("--activation must be relu, sigmoid, tanh or identity; got '\(activation)'")
        }
        if let inputStd, inputStd == 0 || !inputStd.isFinite { throw ValidationError("--input-std must be a non-zero number") }
        if let inputMean, !inputMean.isFinite { throw ValidationError("--input-mean must be a finite number") }
    }
}

struct OutputOptions: ParsableArguments {
    /// "All" misclassified images, bounded: 784 bytes are kept per image, and
    /// a grid of more than this is no longer a picture anyone reads.
    static let misclassifiedCap = 1000

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(help: "Report format: text or json.")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write index,label,predicted,confidence for every image to this CSV file.", valueName: "file"),
            completion: .file(extensions: ["csv"]))
    var predictions: String?

    @Option(help: ArgumentHelp("Draw the misclassified images, with index, true and predicted label and confidence, into this PNG.",
                               valueName: "file.png"),
            completion: .file(extensions: ["png"]))
    var misclassified: String?

    @Option(help: ArgumentHelp("At most this many images in --misclassified (default: all, up to \(Self.misclassifiedCap)).",
                               valueName: "n"))
    var maxImages: Int?

    @Option(help: ArgumentHelp("Draw the confusion matrix as a heat map into this PNG.", valueName: "file.png"),
            completion: .file(extensions: ["png"]))
    var confusion: String?

    @Option(help: ArgumentHelp("Print the first n misclassified images as text art.", valueName: "n"))
    var show: Int = 0

    @Flag(help: "No progress line on a terminal.")
    var quiet = false

    func check() throws {
        if let maxImages, maxImages <= 0 { throw ValidationError("--max-images must be positive; got \(maxImages)") }
        guard show >= 0 else { throw ValidationError("--show must not be negative; got \(show)") }
    }
}

struct GateOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Fail (exit 1) when accuracy is below this fraction, 0...1 (e.g. 0.98).", valueName: "fraction"))
    var minAccuracy: Double?

    func check() throws {
        if let minAccuracy, !(0...1).contains(minAccuracy) {
            throw ValidationError("--min-accuracy is a fraction between 0 and 1 (e.g. 0.98 for 98%); got \(minAccuracy)")
        }
    }
}

struct PerformanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Images per batch handed to one core.", valueName: "n"))
    var batchSize: Int = BatchClassifier.defaultBatchSize

    @Option(help: ArgumentHelp("Worker threads, at most the cores this process may use. "
                               + "While a gzip file is inflating, one core is left to the reader.", valueName: "n"))
    var threads: Int = BatchClassifier.availableCores

    func check() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive; got \(batchSize)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive; got \(threads)") }
    }
}
