/// The input-layer kernel: MNIST images are about 81% zero pixels, so the first
/// layer is computed as a sparse row times a dense matrix, visiting only the
/// non-zero pixels. This does about a fifth of the dense product's work and
/// gives the same result up to float rounding order (zero terms add exactly 0).
extension Kernels {
    /// Writes the positions and values of the non-zero bytes of `pixels[0..<count]`;
    /// returns how many there are. Positions are ascending, so the sum order is
    /// fixed by the image alone.
    ///
    /// Scans 8 bytes at a time: MNIST's zeros come in long runs (the border), so
    /// most words are skipped with one compare.
    @inlinable
    public static func nonZeroPixels(
        _ pixels: UnsafePointer<UInt8>, count: Int,
        indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>
    ) -> Int {
        var found = 0
        var position = 0
        let raw = UnsafeRawPointer(pixels)
        while position + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: position, as: UInt64.self) != 0 {
                for offset in position..<(position + 8) where pixels[offset] != 0 {
                    indices[found] = Int32(truncatingIfNeeded: offset)
                    values[found] = Float(pixels[offset])
                    found += 1
                }
            }
            position += 8
        }
        for offset in position..<count where pixels[offset] != 0 {
            indices[found] = Int32(truncatingIfNeeded: offset)
            values[found] = Float(pixels[offset])
            found += 1
        }
        return found
    }

    /// `out[0..<width] = bias + Σᵢ values[i] · matrix[indices[i], 0..<width]`.
    ///
    /// `matrix` is row-major with row stride `width`, a multiple of 8. The columns
    /// are split into blocks of 64, 32, 16 and 8 so each block's accumulator stays
    /// in registers (64 floats = 8 AVX2 registers) across the whole pixel list.
    public static func sparseRowTimesMatrix(
        indices: UnsafePointer<Int32>, values: UnsafePointer<Float>, count: Int,
        matrix: UnsafePointer<Float>, width: Int, bias: UnsafePointer<Float>,
        into out: UnsafeMutablePointer<Float>
    ) {
        precondition(width % 8 == 0, "width must be padded to a multiple of 8")
        var column = 0
        while width - column >= 64 {
            sparseBlock(SIMD64<Float>.self, indices, values, count, matrix, width, column, bias, out)
            column += 64
        }
        if width - column >= 32 {
            sparseBlock(SIMD32<Float>.self, indices, values, count, matrix, width, column, bias, out)
            column += 32
        }
        if width - column >= 16 {
            sparseBlock(SIMD16<Float>.self, indices, values, count, matrix, width, column, bias, out)
            column += 16
        }
        if width - column >= 8 {
            sparseBlock(SIMD8<Float>.self, indices, values, count, matrix, width, column, bias, out)
        }
    }

    @inline(__always)
    static func sparseBlock<V: SIMD>(
        _: V.Type, _ indices: UnsafePointer<Int32>, _ values: UnsafePointer<Float>, _ count: Int,
        _ matrix: UnsafePointer<Float>, _ width: Int, _ column: Int,
        _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>
    ) where V.Scalar == Float {
        var accumulator = UnsafeRawPointer(bias + column).loadUnaligned(as: V.self)
        let base = UnsafeRawPointer(matrix + column)
        for i in 0..<count {
            let row = base.loadUnaligned(fromByteOffset: Int(indices[i]) &* width &* 4, as: V.self)
            accumulator.addProduct(V(repeating: values[i]), row)
        }
        UnsafeMutableRawPointer(out + column).storeBytes(of: accumulator, as: V.self)
    }
}
