import Testing
import MNISTData
import MNISTNetwork
@testable import MNISTTraining
import TestSupport

/// Short training runs on the first 4,000 real training images (3,000 to train,
/// 1,000 held out): it learns, and the weights are reproducible bit for bit.
@Suite struct TrainingRunTests {

    static let data: TrainingData = {
        let set = try! LabeledImages.read(images: Repository.root + "/Data/train-images-idx3-ubyte.gz",
                                          labels: Repository.root + "/Data/train-labels-idx1-ubyte.gz")
        let count = 4000
        return try! TrainingData(pixels: Array(set.pixels.prefix(count * 784)), labels: Array(set.labels.prefix(count)),
                                 validationSize: 1000)
    }()

    static var recipe: TrainingRecipe {
        var recipe = TrainingRecipe()
        recipe.hidden = [32]
        recipe.epochs = 3
        recipe.batchSize = 50
        recipe.learningRate = 0.1
        recipe.warmupEpochs = 0.2
        recipe.validationSize = 1000
        recipe.seed = 11
        // The trainer's basics, on the warped images as they are (CorruptionTests
        // covers the corrupted ones).
        recipe.corruption = nil
        return recipe
    }

    @Test func shortRunLearnsToAtLeast85PercentOnValidation() throws {
        let result = try Trainer(recipe: Self.recipe, threads: 2).train(Self.data)
        for epoch in result.history { print(ConsoleProgress.epochLine(epoch)) }
        #expect((result.validationAccuracy ?? 0) >= 0.85)
        #expect(result.history.count == 3)
    }

    @Test func sameSeedGivesIdenticalWeightsAndOneOrTwoThreadsToo() throws {
        var recipe = Self.recipe
        recipe.epochs = 1
        let single = try Trainer(recipe: recipe, threads: 1).train(Self.data).network
        let double = try Trainer(recipe: recipe, threads: 2).train(Self.data).network
        let again = try Trainer(recipe: recipe, threads: 2).train(Self.data).network
        #expect(single == double)   // Float ==: bit-identical up to ±0 and NaN, neither of which occurs here
        #expect(double == again)
        #expect(single.layers.map(\.weights).flatMap { $0 }.map(\.bitPattern)
                == again.layers.map(\.weights).flatMap { $0 }.map(\.bitPattern))
        recipe.seed = 12
        let otherSeed = try Trainer(recipe: recipe, threads: 2).train(Self.data).network
        #expect(otherSeed != single)
    }

    @Test func stepActivationIsRefusedBeforeTraining() {
        var recipe = Self.recipe
        recipe.activation = .step
        #expect(throws: TrainingError(.notDifferentiable(.step))) { try Trainer(recipe: recipe, threads: 1).train(Self.data) }
    }

    @Test func weightsMetadataNamesTheDataAndTheRecipe() throws {
        var recipe = Self.recipe
        recipe.epochs = 1
        let result = try Trainer(recipe: recipe, threads: 2).train(Self.data)
        let metadata = TrainingSession.metadata(recipe: recipe, data: Self.data, result: result)
        #expect(metadata["training_data_crc32"]?.count == 8)
        #expect(metadata["validation_accuracy"]?.hasSuffix("%") == true)
        #expect(metadata["seed"] == "11")
    }
}
