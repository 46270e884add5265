/// One training image's random augmentation: an affine warp, optionally bent
/// further by an elastic field, sampled bilinearly in one pass.
public struct Distortion: Sendable {
    public var warp: AffineWarp
    public var elastic: ElasticField?

    public init(warp: AffineWarp, elastic: ElasticField? = nil) {
        self.warp = warp
        self.elastic = elastic
    }

    /// `output[784] = scale · distort(source[784])`.
    public func apply(_ source: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<Float>, scale: Float) {
        warp.apply(source, into: output, scale: scale, elastic: elastic)
    }
}
