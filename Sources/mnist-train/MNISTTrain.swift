import ArgumentParser
import MNISTCommandLine
import MNISTData
import MNISTNetwork
import MNISTPlumbing
import MNISTTraining

/// Trains the 784-100-10 MNIST network; the defaults reproduce the shipped weights.
@main
struct MNISTTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-train",
        abstract: "Train a dense MNIST classifier; the defaults reproduce the shipped weights.",
        // swift-argument-parser writes `<options>` for more than 12 options, as if they were required.
        usage: "mnist-train [<options>]",
        discussion: """
            Reads the training set only (never t10k): the last --validation-size images are held \
            out and every choice of the recipe was made on their accuracy. The same options and \
            seed give bit-identical weights for any --threads. The default run writes \
            mnist-trained.safetensors, byte for byte the shipped weights:

              mnist-train
              cmp mnist-trained.safetensors Data/mnist-784-100-10.safetensors

            The default recipe trains 150 epochs on images that are warped and, three in ten of \
            them, corrupted (grey or shaded pages, noise, blur, stray strokes, pen width), so that \
            the network reads spoiled pages too; about 2 minutes on 2 cores. Earlier shipped \
            weights came from --clean-fraction 0.5 and, before those, from --corrupt none \
            --max-shift 2 --max-rotation 10 --epochs 60.

            An existing output file is never replaced unless --overwrite is given.

            Exit codes: 0 done, 64 usage error, 65 malformed training data, 66 a file that \
            cannot be read or written.
            """,
        version: PackageVersion.string)

    @OptionGroup(title: "Data") var data: DataOptions
    @OptionGroup(title: "Network") var network: NetworkOptions
    @OptionGroup(title: "Optimisation") var optimisation: OptimisationOptions
    @OptionGroup(title: "Augmentation") var augmentation: AugmentationOptions
    @OptionGroup(title: "Robustness") var robustness: RobustnessOptions
    @OptionGroup(title: "Distillation") var distillation: DistillationOptions
    @OptionGroup(title: "Performance") var performance: PerformanceOptions

    static func main() { mainWithToolErrors() }

    func validate() throws {
        try distillation.check()
        let recipe: TrainingRecipe
        do { recipe = try self.recipe(); try recipe.validate() } catch { throw ValidationError(error.description) }
        if recipe.corruption == nil && robustness.cleanFraction != nil {
            throw ValidationError("--clean-fraction applies to corrupted training images, and --corrupt is none")
        }
        guard performance.threads > 0 else { throw ValidationError("--threads: expected at least 1, found \(performance.threads)") }
    }

    func run() throws {
        if !data.overwrite && FileDescriptor.isFile(data.output) {
            Self.reportError("\(data.output): exists; pass --overwrite to replace it, or --output another path")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        var recipe = try recipe()
        if let teacher = distillation.teacher {
            do {
                recipe.distillation = try Distillation.load(teacherAt: teacher, temperature: distillation.temperature ?? DistillationOptions.defaultTemperature,
                                                            weight: distillation.distillWeight ?? DistillationOptions.defaultWeight)
                try recipe.validate()
            } catch {
                Self.reportError("\(error)")
                // A teacher that does not fit the recipe is a usage error; an unreadable or malformed file is 66 or 65.
                throw ExitCode(error is TrainingError ? ExitStatus.usage.rawValue : ExitStatus(for: error).rawValue)
            }
        }
        let session = TrainingSession(imagesPath: try located(data.images, PackageData.trainingImages),
                                      labelsPath: try located(data.labels, PackageData.trainingLabels), outputPath: data.output,
                                      recipe: recipe,
                                      threads: Self.threadsWithinCores(performance.threads),
                                      quiet: performance.quiet)
        do {
            print(try session.run())
        } catch {
            Self.reportError("\(error)")
            // The same codes as mnist-eval: 66 unreadable/unwritable file, 65 malformed data.
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
    }

    /// The file named, or the package's own; exit 66 naming where it looked.
    private func located(_ named: String?, _ packaged: String) throws -> String {
        if let named { return named }
        if let found = PackageData.locate(packaged) { return found }
        let looked = PackageData.candidates(for: packaged).joined(separator: ", ")
        Self.reportError("the MNIST training set is not here (looked for \(looked)); name it with --images and --labels")
        throw ExitCode(ExitStatus.cannotOpen.rawValue)
    }

    private func recipe() throws(TrainingError) -> TrainingRecipe {
        var recipe = TrainingRecipe()
        recipe.hidden = try TrainingRecipe.parseWidths(network.hidden)
        guard let parsed = Activation(name: network.activation) else {
            throw TrainingError(.badRecipe(option: "activation", expected: "relu, sigmoid, tanh or identity", found: network.activation))
        }
        recipe.activation = parsed
        recipe.epochs = optimisation.epochs
        recipe.batchSize = optimisation.batchSize
        recipe.learningRate = optimisation.learningRate
        recipe.momentum = optimisation.momentum
        recipe.weightDecay = optimisation.weightDecay
        recipe.warmupEpochs = optimisation.warmupEpochs
        recipe.seed = optimisation.seed
        let a = augmentation
        recipe.augmentation = a.augment
            ? AugmentationSettings(maxShift: a.maxShift, maxRotationDegrees: a.maxRotation, maxScale: a.maxScale,
                                   maxShear: a.maxShear, elasticAlpha: a.elasticAlpha, elasticSigma: a.elasticSigma)
            : nil
        recipe.validationSize = data.validationSize
        // Set either way: the recipe's default corrupts, and --corrupt none must undo that.
        recipe.corruption = try robustness.families().map { families in
            CorruptionSettings(cleanFraction: robustness.cleanFraction ?? CorruptionSettings.standard.cleanFraction, families: families)
        }
        guard let preprocessing = Preprocessing(name: robustness.preprocess) else {
            throw TrainingError(.badRecipe(option: "preprocess", expected: Preprocessing.allCases.map(\.rawValue).joined(separator: " or "),
                                           found: robustness.preprocess))
        }
        recipe.preprocessing = preprocessing
        return recipe
    }
}
