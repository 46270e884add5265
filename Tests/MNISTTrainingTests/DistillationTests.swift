import Testing
import MNISTNetwork
@testable import MNISTTraining

/// Distillation: the soft-target loss against its Double definition, a
/// distilled run reproducible on any thread count, and a teacher that does not
/// fit the recipe refused before training.
@Suite struct DistillationTests {
    @Test(arguments: [(5, 3, Float(1), Float(0.5)), (7, 10, Float(4), Float(0.3)), (16, 10, Float(2), Float(1)), (9, 10, Float(3), Float(0))])
    func theLossMatchesItsDefinition(rows: Int, classes: Int, temperature: Float, weight: Float) {
        let logits = BackwardKernelTests.values(rows * classes, seed: 5).map { $0 * 10 }
        let teacher = BackwardKernelTests.values(rows * classes, seed: 6).map { $0 * 15 }
        let labels = (0..<rows).map { UInt8(($0 * 7) % classes) }
        var grad = [Float](repeating: 0, count: logits.count)
        let loss = BackwardKernels.distilledCrossEntropy(
            logits: logits, teacherLogits: teacher, labels: labels, rows: rows, classes: classes,
            temperature: temperature, weight: weight, scale: 0.25, into: &grad)
        let reference = BackwardKernels.Reference.distilledCrossEntropy(
            logits: logits, teacherLogits: teacher, labels: labels, classes: classes,
            temperature: temperature, weight: weight, scale: 0.25)
        #expect(BackwardKernelTests.largestDifference(grad, reference.grad) < 1e-6)
        #expect(abs(loss - reference.loss) < 1e-4 * max(1, reference.loss))
        if weight == 0 {
            // Labels only: the plain loss.
            let plain = BackwardKernels.Reference.softmaxCrossEntropy(logits: logits, labels: labels, classes: classes, scale: 0.25)
            #expect(BackwardKernelTests.largestDifference(grad, plain.grad) < 1e-6)
        }
    }

    /// The gradient is the loss's derivative (the T² and the student's
    /// temperature included), checked by central differences on the Double
    /// definition: the kernel and its reference could share a wrong formula.
    @Test(arguments: [(Float(1), Float(0.5)), (Float(4), Float(0.7)), (Float(2), Float(1))])
    func theGradientIsTheLossesDerivative(temperature: Float, weight: Float) {
        let rows = 3, classes = 10
        let logits = BackwardKernelTests.values(rows * classes, seed: 11).map { $0 * 4 }
        let teacher = BackwardKernelTests.values(rows * classes, seed: 12).map { $0 * 8 }
        let labels: [UInt8] = [2, 7, 0]
        func loss(_ z: [Float]) -> Double {
            BackwardKernels.Reference.distilledCrossEntropy(
                logits: z, teacherLogits: teacher, labels: labels, classes: classes,
                temperature: temperature, weight: weight, scale: 1).loss
        }
        let grad = BackwardKernels.Reference.distilledCrossEntropy(
            logits: logits, teacherLogits: teacher, labels: labels, classes: classes,
            temperature: temperature, weight: weight, scale: 1).grad
        let step: Float = 1.0 / 64
        for i in logits.indices {
            var up = logits, down = logits
            up[i] += step
            down[i] -= step
            let numeric = (loss(up) - loss(down)) / Double(2 * step)
            #expect(abs(numeric - Double(grad[i])) < 2e-3, "logit \(i): numeric \(numeric), analytic \(grad[i])")
        }
    }

    static func recipe(teacher: Network) -> TrainingRecipe {
        var recipe = TrainingRunTests.recipe
        recipe.epochs = 2
        recipe.preprocessing = teacher.preprocessing
        recipe.distillation = Distillation(teacher: teacher, teacherDescription: "test", temperature: 3, weight: 0.6)
        return recipe
    }

    @Test func aDistilledRunIsTheSameOnOneOrTwoThreadsAndNamesItsTeacher() throws {
        var teacherRecipe = TrainingRunTests.recipe
        teacherRecipe.hidden = [64]
        teacherRecipe.epochs = 2
        let teacher = try Trainer(recipe: teacherRecipe, threads: 2).train(TrainingRunTests.data).network
        let recipe = Self.recipe(teacher: teacher)
        let one = try Trainer(recipe: recipe, threads: 1).train(TrainingRunTests.data)
        let two = try Trainer(recipe: recipe, threads: 2).train(TrainingRunTests.data)
        #expect(one.network == two.network)
        #expect((one.validationAccuracy ?? 0) >= 0.8)
        let plain = try Trainer(recipe: { var r = recipe; r.distillation = nil; return r }(), threads: 2).train(TrainingRunTests.data)
        #expect(plain.network != one.network, "the teacher changed nothing")
        #expect(recipe.metadata["distillation"] == "teacher 784-64-10 (test), temperature 3.0, weight 0.6")
    }

    @Test func aTeacherThatDoesNotFitIsRefused() {
        var other = makeTeacher()
        other.preprocessing = .frameBackground
        var recipe = Self.recipe(teacher: makeTeacher())
        recipe.preprocessing = .none
        recipe.distillation?.teacher = other
        #expect(throws: TrainingError.self) { try recipe.validate() }
        recipe.distillation?.teacher = makeTeacher()
        recipe.distillation?.teacher.inputMean = 0.1
        #expect(throws: TrainingError.self) { try recipe.validate() }
        recipe.distillation = Distillation(teacher: makeTeacher(), teacherDescription: "t", temperature: 0, weight: 0.5)
        #expect(throws: TrainingError.self) { try recipe.validate() }
    }

    func makeTeacher() -> Network { Network.initialized(architecture: [784, 8, 10], activation: .relu, seed: 3) }
}
