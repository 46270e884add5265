import ArgumentParser
import MNISTData
import MNISTNetwork
import MNISTPlumbing
import MNISTTraining

/// mnist-train's options, in the groups `--help` shows. Every default is the
/// shipped weights' recipe.
struct DataOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Training images, gzip or raw IDX (default: the package's \(PackageData.trainingImages)).",
                               valueName: "path"),
            completion: .file())
    var images: String?

    @Option(help: ArgumentHelp("Training labels, gzip or raw IDX (default: the package's \(PackageData.trainingLabels)).",
                               valueName: "path"),
            completion: .file())
    var labels: String?

    @Option(help: ArgumentHelp("Where to write the weights (safetensors).", valueName: "path"),
            completion: .file(extensions: ["safetensors"]))
    var output = "mnist-trained.safetensors"

    @Flag(help: "Replace --output if it exists (by default an existing file is never touched).")
    var overwrite = false

    @Option(help: ArgumentHelp("Images held out from the end of the training file to measure validation accuracy.",
                               valueName: "n"))
    var validationSize = TrainingRecipe().validationSize
}

struct NetworkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Hidden layer widths, comma-separated, input side first (e.g. 100 or 256,128).",
                               valueName: "widths"))
    var hidden = "100"

    @Option(help: ArgumentHelp("Hidden activation: relu, sigmoid, tanh or identity (step cannot be trained).",
                               valueName: "name"),
            completion: .list(["relu", "sigmoid", "tanh", "identity"]))
    var activation = "relu"
}

struct OptimisationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Passes over the training images.", valueName: "n"))
    var epochs = TrainingRecipe().epochs
    @Option(help: ArgumentHelp("Images per mini-batch.", valueName: "n"))
    var batchSize = TrainingRecipe().batchSize
    @Option(help: ArgumentHelp("Peak learning rate (linear warm-up, then cosine decay to 0).", valueName: "rate"))
    var learningRate = TrainingRecipe().learningRate
    @Option(help: ArgumentHelp("Nesterov momentum.", valueName: "value"))
    var momentum = TrainingRecipe().momentum
    @Option(help: ArgumentHelp("L2 weight decay on weights (not biases).", valueName: "value"))
    var weightDecay = TrainingRecipe().weightDecay
    @Option(help: ArgumentHelp("Epochs of linear learning-rate warm-up (may be fractional).", valueName: "epochs"))
    var warmupEpochs = TrainingRecipe().warmupEpochs
    @Option(help: ArgumentHelp("Seed for initialisation, shuffling and augmentation.", valueName: "n"))
    var seed = TrainingRecipe().seed
}

struct AugmentationOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Randomly shift, rotate, scale and shear training images.")
    var augment = true
    @Option(help: ArgumentHelp("Largest shift in pixels.", valueName: "pixels"))
    var maxShift = AugmentationSettings.standard.maxShift
    @Option(help: ArgumentHelp("Largest rotation in degrees.", valueName: "degrees"))
    var maxRotation = AugmentationSettings.standard.maxRotationDegrees
    @Option(help: ArgumentHelp("Largest relative scale change (0.1 = ±10%).", valueName: "fraction"))
    var maxScale = AugmentationSettings.standard.maxScale
    @Option(help: ArgumentHelp("Largest horizontal shear factor.", valueName: "factor"))
    var maxShear = AugmentationSettings.standard.maxShear
    @Option(help: ArgumentHelp("Elastic distortion strength in pixels (0 = off).", valueName: "pixels"))
    var elasticAlpha = AugmentationSettings.standard.elasticAlpha
    @Option(help: ArgumentHelp("Elastic distortion smoothness (Gaussian sigma, pixels).", valueName: "pixels"))
    var elasticSigma = AugmentationSettings.standard.elasticSigma
}

struct RobustnessOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Corrupt training images with these families, comma-separated: "
                               + CorruptionFamily.allCases.map(\.rawValue).joined(separator: ", ")
                               + "; all, or none to train on the warped images as they are. "
                               + "Validation is always also measured under every family.",
                               valueName: "families"))
    var corrupt = Self.optionText(TrainingRecipe().corruption)
    @Option(help: ArgumentHelp("The share of training images left clean (default: \(CorruptionSettings.standard.cleanFraction)).",
                               valueName: "fraction"))
    var cleanFraction: Float?
    @Option(help: ArgumentHelp("Preprocess every image (recorded in the weights, applied by every tool): "
                               + Preprocessing.allCases.map(\.rawValue).joined(separator: " or ") + ".", valueName: "name"))
    var preprocess = Preprocessing.none.rawValue

    /// `--corrupt`'s text for a recipe's corruption: the inverse of `families()`,
    /// so the option's default is the recipe's.
    static func optionText(_ corruption: CorruptionSettings?) -> String {
        guard let families = corruption?.families else { return "none" }
        return families == CorruptionFamily.allCases ? "all" : families.map(\.rawValue).joined(separator: ",")
    }

    /// The families `--corrupt` names, or nil for none.
    func families() throws(TrainingError) -> [CorruptionFamily]? {
        switch corrupt {
        case "none": return nil
        case "all": return CorruptionFamily.allCases
        default: break
        }
        var families: [CorruptionFamily] = []
        for name in corrupt.split(separator: ",", omittingEmptySubsequences: false) {
            guard let family = CorruptionFamily(rawValue: String(name)) else {
                throw TrainingError(.badRecipe(option: "corrupt", expected: CorruptionFamily.allCases.map(\.rawValue)
                    .joined(separator: ", ") + ", all or none", found: corrupt))
            }
            families.append(family)
        }
        return families
    }
}

struct DistillationOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Learn from this network's answers too (safetensors, trained with the same --preprocess): "
                               + "the loss mixes the labels' with matching its softened probabilities (Hinton et al. 2015).", valueName: "path"),
            completion: .file(extensions: ["safetensors"]))
    var teacher: String?
    static let defaultTemperature: Float = 4
    static let defaultWeight: Float = 0.5

    @Option(help: ArgumentHelp("With --teacher: the temperature that softens both networks' probabilities; the soft term is scaled by its square (default: \(Self.defaultTemperature)).",
                               valueName: "value"))
    var temperature: Float?
    @Option(help: ArgumentHelp("With --teacher: the soft term's share of the loss, 0 = labels only (default: \(Self.defaultWeight)).",
                               valueName: "fraction"))
    var distillWeight: Float?

    /// `--temperature` and `--distill-weight` say nothing without `--teacher`: refuse them rather than ignore them.
    func check() throws {
        if teacher == nil, let option = [("--temperature", temperature != nil), ("--distill-weight", distillWeight != nil)]
            .first(where: \.1)?.0 {
            throw ValidationError("\(option) applies to distillation, and no --teacher is given")
        }
    }
}

struct PerformanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Worker threads, at most the cores this process may use; the weights do not depend on it.",
                               valueName: "n"))
    var threads = Threads.availableCores
    @Flag(help: "Print no progress.")
    var quiet = false
}
