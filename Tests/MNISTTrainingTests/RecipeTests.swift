import Testing
import MNISTNetwork
@testable import MNISTTraining

/// Recipe checks, metadata and the learning-rate schedule.
@Suite struct RecipeTests {
    @Test func stepActivationIsRefusedAsNotDifferentiable() {
        var recipe = TrainingRecipe()
        recipe.activation = .step
        #expect(throws: TrainingError(.notDifferentiable(.step))) { try recipe.validate() }
        #expect(TrainingError(.notDifferentiable(.step)).description.contains("not differentiable"))
    }

    @Test(arguments: [("100", [100]), ("50,100", [50, 100]), (" 64 , 32", [64, 32]), ("\t64,\t32 ", [64, 32])])
    func hiddenWidthsParse(text: String, widths: [Int]) throws {
        #expect(try TrainingRecipe.parseWidths(text) == widths)
    }

    @Test(arguments: ["", "0", "10,", "a", "-5", "10,,20"])
    func badHiddenWidthsAreRejected(text: String) {
        #expect(throws: TrainingError.self) { try TrainingRecipe.parseWidths(text) }
    }

    @Test func badOptionValuesNameTheOption() {
        var recipe = TrainingRecipe()
        recipe.epochs = 0
        #expect(throws: TrainingError(.badRecipe(option: "epochs", expected: "at least 1", found: "0"))) { try recipe.validate() }
    }

    @Test func metadataRecordsEveryHyperParameterAsStrings() {
        let metadata = TrainingRecipe().metadata
        for key in ["trainer", "seed", "hidden", "hidden_activation", "epochs", "batch_size", "optimizer", "learning_rate",
                    "learning_rate_schedule", "weight_decay", "initialisation", "augmentation", "validation", "gradient_shards"] {
            #expect(metadata[key] != nil, "missing \(key)")
        }
    }

    @Test func scheduleWarmsUpThenDecaysToZero() {
        let schedule = LearningRateSchedule(peak: 0.1, warmupSteps: 10, totalSteps: 110)
        #expect(schedule.rate(atStep: 0) == 0.01)
        #expect(schedule.rate(atStep: 9) == 0.1)
        #expect(schedule.rate(atStep: 10) == 0.1)
        #expect(abs(schedule.rate(atStep: 60) - 0.05) < 1e-6)
        #expect(schedule.rate(atStep: 109) < 1e-4)
    }

    @Test func reluInitialisationIsHeAndOthersAreGlorot() {
        let relu = Network.initialized(architecture: [784, 100, 10], activation: .relu, seed: 1)
        let weights = relu.layers[0].weights
        let std = (weights.reduce(0) { $0 + Double($1) * Double($1) } / Double(weights.count)).squareRoot()
        #expect(abs(std - (2.0 / 784).squareRoot()) < 0.002)
        let tanh = Network.initialized(architecture: [784, 100, 10], activation: .tanh, seed: 1)
        let limit = Float((6.0 / 884).squareRoot())
        #expect(tanh.layers[0].weights.allSatisfy { abs($0) <= limit })
        #expect(relu.layers.allSatisfy { $0.bias.allSatisfy { $0 == 0 } })
    }
}
