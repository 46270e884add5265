import ArgumentParser
import MNISTData
import MNISTNetwork
import MNISTReport
import MNISTEvaluation
import MNISTPlumbing

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

/// What to compare the run with, image by image.
struct BaselineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A predictions CSV that --predictions wrote on an earlier run over the same images (gzip "
                               + "or not): compare with it image by image. Its rows must match the images' count and labels.",
                               valueName: "file.csv"),
            completion: .file(extensions: ["csv", "gz"]))
    var baseline: String?

    @Option(help: ArgumentHelp("Baseline weights (safetensors): a second network, evaluated in the same pass over the "
                               + "images (read and inflated once), to compare with.", valueName: "path"),
            completion: .file(extensions: ["safetensors"]))
    var baselineWeights: String?

    @Option(help: ArgumentHelp("The baseline's hidden activation, overriding its metadata.", valueName: "name"),
            completion: .list(["relu", "sigmoid", "tanh", "identity"]))
    var baselineActivation: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("The baseline's input mean, overriding its metadata.", valueName: "value"))
    var baselineInputMean: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("The baseline's input standard deviation, overriding its metadata.",
                                                        valueName: "value"))
    var baselineInputStd: Float?

    /// A baseline is named (one of the two kinds).
    var isSet: Bool { baseline != nil || baselineWeights != nil }

    func check() throws {
        if baseline != nil && baselineWeights != nil {
            throw ValidationError("--baseline and --baseline-weights each name a baseline; give one of them")
        }
        let overrides = [("--baseline-activation", baselineActivation != nil), ("--baseline-input-mean", baselineInputMean != nil),
                         ("--baseline-input-std", baselineInputStd != nil)]
        if let (option, _) = overrides.first(where: { $0.1 }), baselineWeights == nil {
            throw ValidationError("\(option) applies to the network of --baseline-weights, and none is given")
        }
        if let baselineActivation, Activation(name: baselineActivation) == nil {
            throw ValidationError("--baseline-activation must be relu, sigmoid, tanh or identity; got '\(baselineActivation)'")
        }
        if let baselineInputStd, baselineInputStd == 0 || !baselineInputStd.isFinite {
            throw ValidationError("--baseline-input-std must be a non-zero number")
        }
        if let baselineInputMean, !baselineInputMean.isFinite { throw ValidationError("--baseline-input-mean must be a finite number") }
    }
}

struct OutputOptions: ParsableArguments {
    /// "All" misclassified images, bounded: 784 bytes are kept per image, and
    /// a grid of more than this is no longer a picture anyone reads.
    static let misclassifiedCap = EvaluationSession.pictureCap

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

    @Option(help: ArgumentHelp("With a baseline: draw the regressed images (right before, wrong now), with index, true and "
                               + "predicted label and confidence, into this PNG.", valueName: "file.png"),
            completion: .file(extensions: ["png"]))
    var regressions: String?

    @Option(help: ArgumentHelp("At most this many images in --misclassified and --regressions (default: all, up to "
                               + "\(Self.misclassifiedCap)).", valueName: "n"))
    var maxImages: Int?

    @Option(help: ArgumentHelp("Draw the confusion matrix as a heat map into this PNG.", valueName: "file.png"),
            completion: .file(extensions: ["png"]))
    var confusion: String?

    @Option(help: ArgumentHelp("Print the first n misclassified images as text art.", valueName: "n"))
    var show: Int = 0

    @Option(help: ArgumentHelp("Write JUnit XML for CI (Jenkins, GitLab, GitHub): one test case per gate and per digit's "
                               + "recall, a failure with its message for each that failed.", valueName: "file.xml"),
            completion: .file(extensions: ["xml"]))
    var junit: String?

