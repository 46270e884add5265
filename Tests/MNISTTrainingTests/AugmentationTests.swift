import Testing
@testable import MNISTTraining

/// The affine warp: exact where it should be exact, moves what it says, reproducible.
@Suite struct AugmentationTests {
    /// A 28×28 test image: a filled 8×6 block with a gradient, away from the border.
    static let image: [UInt8] = (0..<784).map { index in
        let (row, column) = (index / 28, index % 28)
        return (10..<18).contains(row) && (11..<17).contains(column) ? UInt8(100 + row * 5 + column) : 0
    }

    static func warped(_ warp: AffineWarp, _ source: [UInt8] = image) -> [Float] {
        var output = [Float](repeating: .nan, count: 784)
        warp.apply(source, into: &output, scale: 1)
        return output
    }

    static func centreOfMass(_ pixels: [Float]) -> (x: Float, y: Float) {
        var (mass, x, y): (Float, Float, Float) = (0, 0, 0)
        for (index, value) in pixels.enumerated() {
            mass += value
            x += value * Float(index % 28)
            y += value * Float(index / 28)
        }
        return (x / mass, y / mass)
    }

    /// The fast warp against `applyReference`, bit for bit: the standard
    /// recipe's random draws, large ones that push samples across every border,
    /// and elastic fields; on noise images so every pixel value matters, whole
    /// or inside a box on a zero background; with a negative scale too, whose
    /// background is -0.
    @Test(arguments: [false, true])
    func fastWarpIsBitIdenticalToTheReference(elastic: Bool) {
        var generator = SeededGenerator(seed: 11)
        let wide = AugmentationSettings(maxShift: 6, maxRotationDegrees: 60, maxScale: 0.4, maxShear: 0.5,
                                        elasticAlpha: elastic ? 34 : 0)
        var standard = AugmentationSettings.standard
        if elastic { standard.elasticAlpha = 34 }
        for trial in 0..<800 {
            // Noise everywhere, or in a random box on a zero background like a
            // digit's, down to one pixel or none.
            var source = (0..<784).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if trial % 4 != 0 {
                let left = Int.random(in: 0..<28, using: &generator), top = Int.random(in: 0..<28, using: &generator)
                let right = trial % 4 == 3 ? left : Int.random(in: left..<28, using: &generator)
                let bottom = trial % 4 == 3 ? top : Int.random(in: top..<28, using: &generator)
                for i in 0..<784 where !((left...right).contains(i % 28) && (top...bottom).contains(i / 28)) { source[i] = 0 }
                if trial % 40 == 1 { source = [UInt8](repeating: 0, count: 784) }
            }
            let distortion = (trial % 2 == 0 ? standard : wide).randomDistortion(using: &generator)
            let scale: Float = trial % 8 == 5 ? -1 / 255 : 1 / 255
            var fast = [Float](repeating: .nan, count: 784), reference = [Float](repeating: .nan, count: 784)
            distortion.warp.apply(source, into: &fast, scale: scale, elastic: distortion.elastic)
            distortion.warp.applyReference(source, into: &reference, scale: scale, elastic: distortion.elastic)
            #expect(fast.map(\.bitPattern) == reference.map(\.bitPattern), "trial \(trial): \(distortion.warp)")
        }
    }

    @Test func identityTransformReturnsTheImageUnchanged() {
        #expect(Self.warped(.identity) == Self.image.map(Float.init))
        // Also through the random path with all ranges zero.
        var generator = SeededGenerator(seed: 5)
        #expect(AugmentationSettings.none.randomWarp(using: &generator) == .identity)
    }

    @Test(arguments: [(Float(2), Float(-3)), (-1.5, 0.5), (0.25, 2)])
    func shiftMovesTheCentreOfMassByTheShift(shiftX: Float, shiftY: Float) {
        let before = Self.centreOfMass(Self.image.map(Float.init))
        let after = Self.centreOfMass(Self.warped(AffineWarp(shiftX: shiftX, shiftY: shiftY)))
        print("shift (\(shiftX), \(shiftY)): centre moved by (\(after.x - before.x), \(after.y - before.y))")
        #expect(abs(after.x - before.x - shiftX) < 1e-3)
        #expect(abs(after.y - before.y - shiftY) < 1e-3)
    }

    @Test func wholePixelShiftMovesPixelsExactly() {
        let shifted = Self.warped(AffineWarp(shiftX: 3, shiftY: -2))
        for row in 0..<28 {
            for column in 0..<28 {
                let (sourceRow, sourceColumn) = (row + 2, column - 3)
                let inside = (0..<28).contains(sourceRow) && (0..<28).contains(sourceColumn)
                #expect(shifted[row * 28 + column] == (inside ? Float(Self.image[sourceRow * 28 + sourceColumn]) : 0))
            }
        }
    }

    @Test func rotationAboutTheCentreKeepsTheCentreOfMassAndTheInkRoughly() {
        let before = Self.centreOfMass(Self.image.map(Float.init))
        let rotated = Self.warped(AffineWarp(rotation: 0.3))
        let after = Self.centreOfMass(rotated)
        let ink = (Self.image.reduce(0) { $0 + Float($1) }, rotated.reduce(0, +))
        #expect(abs(after.x - before.x) < 0.6 && abs(after.y - before.y) < 0.6)
        #expect(abs(ink.1 / ink.0 - 1) < 0.05)
    }

    @Test func sameSeedGivesTheSameWarpAndImage() {
        let settings = AugmentationSettings.standard
        var first = SeededGenerator(seed: 42, stream: 3, index: 17)
        var second = SeededGenerator(seed: 42, stream: 3, index: 17)
        var other = SeededGenerator(seed: 42, stream: 3, index: 18)
        let (a, b, c) = (settings.randomWarp(using: &first), settings.randomWarp(using: &second), settings.randomWarp(using: &other))
        #expect(a == b)
        #expect(a != c)
        #expect(Self.warped(a) == Self.warped(b))
    }

    @Test func warpedPixelsStayInThePixelRange() {
        var generator = SeededGenerator(seed: 1)
        let settings = AugmentationSettings(maxShift: 3, maxRotationDegrees: 30, maxScale: 0.3, maxShear: 0.4)
        for _ in 0..<50 {
            let output = Self.warped(settings.randomWarp(using: &generator))
            #expect(output.allSatisfy { $0 >= 0 && $0 <= 255 })
        }
    }
}
