import ArgumentParser
import MNISTData
import MNISTNetwork
import MNISTReport
import MNISTTraining

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Trains the 784-100-10 MNIST network; the defaults reproduce the shipped weights.
@main
struct MNISTTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mnist-train",
        abstract: "Train a dense MNIST classifier; the defaults reproduce the shipped weights.",
        discussion: """
            Reads the training set only (never t10k): the last --validation-size images are held \
            out and every choice of the recipe was made on their accuracy. The same options and \
            seed give bit-identical weights for any --threads. The default run writes \
            mnist-trained.safetensors, byte for byte the shipped Data/mnist-784-100-10.safetensors:

              mnist-train && cmp mnist-trained.safetensors Data/mnist-784-100-10.safetensors

            An existing output file is never replaced unless --overwrite is given.

            Exit codes: 0 done, 64 usage error, 65 malformed training data, 66 a file that \
            cannot be read or written.
            """,
        version: PackageVersion.string)

    @Option(help: ArgumentHelp("Training images, gzip or raw IDX (default: the package's \(PackageData.trainingImages)).",
                               valueName: "path"))
    var images: String?
    @Option(help: ArgumentHelp("Training labels, gzip or raw IDX (default: the package's \(PackageData.trainingLabels)).",
                               valueName: "path"))
    var labels: String?
    @Option(help: ArgumentHelp("Where to write the weights (safetensors).", valueName: "path"))
    var output = "mnist-trained.safetensors"
    @Flag(help: "Replace --output if it exists (by default an existing file is never touched).")
    var overwrite = false

    @Option(help: "Hidden layer widths, comma-separated, input side first (e.g. 100 or 256,128).")
    var hidden = "100"
    @Option(help: "Hidden activation: relu, sigmoid, tanh or identity (step cannot be trained).")
    var activation = "relu"
    @Option(help: "Passes over the training images.")
    var epochs = TrainingRecipe().epochs
    @Option(help: "Images per mini-batch.")
    var batchSize = TrainingRecipe().batchSize
    @Option(help: "Peak learning rate (linear warm-up, then cosine decay to 0).")
    var learningRate = TrainingRecipe().learningRate
    @Option(help: "Nesterov momentum.")
    var momentum = TrainingRecipe().momentum
    @Option(help: "L2 weight decay on weights (not biases).")
    var weightDecay = TrainingRecipe().weightDecay
    @Option(help: "Epochs of linear learning-rate warm-up (may be fractional).")
    var warmupEpochs = TrainingRecipe().warmupEpochs
    @Option(help: "Seed for initialisation, shuffling and augmentation.")
    var seed = TrainingRecipe().seed

    @Flag(inversion: .prefixedNo, help: "Randomly shift, rotate, scale and shear training images.")
    var augment = true
    @Option(help: "Augmentation: largest shift in pixels.")
    var maxShift = AugmentationSettings.standard.maxShift
    @Option(help: "Augmentation: largest rotation in degrees.")
    var maxRotation = AugmentationSettings.standard.maxRotationDegrees
    @Option(help: "Augmentation: largest relative scale change (0.1 = ±10%).")
    var maxScale = AugmentationSettings.standard.maxScale
    @Option(help: "Augmentation: largest horizontal shear factor.")
    var maxShear = AugmentationSettings.standard.maxShear
    @Option(help: "Augmentation: elastic distortion strength in pixels (0 = off).")
    var elasticAlpha = AugmentationSettings.standard.elasticAlpha
    @Option(help: "Augmentation: elastic distortion smoothness (Gaussian sigma, pixels).")
    var elasticSigma = AugmentationSettings.standard.elasticSigma

    @Option(help: "Images held out from the end of the training file to measure validation accuracy.")
    var validationSize = TrainingRecipe().validationSize
    @Option(help: "Worker threads (default: every core this process may use); the weights do not depend on it.")
    var threads = BatchClassifier.availableCores
    @Flag(help: "Print no progress.")
    var quiet = false

    func validate() throws {
        do { try recipe().validate() } catch { throw ValidationError(error.description) }
        guard threads > 0 else { throw ValidationError("--threads: expected at least 1, found \(threads)") }
    }

    func run() throws {
        if !overwrite && PackageData.isFile(output) {
            StandardError.write("mnist-train: error: \(output): exists; pass --overwrite to replace it, or --output another path\n")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let session = TrainingSession(imagesPath: try located(images, PackageData.trainingImages),
                                      labelsPath: try located(labels, PackageData.trainingLabels), outputPath: output,
                                      recipe: try recipe(), threads: threads, quiet: quiet)
        do {
            print(try session.run())
        } catch {
            StandardError.write("mnist-train: error: \(error)\n")
            // The same codes as mnist-eval: 66 unreadable/unwritable file, 65 malformed data.
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
    }

    /// The file named, or the package's own; exit 66 naming where it looked.
    private func located(_ named: String?, _ packaged: String) throws -> String {
        if let named { return named }
        if let found = PackageData.locate(packaged) { return found }
        let looked = PackageData.candidates(for: packaged).joined(separator: ", ")
        StandardError.write("mnist-train: error: the MNIST training set is not here (looked for \(looked)); "
            + "name it with --images and --labels\n")
        throw ExitCode(ExitStatus.cannotOpen.rawValue)
    }

    private func recipe() throws(TrainingError) -> TrainingRecipe {
        var recipe = TrainingRecipe()
        recipe.hidden = try TrainingRecipe.parseWidths(hidden)
        guard let parsed = Activation(name: activation) else {
            throw TrainingError(.badRecipe(option: "activation", expected: "relu, sigmoid, tanh or identity", found: activation))
        }
        recipe.activation = parsed
        recipe.epochs = epochs
        recipe.batchSize = batchSize
        recipe.learningRate = learningRate
        recipe.momentum = momentum
        recipe.weightDecay = weightDecay
        recipe.warmupEpochs = warmupEpochs
        recipe.seed = seed
        recipe.augmentation = augment
            ? AugmentationSettings(maxShift: maxShift, maxRotationDegrees: maxRotation, maxScale: maxScale, maxShear: maxShear,
                                   elasticAlpha: elasticAlpha, elasticSigma: elasticSigma)
            : nil
        recipe.validationSize = validationSize
        return recipe
    }
}

