import Testing
@testable import MNISTTraining

/// The elastic displacement field: off at zero strength, smooth, reproducible.
@Suite struct ElasticFieldTests {
    @Test func zeroStrengthLeavesTheImageUnchanged() {
        var generator = SeededGenerator(seed: 3)
        let field = ElasticField(alpha: 0, sigma: 4, using: &generator)
        let image = AugmentationTests.image
        var output = [Float](repeating: .nan, count: 784)
        Distortion(warp: .identity, elastic: field).apply(image, into: &output, scale: 1)
        #expect(output == image.map(Float.init))
    }

    @Test func blurredFieldIsSmoothAndSmall() {
        var generator = SeededGenerator(seed: 4)
        let field = ElasticField(alpha: 34, sigma: 4, using: &generator)
        let largest = field.dx.map(abs).max()!
        var largestStep: Float = 0
        for row in 0..<28 { for column in 0..<27 {
            largestStep = max(largestStep, abs(field.dx[row * 28 + column + 1] - field.dx[row * 28 + column]))
        } }
        print("elastic alpha 34 sigma 4: largest displacement \(largest) px, largest neighbour step \(largestStep) px")
        #expect(largest > 0.1 && largest < 8)
        #expect(largestStep < largest / 2)
    }

    @Test func gaussianTapsSumToOne() {
        let taps = ElasticField.gaussian(sigma: 4)
        #expect(taps.count == 17)
        #expect(abs(taps.reduce(0, +) - 1) < 1e-6)
    }

    @Test func sameSeedGivesTheSameField() {
        var a = SeededGenerator(seed: 8), b = SeededGenerator(seed: 8)
        let settings = AugmentationSettings(maxShift: 1, maxRotationDegrees: 5, maxScale: 0, maxShear: 0, elasticAlpha: 30)
        let (first, second) = (settings.randomDistortion(using: &a), settings.randomDistortion(using: &b))
        #expect(first.warp == second.warp)
        #expect(first.elastic?.dx == second.elastic?.dx && first.elastic?.dy == second.elastic?.dy)
    }
}
