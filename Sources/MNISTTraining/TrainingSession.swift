import MNISTNetwork
import MNISTPlumbing

/// The whole `mnist-train` job behind the command line: read the training
/// files, train, write the weights with their provenance, summarise.
public struct TrainingSession: Sendable {
    public var imagesPath: String
    public var labelsPath: String
    public var outputPath: String
    public var recipe: TrainingRecipe
    public var threads: Int
    public var quiet: Bool

    public init(imagesPath: String, labelsPath: String, outputPath: String, recipe: TrainingRecipe, threads: Int, quiet: Bool) {
        self.imagesPath = imagesPath
        self.labelsPath = labelsPath
        self.outputPath = outputPath
        self.recipe = recipe
        self.threads = threads
        self.quiet = quiet
    }

    /// Returns the one-line summary printed on standard output.
    public func run() throws -> String {
        try recipe.validate()
        let data = try TrainingData.read(images: imagesPath, labels: labelsPath, validationSize: recipe.validationSize)
        let progress = quiet ? nil : ConsoleProgress()
        let result = try Trainer(recipe: recipe, threads: threads).train(data) { progress?.handle($0) }
        try result.network.save(to: outputPath, metadata: Self.metadata(recipe: recipe, data: data, result: result))
        var accuracy = result.validationAccuracy.map { "validation accuracy \(NumberFormat.percent($0))" }
            ?? "no validation images"
        if let mean = result.corruptedValidationMean {
            accuracy += ", corrupted \(NumberFormat.percent(mean)) ("
                + result.corruptedValidation.map { "\($0.family) \(NumberFormat.fixed($0.accuracy * 100, decimals: 1))" }
                    .joined(separator: ", ") + ")"
        }
        return "wrote \(outputPath): \(result.network.architectureDescription), \(accuracy), trained in \(NumberFormat.fixed(result.seconds, decimals: 1)) s"
    }

    /// The recipe plus what identifies this run's outcome. Deliberately no
    /// timing or thread count: equal recipes on equal data give equal files.
    public static func metadata(recipe: TrainingRecipe, data: TrainingData, result: Trainer.Result) -> [String: String] {
        var metadata = recipe.metadata
        metadata["training_data_crc32"] = data.crc32Hex
        metadata["training_data_crc32_scope"] = "zlib CRC-32 of the decompressed pixel bytes [count, 784] then the label bytes [count], IDX headers excluded"
        metadata["training_images"] = "\(data.trainingCount)"
        metadata["validation_images"] = "\(data.validationSize)"
        if let accuracy = result.validationAccuracy {
            metadata["validation_accuracy"] = NumberFormat.percent(accuracy)
        }
        // Only for the recipes that use them, so older recipes write the same file.
        if recipe.corruption != nil || recipe.preprocessing != .none, let mean = result.corruptedValidationMean {
            metadata["validation_corrupted"] = NumberFormat.percent(mean) + " mean: "
                + result.corruptedValidation.map { "\($0.family) \(NumberFormat.percent($0.accuracy))" }.joined(separator: ", ")
        }
        return metadata
    }
}
