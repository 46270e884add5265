/// How far a random affine augmentation may move a training image.
///
/// Each image of each epoch gets its own transform, drawn uniformly from these
/// ranges and centred on the image centre. A range of zero switches that part
/// off, which is how each part's effect on validation accuracy was measured.
public struct AugmentationSettings: Sendable, Equatable {
    /// Largest shift in pixels, along each axis independently.
    public var maxShift: Float
    /// Largest rotation in degrees, either direction.
    public var maxRotationDegrees: Float
    /// Largest relative change of size: the scale is drawn from `1 ± maxScale`
    /// (one factor for both axes, so digits keep their aspect ratio).
    public var maxScale: Float
    /// Largest horizontal shear factor, either direction (slanted handwriting).
    public var maxShear: Float
    /// Elastic distortion strength in pixels (0: off) and smoothness.
    public var elasticAlpha: Float
    public var elasticSigma: Float

    public init(maxShift: Float, maxRotationDegrees: Float, maxScale: Float, maxShear: Float,
                elasticAlpha: Float = 0, elasticSigma: Float = 4) {
        self.maxShift = maxShift
        self.maxRotationDegrees = maxRotationDegrees
        self.maxScale = maxScale
        self.maxShear = maxShear
        self.elasticAlpha = elasticAlpha
        self.elasticSigma = elasticSigma
    }

    /// The shipped recipe's ranges, chosen on the 5,000-image validation split
    /// (784-100-10). Without corruption, 40 epochs without augmentation reach
    /// 98.42%, with shift 2, rotation 10° 98.78% (seed 1); elastic distortion
    /// (alpha 34, sigma 4) on top gave 98.54% at 2.7× the time, so it stays off.
    /// With the corruption families (150 epochs, seeds 1-4), shift 1.5 and
    /// rotation 8° give 99.01% clean and 95.63% corrupted against 98.88% and
    /// 95.01% for shift 2 and 10°: a 100-unit network spends less of itself on
    /// warps the test images never show. Smaller still (shift 1, 5°; or scale
    /// 0.05 and shear 0.08 too) gave back the clean gain (Training article).
    public static let standard = AugmentationSettings(maxShift: 1.5, maxRotationDegrees: 8, maxScale: 0.1, maxShear: 0.15)

    /// No movement at all: every image is used as it is.
    public static let none = AugmentationSettings(maxShift: 0, maxRotationDegrees: 0, maxScale: 0, maxShear: 0)

    public var isIdentity: Bool {
        maxShift == 0 && maxRotationDegrees == 0 && maxScale == 0 && maxShear == 0 && elasticAlpha == 0
    }

    /// The affine warp, then (when `elasticAlpha > 0`) the elastic field, from one generator.
    public func randomDistortion(using generator: inout SeededGenerator) -> Distortion {
        let warp = randomWarp(using: &generator)
        guard elasticAlpha > 0 else { return Distortion(warp: warp) }
        return Distortion(warp: warp, elastic: ElasticField(alpha: elasticAlpha, sigma: elasticSigma, using: &generator))
    }

    /// Draws one transform; the draw order is fixed so a seed always gives the same warp.
    public func randomWarp(using generator: inout SeededGenerator) -> AffineWarp {
        let shiftX = generator.symmetric(maxShift)
        let shiftY = generator.symmetric(maxShift)
        let angle = generator.symmetric(maxRotationDegrees) * (Float.pi / 180)
        let scale = 1 + generator.symmetric(maxScale)
        let shear = generator.symmetric(maxShear)
        return AffineWarp(rotation: angle, scale: scale, shear: shear, shiftX: shiftX, shiftY: shiftY)
    }

    /// `shift=2,rotation=10,scale=0.1,shear=0.15`, for the weights' metadata.
    public var description: String {
        "shift=\(maxShift),rotation=\(maxRotationDegrees),scale=\(maxScale),shear=\(maxShear)"
            + (elasticAlpha > 0 ? ",elastic-alpha=\(elasticAlpha),elastic-sigma=\(elasticSigma)" : "")
    }
}
