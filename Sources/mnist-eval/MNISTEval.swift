import ArgumentParser
import MNISTCommandLine
import MNISTData
import MNISTEvaluation
import MNISTNetwork
import MNISTPictures
import MNISTPlumbing
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

            The shipped weights are built in. Other weights are safetensors: the project's layout \
            (W1 [784,100], b1, W2 [100,10], b2, ...) or a PyTorch nn.Linear state dict; \
            __metadata__ may set activation, input_mean and input_std (without it: relu, 0, 1).

            Examples:
              mnist-eval                                  evaluate the shipped test set
              mnist-eval t10k-images-idx3-ubyte.gz --format json
              mnist-eval images.gz --min-accuracy 0.98    CI gate: exit 1 below 98%
              mnist-eval images.gz --predictions out.csv  one CSV row per image
              mnist-eval --misclassified errors.png --max-images 60 --confusion confusion.png
              mnist-eval --show 5                         the first 5 errors as text art

            CI gate: compare with a baseline (an earlier run's --predictions CSV, or a second network \
            evaluated in the same pass) and gate on the drop, per digit, and on accuracy; write JUnit \
            XML and a Markdown summary for the CI system:
              mnist-eval --baseline main.csv --max-drop 0.002 --min-recall 0.97 \\
                --junit junit.xml --summary "$GITHUB_STEP_SUMMARY" \\
                --regressions regressions.png
            A --max-drop run gates on the drop and its significance (McNemar's exact test at --alpha, \
            0.05 unless given): a drop larger than --max-drop fails only if it is significant. \
            --alpha 1 gates on the drop alone. The report's line for a drop beyond --max-drop gives \
            its p-value, or says it was gated on the drop alone.

            Exit codes:
              0   done (and every gate passed)
              1   a gate failed: --min-accuracy, --max-drop or --min-recall
              64  usage error
              65  malformed images, labels or weights; a baseline of other images
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
        mainWithToolErrors()
    }

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Baseline") var baseline: BaselineOptions
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Gate") var gate: GateOptions
    @OptionGroup(title: "Performance") var performance: PerformanceOptions

    func validate() throws {
        try input.check()
        try baseline.check()
        try output.check()
        try gate.check()
        try performance.check()
        if !baseline.isSet {
            if gate.maxDrop != nil {
                throw ValidationError("--max-drop compares with a baseline; add --baseline FILE.csv or --baseline-weights FILE")
            }
            if output.regressions != nil {
                throw ValidationError("--regressions draws the images a baseline got right; add --baseline or --baseline-weights")
            }
        }
    }

    func run() throws {
        do {
            try evaluate()
        } catch let error as ExitCode {
            throw error
        } catch {
            Self.reportError("\(error)")
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
    }

    private func evaluate() throws {
        guard let images = input.images ?? Self.defaultImages else {
            let looked = PackageData.candidates(for: PackageData.testImages).joined(separator: ", ")
            Self.reportError("no images file named, and the shipped test set is not here (looked for \(looked)); "
                + "name an IDX images file: mnist-eval path/to/t10k-images-idx3-ubyte.gz")
            throw ExitCode(ExitStatus.cannotOpen.rawValue)
        }
        let labelsPath = input.labels ?? LabelsLocator.locate(forImages: images)
        let lookedFor = input.labels == nil ? LabelsLocator.candidates(forImages: images) : []
        let needsLabels = [("--min-accuracy", gate.minAccuracy != nil), ("--min-recall", !gate.minRecall.isEmpty),
                           ("--baseline", baseline.baseline != nil), ("--baseline-weights", baseline.baselineWeights != nil),
                           ("--junit", output.junit != nil), ("--misclassified", output.misclassified != nil),
                           ("--confusion", output.confusion != nil), ("--show", output.show > 0)]
            .filter(\.1).map(\.0)
        if let option = needsLabels.first, labelsPath == nil {
            Self.reportError("\(images): \(option) needs labels; none found next to the images"
                + (lookedFor.isEmpty ? "" : " (tried \(lookedFor.joined(separator: ", ")))") + "; pass --labels")
            throw ExitCode(ExitStatus.cannotOpen.rawValue)
        }
        let threads = Self.threadsWithinCores(performance.threads)
        // Loaded by the evaluator while the first images are inflating.
        let (weights, activation, inputMean, inputStd) = (input.weights, input.activation, input.inputMean, input.inputStd)
        let loadNetwork = { @Sendable () throws -> Network in
            var network = try weights.map { try Network.load(path: $0).network } ?? Network.loadShipped().network
            if let activation { network.hiddenActivation = Activation(name: activation)! }
            if let inputMean { network.inputMean = inputMean }
            if let inputStd { network.inputStd = inputStd }
            return network
        }
        var evaluator = Evaluator(imagesPath: images, labelsPath: labelsPath,
                                  weightsPath: weights ?? Network.shippedWeightsName,
                                  loadNetwork: loadNetwork, batchSize: performance.batchSize, threads: threads)
        evaluator.prefetch = Self.prefetch
        Self.prefetch = nil
        evaluator.predictionsPath = output.predictions
        evaluator.baseline = baselineToCompare()
        var session = EvaluationSession(evaluator: evaluator, gates: gate.settings)
        session.labelsLookedFor = lookedFor
        session.format = output.format == .json ? .json : .text
        (session.misclassifiedPath, session.confusionPath, session.regressionsPath) = (output.misclassified, output.confusion, output.regressions)
        (session.maxImages, session.junitPath, session.summaryPath, session.show) = (output.maxImages, output.junit, output.summary, output.show)

        let progress = output.quiet ? nil : Console.progressLine()
        let outcome: EvaluationSession.Outcome
        do {
            outcome = try session.run(progress: progress)
            if progress != nil { Console.clearProgress() }
        } catch {
            if progress != nil { Console.clearProgress() }
            throw error
        }
        outcome.notes.forEach { Self.reportNote($0) }
        print(outcome.report, terminator: "")
        if let art = outcome.art {
            // Text art after the report; with JSON on stdout it goes to stderr, keeping stdout parseable.
            if output.format == .json { StandardError.write(art) } else { print(art, terminator: "") }
        }
        if !outcome.failedGates.isEmpty {
            for failure in outcome.failedGates { Self.reportError(failure.message) }
            throw ExitCode(ExitStatus.belowGate.rawValue)
        }
    }

    /// `--baseline` or `--baseline-weights` (with its overrides), for the evaluator.
    private func baselineToCompare() -> Evaluator.Baseline? {
        if let path = baseline.baseline { return .predictions(path: path) }
        guard let path = baseline.baselineWeights else { return nil }
        let (activation, inputMean, inputStd) = (baseline.baselineActivation, baseline.baselineInputMean, baseline.baselineInputStd)
        return .network(path: path, load: {
            var network = try Network.load(path: path).network
            if let activation { network.hiddenActivation = Activation(name: activation)! }
            if let inputMean { network.inputMean = inputMean }
            if let inputStd { network.inputStd = inputStd }
            return network
        })
    }
}
