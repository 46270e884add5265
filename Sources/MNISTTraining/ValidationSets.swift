import MNISTNetwork

/// The held-out images as the recipe's network will see them: clean, and once
/// under each corruption family, each preprocessed as the recipe says.
///
/// The corrupted copies are drawn from a fixed seed
/// (`RandomStream.validationSeed`), not the recipe's, so that every recipe is
/// measured on the same images and their figures can be compared.
struct ValidationSets {
    struct Set {
        /// `clean`, or the family's name.
        var name: String
        var pixels: [UInt8]
    }

    let labels: [UInt8]
    let clean: Set
    let corrupted: [Set]

    init(_ data: TrainingData, preprocessing: Preprocessing) {
        let range = data.validationRange
        labels = Array(data.labels[range])
        let raw = Array(data.pixels[(range.lowerBound * TrainingData.imageSize)..<(range.upperBound * TrainingData.imageSize)])
        clean = Set(name: "clean", pixels: Self.prepared(raw, preprocessing))
        corrupted = CorruptionFamily.allCases.enumerated().map { index, family in
            var images = raw
            let size = TrainingData.imageSize
            var staging = [Float](repeating: 0, count: size)
            images.withUnsafeMutableBufferPointer { images in
                staging.withUnsafeMutableBufferPointer { staging in
                    for image in 0..<(images.count / size) {
                        let pixels = images.baseAddress! + image * size
                        for i in 0..<size { staging[i] = Float(pixels[i]) * (1 / 255) }
                        var generator = SeededGenerator(seed: RandomStream.validationSeed, stream: RandomStream.validationCorruption,
                                                        index: UInt64(index) << 32 | UInt64(image))
                        family.apply(staging.baseAddress!, using: &generator)
                        ShardWorkspace.quantize(staging.baseAddress!, into: pixels, count: size)
                    }
                }
            }
            return Set(name: family.rawValue, pixels: Self.prepared(images, preprocessing))
        }
    }

    static func prepared(_ images: [UInt8], _ preprocessing: Preprocessing) -> [UInt8] {
        guard preprocessing != .none else { return images }
        var output = images
        let size = TrainingData.imageSize
        images.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { output in
                for image in 0..<(source.count / size) {
                    preprocessing.apply(source.baseAddress! + image * size, into: output.baseAddress! + image * size)
                }
            }
        }
        return output
    }
}
