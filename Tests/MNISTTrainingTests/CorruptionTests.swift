import Testing
import MNISTNetwork
@testable import MNISTTraining

/// The corruption families: reproducible from their seed, in range, and each
/// one a real change; a recipe that uses them (and preprocessing) still trains
/// to the same bits on any thread count, and says so in its metadata.
@Suite struct CorruptionTests {
    /// The first training images as 0…1 floats.
    static func images(_ count: Int) -> [[Float]] {
        (0..<count).map { i in TrainingRunTests.data.pixels[(i * 784)..<((i + 1) * 784)].map { Float($0) / 255 } }
    }

    static func corrupted(_ image: [Float], _ family: CorruptionFamily, seed: UInt64) -> [Float] {
        var copy = image
        var generator = SeededGenerator(seed: seed, stream: 9, index: 0)
        copy.withUnsafeMutableBufferPointer { family.apply($0.baseAddress!, using: &generator) }
        return copy
    }

    @Test(arguments: CorruptionFamily.allCases)
    func aFamilyIsReproducibleInRangeAndChangesImages(_ family: CorruptionFamily) {
        var changed = 0
        for (index, image) in Self.images(40).enumerated() {
            let once = Self.corrupted(image, family, seed: UInt64(index))
            #expect(once == Self.corrupted(image, family, seed: UInt64(index)), "same seed, same image")
            #expect(once.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(family) left 0…1")
            let difference = zip(once, image).map { abs($0 - $1) }.reduce(0, +)
            if difference > 5 { changed += 1 }  // more than five pixels' worth of ink
        }
        #expect(changed >= 36, "\(family) changed only \(changed) of 40 images")
    }

    @Test func theCleanFractionIsRespected() {
        let image = Self.images(1)[0]
        for (fraction, expectChanged) in [(Float(1), false), (Float(0), true)] {
            let settings = CorruptionSettings(cleanFraction: fraction)
            for seed in 0..<20 as Range<UInt64> {
                var copy = image
                var generator = SeededGenerator(seed: seed, stream: 9)
                copy.withUnsafeMutableBufferPointer { settings.apply($0.baseAddress!, using: &generator) }
                if !expectChanged { #expect(copy == image) }
            }
        }
        #expect(CorruptionSettings(cleanFraction: 0.4).description
                == "clean=0.4,families=shading+inverted-region+noise+blur+strokes+thickness")
    }

    static var robustRecipe: TrainingRecipe {
        var recipe = TrainingRunTests.recipe
        recipe.epochs = 2
        recipe.corruption = CorruptionSettings(cleanFraction: 0.4)
        recipe.preprocessing = .frameBackground
        return recipe
    }

    @Test func aRobustRecipeGivesTheSameWeightsOnOneOrTwoThreads() throws {
        let one = try Trainer(recipe: Self.robustRecipe, threads: 1).train(TrainingRunTests.data)
        let two = try Trainer(recipe: Self.robustRecipe, threads: 2).train(TrainingRunTests.data)
        #expect(one.network == two.network)
        #expect(one.network.preprocessing == .frameBackground)
        #expect(one.corruptedValidation.map(\.family) == CorruptionFamily.allCases.map(\.rawValue))
        #expect(one.corruptedValidation.map(\.accuracy) == two.corruptedValidation.map(\.accuracy))
        #expect((one.validationAccuracy ?? 0) >= 0.8)
    }

    @Test func theMetadataNamesCorruptionAndPreprocessingOnlyWhenUsed() {
        #expect(TrainingRunTests.recipe.metadata["corruption"] == nil)
        #expect(TrainingRecipe().metadata["corruption"] == "clean=0.7,families=shading+inverted-region+noise+blur+strokes+thickness")
        #expect(TrainingRecipe().metadata["input_transform"] == "pixel/255 (mean 0, std 1)")
        let metadata = Self.robustRecipe.metadata
        #expect(metadata["corruption"] == "clean=0.4,families=shading+inverted-region+noise+blur+strokes+thickness")
        #expect(metadata["input_transform"] == "frame-background, then pixel/255 (mean 0, std 1)")
    }
}
