#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An affine map of the 28×28 image plane about its centre, applied by inverse
/// mapping with bilinear sampling.
///
/// Forward map (where a source pixel lands): `out = A·(src - c) + c + shift`
/// with `A = R(rotation) · Shear(shear) · scale` and `c = (13.5, 13.5)`.
/// Sampling walks the output pixels and reads the source at
/// `A⁻¹·(out - c - shift) + c`; points outside the image read as 0 (background).
/// With integer source coordinates the bilinear weights are exactly 1 and 0,
/// so the identity and whole-pixel shifts reproduce pixel values exactly.
public struct AffineWarp: Sendable, Equatable {
    /// `A⁻¹`, row-major 2×2, acting on `(x, y)` = (column, row).
    public var inverse: (Float, Float, Float, Float)
    public var shiftX: Float
    public var shiftY: Float

    public static func == (a: AffineWarp, b: AffineWarp) -> Bool {
        a.inverse == b.inverse && a.shiftX == b.shiftX && a.shiftY == b.shiftY
    }

    public init(rotation: Float = 0, scale: Float = 1, shear: Float = 0, shiftX: Float = 0, shiftY: Float = 0) {
        precondition(scale > 0, "scale must be positive")
        let (s, c) = (sinf(rotation), cosf(rotation))
        // A = R · H · scale, with H = [[1, shear], [0, 1]].
        let a = (c * scale, (c * shear - s) * scale, s * scale, (s * shear + c) * scale)
        let determinant = a.0 * a.3 - a.1 * a.2
        inverse = (a.3 / determinant, -a.1 / determinant, -a.2 / determinant, a.0 / determinant)
        if rotation == 0 && scale == 1 && shear == 0 { inverse = (1, 0, 0, 1) }
        self.shiftX = shiftX
        self.shiftY = shiftY
    }

    public static let identity = AffineWarp()

    /// Image side; the warp is written for MNIST's 28×28.
    public static let side = 28

    /// `output[784] = scale · warp(source[784])`, in the source's pixel units
    /// times `scale` (`1/255` gives the network's input domain directly).
    public func apply(_ source: UnsafePointer<UInt8>, into output: UnsafeMutablePointer<Float>, scale: Float) {
        let n = Self.side
        let centre = Float(n - 1) / 2
        for row in 0..<n {
            let dy = Float(row) - centre - shiftY
            for column in 0..<n {
                let dx = Float(column) - centre - shiftX
                let sx = inverse.0 * dx + inverse.1 * dy + centre
                let sy = inverse.2 * dx + inverse.3 * dy + centre
                output[row * n + column] = scale * Self.bilinear(source, x: sx, y: sy)
            }
        }
    }

    /// Bilinear read with zero outside the image.
    @inline(__always)
    static func bilinear(_ source: UnsafePointer<UInt8>, x: Float, y: Float) -> Float {
        let n = side
        let x0f = x.rounded(.down), y0f = y.rounded(.down)
        guard x0f > -1, y0f > -1, x0f < Float(n), y0f < Float(n) else { return 0 }
        let (x0, y0) = (Int(x0f), Int(y0f))
        let (fx, fy) = (x - x0f, y - y0f)
        @inline(__always) func pixel(_ px: Int, _ py: Int) -> Float {
            px >= 0 && py >= 0 && px < n && py < n ? Float(source[py * n + px]) : 0
        }
        let top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx
        let bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}