    @Option(help: ArgumentHelp("Append a Markdown report (gates, comparison, per class) to this file, e.g. "
                               + "\"$GITHUB_STEP_SUMMARY\".", valueName: "file.md"),
            completion: .file(extensions: ["md"]))
    var summary: String?

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

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Fail (exit 1) when accuracy is more than this fraction below the baseline's (e.g. 0.002: "
                               + "0.2 points). By default the run gates on the drop and its significance: it fails only "
                               + "when the drop is also significant at --alpha. With --alpha 1 it gates on the drop alone.",
                               valueName: "fraction"))
    var maxDrop: Double?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("With --max-drop: the significance level of McNemar's exact two-sided test on the images "
                               + "the two disagree on, so that CI is not red on noise; 1 turns the test off "
                               + "(default: \(NumberFormat.plain(GateSettings.defaultAlpha))).", valueName: "level"))
    var alpha: Double?

    @Option(parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Fail (exit 1) when a digit's recall is below R: every digit's (R), or digit D's (D=R, "
                               + "repeatable, overriding R for D), e.g. --min-recall 0.97 --min-recall 9=0.95.",
                               valueName: "R|D=R"))
    var minRecall: [RecallThreshold] = []

    /// The thresholds as the reports take them.
    var settings: GateSettings {
        GateSettings(minAccuracy: minAccuracy, maxDrop: maxDrop, alpha: alpha ?? GateSettings.defaultAlpha,
                     minRecall: minRecall.last(where: { $0.digit == nil })?.fraction,
                     minRecallByDigit: Dictionary(minRecall.compactMap { entry in entry.digit.map { ($0, entry.fraction) } },
                                                  uniquingKeysWith: { $1 }))
    }

    func check() throws {
        if let minAccuracy, !(0...1).contains(minAccuracy) {
            throw ValidationError("--min-accuracy is a fraction between 0 and 1 (e.g. 0.98 for 98%); got \(minAccuracy)")
        }
        if let maxDrop, !(0...1).contains(maxDrop) {
            throw ValidationError("--max-drop is a fraction between 0 and 1 (e.g. 0.002 for 0.2 points); got \(maxDrop)")
        }
        if let alpha {
            guard maxDrop != nil else { throw ValidationError("--alpha is the significance level of --max-drop, and none is given") }
            guard alpha > 0 && alpha <= 1 else {
                throw ValidationError("--alpha is a significance level above 0 and at most 1 (e.g. 0.05); got \(alpha)")
            }
        }
        var seen: Set<Int?> = []
        for entry in minRecall {
            let option = entry.digit.map { "--min-recall \($0)=" } ?? "--min-recall "
            if let digit = entry.digit, !(0...9).contains(digit) {
                throw ValidationError("--min-recall D=R names a digit 0...9; got \(digit)")
            }
            guard (0...1).contains(entry.fraction) else {
                throw ValidationError("\(option)R takes a fraction between 0 and 1 (e.g. 0.97); got \(entry.fraction)")
            }
            guard seen.insert(entry.digit).inserted else {
                throw ValidationError(entry.digit.map { "--min-recall \($0)=R is given twice" } ?? "--min-recall R is given twice")
            }
        }
    }
}

/// One `--min-recall` value: `R` for every digit, or `D=R` for digit D.
struct RecallThreshold: ExpressibleByArgument {
    var digit: Int?
    var fraction: Double

    init?(argument: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let fraction = Double(argument) else { return nil }
            (digit, self.fraction) = (nil, fraction)
        case 2:
            guard let digit = Int(parts[0]), let fraction = Double(parts[1]) else { return nil }
            (self.digit, self.fraction) = (digit, fraction)
        default:
            return nil
        }
    }
}

struct PerformanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Images per batch handed to one core.", valueName: "n"))
    var batchSize: Int = BatchClassifier.defaultBatchSize

    @Option(help: ArgumentHelp("Worker threads, at most the cores this process may use. "
                               + "While a gzip file is inflating, one core is left to the reader.", valueName: "n"))
    var threads: Int = Threads.availableCores

    func check() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive; got \(batchSize)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive; got \(threads)") }
    }
}
