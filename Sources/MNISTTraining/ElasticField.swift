import Glibc

/// A smooth random displacement field over the 28×28 image (Simard et al. 2003):
/// uniform noise in [-1, 1] per pixel and axis, blurred with a Gaussian of
/// width `sigma`, scaled by `alpha` pixels. It bends strokes locally, which an
/// affine map cannot do.
///
/// The blur is separable and truncated at 2σ; the field is added to the
/// source coordinates that `AffineWarp.apply` samples.
public struct ElasticField: Sendable {
    public static let side = AffineWarp.side
    /// `[784]` displacements in pixels, along columns (x) and rows (y).
    public var dx: [Float]
    public var dy: [Float]

    public init(alpha: Float, sigma: Float, using generator: inout SeededGenerator) {
        let count = Self.side * Self.side
        var x = (0..<count).map { _ in generator.symmetric(1) }
        var y = (0..<count).map { _ in generator.symmetric(1) }
        let kernel = Self.gaussian(sigma: sigma)
        Self.blur(&x, kernel)
        Self.blur(&y, kernel)
        dx = x.map { $0 * alpha }
        dy = y.map { $0 * alpha }
    }

    /// Normalised taps `exp(-k²/2σ²)` for `k` in `-⌈2σ⌉...⌈2σ⌉`.
    static func gaussian(sigma: Float) -> [Float] {
        let radius = max(1, Int((2 * sigma).rounded(.up)))
        let taps = (-radius...radius).map { expf(-Float($0 * $0) / (2 * sigma * sigma)) }
        let sum = taps.reduce(0, +)
        return taps.map { $0 / sum }
    }

    /// Rows then columns, zero outside the image.
    static func blur(_ field: inout [Float], _ kernel: [Float]) {
        let n = side, radius = kernel.count / 2
        var temporary = [Float](repeating: 0, count: n * n)
        for row in 0..<n {
            for column in 0..<n {
                var sum: Float = 0
                for k in max(0, radius - column)..<min(kernel.count, n - column + radius) {
                    sum += kernel[k] * field[row * n + column + k - radius]
                }
                temporary[row * n + column] = sum
            }
        }
        for row in 0..<n {
            for column in 0..<n {
                var sum: Float = 0
                for k in max(0, radius - row)..<min(kernel.count, n - row + radius) {
                    sum += kernel[k] * temporary[(row + k - radius) * n + column]
                }
                field[row * n + column] = sum
            }
        }
    }
}
